package kd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDevhandles: !devhandles lists, process by process, the handles to
// one device's files in !handle's kernel layout with each table line
// before its PROCESS block; its echo pasted without a prompt after a
// prompted command is read as the command; the tables are partial, which
// is said as information, not as a capture cut short.
func TestDevhandles(t *testing.T) {
	const out = "Checking handle table for process 0xffffc50bd2e8a040\n" +
		"Kernel handle table at ffff9d8a1c04e000 with 2910 entries in use\n" +
		"\n" +
		"PROCESS ffffc50bd2e8a040\n" +
		"    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000\n" +
		"    DirBase: 001ad002  ObjectTable: ffff9d8a1c04e000  HandleCount: 2910.\n" +
		"    Image: System\n" +
		"\n" +
		"0d2c: Object: ffffc50bd8f1a070  GrantedAccess: 0012019f Entry: ffff9d8a1c3a44b0\n" +
		"Object: ffffc50bd8f1a070  Type: (ffffc50bd2e9b900) File\n" +
		"    ObjectHeader: ffffc50bd8f1a040 (new version)\n" +
		"        HandleCount: 1  PointerCount: 32768\n" +
		"        Directory Object: 00000000  Name: \\$Extend\\$RmMetadata\\$TxfLog\\$TxfLog.blf {HarddiskVolume3}\n" +
		"\n" +
		"Checking handle table for process 0xffffc50bd9a2c080\n" +
		"Handle table at ffff9d8a23b1c540 with 388 entries in use\n" +
		"\n" +
		"PROCESS ffffc50bd9a2c080\n" +
		"    SessionId: 0  Cid: 0e18    Peb: 6a1d3f4000  ParentCid: 02a0\n" +
		"    DirBase: 1b4e00002  ObjectTable: ffff9d8a23b1c540  HandleCount: 388.\n" +
		"    Image: ContosoIndexer.exe\n" +
		"\n" +
		"0220: Object: ffffc50bda0b3d10  GrantedAccess: 00120089 Entry: ffff9d8a25ff8880\n" +
		"Object: ffffc50bda0b3d10  Type: (ffffc50bd2e9b900) File\n" +
		"    ObjectHeader: ffffc50bda0b3ce0 (new version)\n" +
		"        HandleCount: 1  PointerCount: 32766\n" +
		"        Directory Object: 00000000  Name: \\Index\\catalog.db {HarddiskVolume3}\n"
	type proc struct {
		Image           string
		Entries, Parsed int64
	}
	tests := []struct {
		name, capture string
		want          []proc
	}{
		{"with its prompt", "0: kd> !devhandles ffffc50bd4a1d050\n" + out,
			[]proc{{"System", 2910, 1}, {"ContosoIndexer.exe", 388, 1}}},
		{"echo without a prompt after a prompted command",
			"0: kd> !object \\Device\\HarddiskVolume3\n" +
				"Object: ffffc50bd4a1d050  Type: (ffffc50bd2e9bc40) Device\n" +
				"!devhandles ffffc50bd4a1d050\n" + out,
			[]proc{{"System", 2910, 1}, {"ContosoIndexer.exe", 388, 1}}},
		{"an echo of a command not read stays in the ignored output",
			"0: kd> !object \\Device\\HarddiskVolume3\n" +
				"!devobj ffffc50bd4a1d050\n" +
				"Checking handle table for process 0xffffc50bd2e8a040\n",
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var got []proc
			for _, p := range snap.Processes {
				var n int64 = -1
				if p.TableEntries != nil {
					n = *p.TableEntries
				}
				got = append(got, proc{p.Image, n, p.HandlesParsed})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("processes: diff (-want +got):\n%s", diff)
			}
			for _, d := range snap.Diagnostics {
				if d.Severity != "info" {
					t.Errorf("diagnostic %s at line %d: %s", d.Severity, d.Line, d.Message)
				}
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines", n)
			}
		})
	}
}
