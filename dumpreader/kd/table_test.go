package kd

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestTableHeaderWithoutEntries checks that a handle table header with
// nothing under it makes no process of its own, and what becomes of its
// count.
func TestTableHeaderWithoutEntries(t *testing.T) {
	const system = "PROCESS 8a5295f0  SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000\n" +
		"    DirBase: 0acc0020  ObjectTable: e1002e68  HandleCount: 1056.\n    Image: System\n\n"
	const agent = "PROCESS 8a3f2d40  SessionId: 0  Cid: 0a14    Peb: 7ffd9000  ParentCid: 0268\n" +
		"    DirBase: 0b4c0320  ObjectTable: e2c41b08  HandleCount: 412.\n    Image: agent.exe\n\n"
	const entry = "0004: Object: e1009568  GrantedAccess: 000f0003 Entry: e1674008\n" +
		"Object: e1009568  Type: (8a5258b8) KeyedEvent\n    ObjectHeader: e1009550 (old version)\n        HandleCount: 53  PointerCount: 54\n\n"
	type row struct {
		pid     uint64
		image   string
		entries int64 // -1: none kept
		parsed  int64
	}
	tests := []struct {
		name, capture string
		want          []row
		diag          string // code of the diagnostic on line 1 or 2, "" for none
	}{
		{"header before any process", "Handle table at e1002000 with 380 Entries in use\n\n" + agent,
			[]row{{0xa14, "agent.exe", -1, 0}}, facts.CodeNoProcess},
		{"kernel header, no System shown", "Kernel handle table at ffffa30c9aa06580 with 2986 entries in use\n",
			nil, facts.CodeNoProcess},
		{"kernel header, System shown", system + "Kernel handle table at ffffa30c9aa06580 with 2986 entries in use\n",
			[]row{{4, "System", 2986, 0}}, ""},
		{"kernel header with an entry, no System shown", "Kernel handle table at e1539000 with 58 Entries in use\n" + entry,
			[]row{{4, "System", 58, 1}}, facts.CodeMissing},
		{"header before any process with an entry", "Handle table at e1002000 with 380 Entries in use\n" + entry,
			[]row{{0, "", 380, 1}}, facts.CodeNoProcess},
		{"header after a process", agent + "Handle table at e2c42000 with 412 Entries in use\n",
			[]row{{0xa14, "agent.exe", 412, 0}}, ""},
		{"flags 0 print the header alone", "kd> !handle 0 0 8a3f2d40\n" + agent + "Handle table at e2c42000 with 412 Entries in use\n",
			[]row{{0xa14, "agent.exe", 412, 0}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var got []row
			for _, p := range snap.Processes {
				r := row{p.PID, p.Image, -1, p.HandlesParsed}
				if p.TableEntries != nil {
					r.entries = *p.TableEntries
				}
				got = append(got, r)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("processes %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("process %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
			var codes []string
			for _, d := range snap.Diagnostics {
				if d.Code == facts.CodeCountMismatch && d.Severity != facts.SevInfo && len(tc.want) > 0 && tc.want[0].parsed == 0 {
					t.Errorf("a header alone is not a dump cut short: %+v", d)
				}
				codes = append(codes, d.Code)
			}
			found := tc.diag == ""
			for _, c := range codes {
				if c == tc.diag {
					found = true
				}
			}
			if !found {
				t.Errorf("diagnostics %v, want one %q", snap.Diagnostics, tc.diag)
			}
		})
	}
}
