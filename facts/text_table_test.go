package facts

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestProcessTableIsTabwriter: the process table written in two passes
// is the table text/tabwriter writes, byte for byte, whatever the names
// hold, tabs included (those go through tabwriter itself).
func TestProcessTableIsTabwriter(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	proc := func(pid uint64, image string, count *int64, dominant, name string) *Process {
		p := &Process{PID: pid, PPID: pid / 2, Image: image, HandleCount: count, HandlesParsed: 7,
			ByType: map[string]int64{}}
		if dominant != "" {
			p.DominantType, p.DominantShare, p.ByType[dominant] = dominant, 0.425, 3
		}
		if name != "" {
			p.TopNames = []NameCount{{Name: name, Type: "Key", Count: 12}}
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		procs []*Process
	}{
		{"no process", nil},
		{"one", []*Process{proc(4, "System", n(231), "Key", `\REGISTRY\MACHINE`)}},
		{"unknown image and count, exited", []*Process{
			proc(0, "", nil, "", ""),
			func() *Process { p := proc(0x1234, "agent.exe", n(12), "Event", "x"); p.Exited = true; return p }(),
		}},
		{"wide characters count as one", []*Process{
			proc(8, "Küche東京🙂.exe", n(1), "Datei", "名前"),
			proc(12, "a.exe", n(1234567), "Event", ""),
		}},
		{"escapes", []*Process{proc(16, "evil\x1b[31m.exe\r", n(5), "Ev\xffent", "a\u202eb")}},
		{"a tab in a name", []*Process{
			proc(20, "tab\there.exe", n(5), "Event", "x"),
			proc(24, "b.exe", n(50000), "Key", "y\tz"),
		}},
		{"a tab in the last column only", []*Process{
			proc(28, "a.exe", n(5), "Event", "one\ttwo"),
			proc(32, "b.exe", n(6), "Event", "three"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkProcessTable(t, tc.procs)
		})
	}

	// Random rows of assorted widths and characters.
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "svchost.exe", "é", "東", "🙂", "\x1b", "\xff", " ", "\\Device\\X", "\u202e", "0123456789"}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	for range 50 {
		var ps []*Process
		for range rng.IntN(30) {
			var count *int64
			if rng.IntN(4) > 0 {
				count = n(rng.Int64N(1 << uint(rng.IntN(40)+1)))
			}
			ps = append(ps, proc(rng.Uint64N(1<<uint(rng.IntN(63)+1)), str(), count, str(), str()))
		}
		checkProcessTable(t, ps)
	}
}

func checkProcessTable(t *testing.T, ps []*Process) {
	t.Helper()
	var got, want bytes.Buffer
	if err := writeProcesses(&got, ps); err != nil {
		t.Fatal(err)
	}
	if err := writeProcessesTabwriter(&want, ps); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("writeProcesses differs from tabwriter:\ngot:\n%s\nwant:\n%s", got.String(), want.String())
	}
}
