package facts

import "testing"

func TestSameProcesses(t *testing.T) {
	proc := func(pid uint64, image, created string) *Process {
		return &Process{PID: pid, Image: image, CreateTime: created}
	}
	// Each machine snapshot has the agent a thousand handles further on
	// (and the others' counts unknown).
	agent := int64(0)
	machine := func(at string, extra ...*Process) *Snapshot {
		agent += 1000
		n := agent
		procs := []*Process{proc(4, "System", ""), proc(0x2a4, "svchost.exe", ""), proc(0x3c8, "lsass.exe", ""),
			proc(0x5e0, "sqlservr.exe", "2026-11-20T06:00:00Z"), {PID: 0x9b8, Image: "agent.exe", HandleCount: &n}}
		return snapAt(at, append(procs, extra...)...)
	}
	counted := func(p *Process, n int64) *Process {
		p.HandleCount = &n
		return p
	}
	hosted := machine("")
	hosted.Host = "FILESRV01"
	for _, tc := range []struct {
		name  string
		snaps []*Snapshot
		n     int
		ok    bool
	}{
		{"the same processes", []*Snapshot{machine("2026-11-27T08:00:00Z"), machine("2026-11-27T09:00:00Z")}, 5, true},
		{"times unknown", []*Snapshot{machine(""), machine(""), machine("")}, 5, true},
		{"one process started since", []*Snapshot{machine(""), machine("", proc(0xb10, "new.exe", ""))}, 5, true},
		{"image case folded, a pid shown twice (exited, reused)", []*Snapshot{
			machine(""),
			snapAt("", proc(4, "System", ""), proc(0x2a4, "SVCHOST.EXE", ""), proc(0x3c8, "lsass.exe", ""), proc(0x5e0, "sqlservr.exe", ""),
				counted(proc(0x9b8, "agent.exe", ""), 1), proc(0x9b8, "other.exe", "")),
		}, 5, true},
		{"one capture", []*Snapshot{machine("")}, 0, false},
		{"a capture names its host", []*Snapshot{machine(""), hosted}, 0, false},
		{"taken at the same time: pieces of one capture", []*Snapshot{machine("2026-11-27T08:00:00Z"), machine("2026-11-27T08:00:00Z")}, 0, false},
		{"a pid under another image", []*Snapshot{machine(""), snapAt("", proc(4, "System", ""), proc(0x2a4, "svchost.exe", ""),
			proc(0x3c8, "lsass.exe", ""), proc(0x5e0, "sqlservr.exe", ""), proc(0x9b8, "notepad.exe", ""))}, 0, false},
		{"the same image created at another time", []*Snapshot{machine(""), snapAt("", proc(4, "System", ""), proc(0x2a4, "svchost.exe", ""),
			proc(0x3c8, "lsass.exe", ""), proc(0x5e0, "sqlservr.exe", "2026-11-27T08:30:00Z"), proc(0x9b8, "agent.exe", ""))}, 0, false},
		{"under 80% in common", []*Snapshot{machine(""), snapAt("", proc(4, "System", ""), proc(0x2a4, "svchost.exe", ""),
			proc(0x3c8, "lsass.exe", ""), proc(0x600, "a.exe", ""), proc(0x604, "b.exe", ""))}, 0, false},
		{"80% of the smaller", []*Snapshot{machine(""), snapAt("", proc(4, "System", ""), proc(0x2a4, "svchost.exe", ""),
			proc(0x3c8, "lsass.exe", ""), counted(proc(0x9b8, "agent.exe", ""), 1), proc(0x600, "a.exe", ""))}, 4, true},
		{"the same counts: copies or pieces of one capture", []*Snapshot{
			snapAt("", counted(proc(4, "System", ""), 10), counted(proc(8, "a.exe", ""), 20), counted(proc(12, "b.exe", ""), 30)),
			snapAt("", counted(proc(4, "System", ""), 10), counted(proc(8, "a.exe", ""), 20), counted(proc(12, "b.exe", ""), 30), proc(16, "c.exe", "")),
		}, 0, false},
		{"too few processes", []*Snapshot{snapAt("", proc(4, "System", ""), proc(0x9b8, "agent.exe", "")),
			snapAt("", proc(4, "System", ""), proc(0x9b8, "agent.exe", ""))}, 0, false},
		{"processes without images do not count", []*Snapshot{
			snapAt("", proc(4, "System", ""), proc(8, "", ""), proc(12, "", ""), proc(16, "", "")),
			snapAt("", proc(4, "System", ""), proc(8, "", ""), proc(12, "", ""), proc(16, "", "")),
		}, 0, false},
		{"every pair, not only neighbours", []*Snapshot{machine(""), machine("", proc(0x600, "a.exe", "")),
			snapAt("", proc(4, "System", ""), proc(0x2a4, "svchost.exe", ""), proc(0x3c8, "lsass.exe", ""), proc(0x600, "a.exe", ""), proc(0x700, "b.exe", ""))}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, ok := SameProcesses(tc.snaps)
			if n != tc.n || ok != tc.ok {
				t.Errorf("SameProcesses = %d, %v; want %d, %v", n, ok, tc.n, tc.ok)
			}
		})
	}
}
