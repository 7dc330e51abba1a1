package kd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// TestWrappedCommandOutput checks that the output of an extension that
// runs a command is read as that command's, with a note, and that a
// filter's output is not taken for a whole dump.
func TestWrappedCommandOutput(t *testing.T) {
	const grepKernel = `0: kd> !mex.grep -A 3 .etl !handle 0 3 ffffb80f3d6a4080 File
        Directory Object: 00000000  Name: \ProgramData\Contoso\Logs\agent0.etl {HarddiskVolume3}
0a48: Object: ffffb80f3e1c9a20  GrantedAccess: 0012019f (Protected) Entry: ffff9a0a2c7b1920
Object: ffffb80f3e1c9a20  Type: (ffffb80f3b2f6e80) File
    ObjectHeader: ffffb80f3e1c99f0 (new version)
--
        Directory Object: 00000000  Name: \ProgramData\Contoso\Logs\agent1.etl {HarddiskVolume3}
0a50: Object: ffffb80f3e1d0b10  GrantedAccess: 0012019f Entry: ffff9a0a2c7b1940
Object: ffffb80f3e1d0b10  Type: (ffffb80f3b2f6e80) File
    ObjectHeader: ffffb80f3e1d0ae0 (new version)
--
        Directory Object: 00000000  Name: \ProgramData\Contoso\Logs\agent2.etl {HarddiskVolume3}
`
	const grepUser = `0:000> !mex.grep -B 1 -A 1 Event !handle 0 f
Handle 0000000000000104
  Type         	Mutant
  Name         	\Sessions\1\BaseNamedObjects\AgentEvents
Type Count
Event 2100
`
	const shell = `0:000> .shell -ci "!handle 0 1" findstr /i Event
Handle 10
  Type         	Event
Handle 14
  Type         	Event
.shell: Process exited
`
	tests := []struct {
		name, capture string
		wantTypes     map[string]int64
		wantNaming    [3]int64 // named (distinct names), unnamed, untyped
		wantDiag      string
	}{
		// The name lines belong to entries whose start the filter dropped,
		// or come after a gap: no handle shown has a name known, and none
		// is taken for unnamed.
		{"grep over a kernel dump", grepKernel, map[string]int64{"File": 2}, [3]int64{0, 0, 0}, "!mex.grep runs !handle and shows only the lines that match"},
		{"grep over a user-mode dump", grepUser, map[string]int64{"Mutant": 1, "Event": 2100}, [3]int64{1, 0, 0}, "!mex.grep runs !handle and shows only"},
		{"shell filter", shell, map[string]int64{"Event": 2}, [3]int64{0, 0, 0}, ".shell runs !handle and shows only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
			}
			types := map[string]int64{}
			var naming [3]int64
			for _, p := range snap.Processes {
				for typ, n := range p.ByType {
					types[typ] += n
				}
				naming[0] += p.DistinctNames
				naming[1] += p.Unnamed
				naming[2] += p.Untyped
			}
			if diff := cmp.Diff(tc.wantTypes, types); diff != "" {
				t.Errorf("types: diff (-want +got):\n%s", diff)
			}
			if naming != tc.wantNaming {
				t.Errorf("distinct names, unnamed, untyped = %v, want %v", naming, tc.wantNaming)
			}
			var noted bool
			for _, d := range snap.Diagnostics {
				if d.Code == facts.CodeWrapped && d.Line == 1 && strings.Contains(d.Message, tc.wantDiag) {
					noted = true
				}
				if d.Code == facts.CodeCountMismatch && d.Severity != facts.SevInfo {
					t.Errorf("a filtered dump's count mismatch is a warning: %+v", d)
				}
			}
			if !noted {
				t.Errorf("no wrapped-command note on line 1 with %q: %+v", tc.wantDiag, snap.Diagnostics)
			}
		})
	}
}

// TestFilteredDumpWithoutProcess: a filter over a dump of every process
// drops the PROCESS lines with the rest; the handles it keeps are kept
// under an unknown process with a note, not a warning, since the
// filter's own diagnostic says the dump is partial.
func TestFilteredDumpWithoutProcess(t *testing.T) {
	const capture = `0: kd> !mex.grep -A 3 .etl !handle 0 3 0 File
0a48: Object: ffffb80f3e1c9a20  GrantedAccess: 0012019f (Protected) Entry: ffff9a0a2c7b1920
Object: ffffb80f3e1c9a20  Type: (ffffb80f3b2f6e80) File
    ObjectHeader: ffffb80f3e1c99f0 (new version)
        HandleCount: 1  PointerCount: 32768
        Directory Object: 00000000  Name: \ProgramData\Contoso\Logs\agent0.etl {HarddiskVolume3}
`
	snap := readString(t, capture)
	var got []facts.Diagnostic
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeNoProcess {
			got = append(got, d)
		}
	}
	if len(got) != 1 || got[0].Severity != facts.SevInfo || !strings.Contains(got[0].Message, "!mex.grep") {
		t.Errorf("handle-without-process diagnostics %+v, want one info naming !mex.grep", got)
	}
}

// TestFilteredDumpSecondName: in a filter's output an entry followed by
// two name lines keeps the first, its own; the second is the matched
// line of an entry the filter cut.
func TestFilteredDumpSecondName(t *testing.T) {
	const capture = `0: kd> !mex.grep -A 6 .etl !handle 0 3 0 File
        Directory Object: 00000000  Name: \Windows\System32\LogFiles\WMI\Diagtrack-Listener.etl {HarddiskVolume4}

006c: Object: ffffa604f53aa910  GrantedAccess: 0012019f (Inherit) (Audit) Entry: ffff8000ab2be1b0
Object: ffffa604f53aa910  Type: (ffffa604f24fe820) File
    ObjectHeader: ffffa604f53aa8e0 (new version)
        HandleCount: 1  PointerCount: 32768
        Directory Object: 00000000  Name: \Device\HarddiskVolume4\$Extend\$RmMetadata\$TxfLog\$TxfLog {clfs}
        Directory Object: 00000000  Name: \ProgramData\Contoso\wfp\wfpdiag.etl {HarddiskVolume4}
`
	snap := readString(t, capture)
	var names []string
	for _, p := range snap.Processes {
		for _, n := range p.TopNames {
			names = append(names, n.Name)
		}
	}
	want := []string{`\Device\HarddiskVolume4\$Extend\$RmMetadata\$TxfLog\$TxfLog {clfs}`}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("names: diff (-want +got):\n%s", diff)
	}
}
