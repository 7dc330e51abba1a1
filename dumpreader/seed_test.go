package dumpreader

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// TestSeed reads the capture of the post that started leakdiag: `!process 0
// 0` of five processes, then `.process –p –r` (typographic dashes) and a
// `!handle` of smss.exe that shows 3 of its 21 handles.
func TestSeed(t *testing.T) {
	snap, err := ReadFile("../testdata/kd/seed-xp-process00-handle.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	type proc struct {
		PID    uint64
		Image  string
		Count  int64
		Parsed int64
	}
	var got []proc
	for _, p := range snap.Processes {
		if p.HandleCount == nil {
			t.Fatalf("%s: handle count not read", p.Image)
		}
		got = append(got, proc{p.PID, p.Image, *p.HandleCount, p.HandlesParsed})
	}
	want := []proc{
		{0x4, "System", 1056, 0},
		{0x4fc, "smss.exe", 21, 3},
		{0x52c, "csrss.exe", 691, 0},
		{0x548, "winlogon.exe", 986, 0},
		{0x574, "services.exe", 396, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("processes: diff (-want +got):\n%s", diff)
	}

	smss := snap.Processes[1]
	wantTypes := map[string]int64{"KeyedEvent": 1, "File": 1, "Port": 1}
	if diff := cmp.Diff(wantTypes, smss.ByType); diff != "" {
		t.Errorf("smss.exe types: diff (-want +got):\n%s", diff)
	}
	var names []string
	for _, n := range smss.TopNames {
		names = append(names, n.Type+" "+n.Name)
	}
	wantNames := []string{"File \\WINDOWS {HarddiskVolume1}", "KeyedEvent CritSecOutOfMemoryEvent", "Port SmApiPort"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("smss.exe names: diff (-want +got):\n%s", diff)
	}

	src := snap.Sources[0]
	if src.Lines.Unrecognized != 0 || src.Lines.Total != 50 {
		t.Errorf("lines = %+v, want 50 lines, none unrecognized", src.Lines)
	}
	// The post shows 3 of 21 handles: a diagnostic must say so, at the
	// table's line.
	var found bool
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeCountMismatch && d.Line == 32 && d.Severity == facts.SevWarning {
			found = true
		}
	}
	if !found {
		t.Errorf("no count-mismatch warning at line 32; diagnostics: %+v", snap.Diagnostics)
	}
}
