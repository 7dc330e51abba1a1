package rules_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

const exceptionBase = `rules:
  - id: X0001
    title: Too many handles
    when: process.handles > 10000
    exceptions:
      - name: exchange-store
        reason: STORE.EXE holds many Event handles by design
        match:
          - [image, "=", store.exe]
          - [dominant_type, "=", Event]
          - [handles, "<", 200_000]
`

const exceptionSite = `rules:
  - id: X0001
    override: true
    exceptions:
      - name: backup-window
        reason: the nightly backup opens many files and closes them when done
        match:
          - [image, glob, "backup*.exe"]
          - [dominant_type, in, [File, Key]]
`

func TestExceptions(t *testing.T) {
	set, err := rules.Load([]rules.Source{{Path: "base.yaml", Data: []byte(exceptionBase)}, {Path: "site.yaml", Data: []byte(exceptionSite)}})
	if err != nil {
		t.Fatal(err)
	}
	r := set.Rules[0]
	if len(r.Exceptions) != 2 {
		t.Fatalf("%d exceptions, want the base's and the site's", len(r.Exceptions))
	}
	for _, tc := range []struct {
		image, dominant string
		handles         int64
		fires           bool
	}{
		{"STORE.EXE", "Event", 150_000, false}, // the exception, case folded
		{"store.exe", "Event", 250_000, true},  // over the exception's own bound
		{"store.exe", "Key", 150_000, true},    // another type
		{"spoolsv.exe", "Event", 150_000, true},
		{"backup-agent.exe", "File", 50_000, false},
		{"backup-agent.exe", "Event", 50_000, true},
		{"store.exe", "Event", 5_000, false}, // the condition itself is false
	} {
		p := &facts.ProcessFacts{Image: tc.image, DominantType: tc.dominant, Handles: tc.handles}
		got, err := r.Match(&facts.SnapshotFacts{}, p)
		if err != nil || got != tc.fires {
			t.Errorf("%s %s %d: fires %v (%v), want %v", tc.image, tc.dominant, tc.handles, got, err, tc.fires)
		}
	}
}
