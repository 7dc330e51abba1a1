package reporters_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/severity"
)

// TestJSONStreamIsEncodingJSON: the JSON report writes a batch a report
// at a time (so that leakdiag merge holds one), and gives the bytes
// encoding/json gives the whole batch, with and without reports, a fleet
// summary and a shard.
func TestJSONStreamIsEncodingJSON(t *testing.T) {
	r1, r2 := fixedReport(t), emptyReport(t)
	fleet := engine.NewFleetBuilder()
	fleet.Add(engine.FleetCapture{Name: "a.txt", Host: "web-01", CapturedAt: "2026-12-01T10:00:00Z"}, engine.FleetFindings(r1))
	withFleet := engine.NewBatch([]*engine.Report{r1, r2}, []engine.CaptureError{{Path: "x.txt", Error: "bad <x>"}}, nil)
	withFleet.Fleet = fleet.Fleet()
	sharded := engine.NewBatch([]*engine.Report{r2}, nil, []engine.SkippedFile{{Path: "README.md", Reason: "notes"}})
	sharded.Shard = &engine.Shard{Index: 1, Count: 4, Leakdiag: "v1", Rules: "sha256:00", Inputs: 9, Order: []int{3}}
	for name, b := range map[string]*engine.Batch{
		"empty":      engine.NewBatch(nil, nil, nil),
		"one":        engine.NewBatch([]*engine.Report{r1}, nil, nil),
		"with fleet": withFleet,
		"sharded":    sharded,
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(b); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := (reporters.JSON{}).WriteBatch(&got, b); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.String(), got.String()); diff != "" {
			t.Errorf("%s: JSON batch (-encoding/json +stream):\n%s", name, diff)
		}
		var v any
		if err := json.Unmarshal(got.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		if n := nullPaths("", v); len(n) > 0 {
			t.Errorf("%s: null at %v", name, n)
		}
	}
}

// TestFleetSummaryFirst: the text, Markdown and HTML reports of a merge
// give the fleet summary before the captures, with the headline a vendor
// reads.
func TestFleetSummaryFirst(t *testing.T) {
	r := fixedReport(t)
	fb := engine.NewFleetBuilder()
	fb.Add(engine.FleetCapture{Name: "a.txt", Host: "web-01"}, engine.FleetFindings(r))
	fb.Add(engine.FleetCapture{Name: "b.txt", Host: "WEB-01"}, nil)
	fb.Add(engine.FleetCapture{Name: "c.txt"}, []engine.FleetFinding{{RuleID: "T9", Severity: severity.Info, Component: "X"}})
	b := engine.NewBatch([]*engine.Report{r}, nil, nil)
	b.Fleet = fb.Fleet()
	b.Fleet.Problems = []string{"3 of 4 shards: missing 2/4"}
	if b.Fleet.Hosts != 2 || b.Fleet.Captures != 3 {
		t.Fatalf("fleet of %d captures of %d hosts, want 3 of 2 (web-01 and WEB-01 are one; c.txt names none)", b.Fleet.Captures, b.Fleet.Hosts)
	}
	g := b.Fleet.Groups[0]
	who := g.Component
	if g.Vendor != "" {
		who += " (" + g.Vendor + ")"
	}
	want := who + ": " + g.RuleID + " on 1 of 2 hosts"
	for _, format := range []string{"text", "markdown", "html"} {
		rep, err := reporters.New(format, reporters.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := rep.(reporters.BatchWriter).WriteBatch(&out, b); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		first := strings.Index(s, r.Findings[0].Message)
		for _, w := range []string{want, "3 of 4 shards: missing 2/4"} {
			if i := strings.Index(s, w); i < 0 || first >= 0 && i > first {
				t.Errorf("%s: %q not before the captures' findings:\n%.1500s", format, w, s)
			}
		}
	}
}

// nullPaths lists where a decoded JSON value holds null.
func nullPaths(path string, v any) []string {
	var out []string
	switch x := v.(type) {
	case nil:
		return []string{path}
	case map[string]any:
		for k, e := range x {
			if k == "process" && e == nil {
				continue // a finding about the capture (TestJSONSchema)
			}
			out = append(out, nullPaths(path+"."+k, e)...)
		}
	case []any:
		for i, e := range x {
			out = append(out, nullPaths(fmt.Sprintf("%s[%d]", path, i), e)...)
		}
	}
	return out
}
