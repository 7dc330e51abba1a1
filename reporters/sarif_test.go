package reporters_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/reporters"
)

func writeSARIF(t *testing.T, rep *engine.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (reporters.SARIF{Version: "1.2.3"}).Write(&b, rep); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSARIFGolden(t *testing.T) {
	for name, report := range map[string]func(*testing.T) *engine.Report{"report": fixedReport, "empty": emptyReport} {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, name+".sarif", writeSARIF(t, report(t)))
		})
	}
}

// TestSARIFSchema validates the output against the SARIF 2.1.0 schema,
// with formats (URIs) asserted, for a full report, an empty one and a
// report whose capture path needs escaping.
func TestSARIFSchema(t *testing.T) {
	schema := sarifSchema(t)
	odd := fixedReport(t)
	for i := range odd.Findings {
		if p := odd.Findings[i].Process; p != nil {
			p.Source.Path = `C:\dumps\server 01\kd [1].txt`
		}
	}
	for name, rep := range map[string]*engine.Report{"report": fixedReport(t), "empty": emptyReport(t), "odd-path": odd} {
		t.Run(name, func(t *testing.T) {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(writeSARIF(t, rep)))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("not valid SARIF 2.1.0: %v", err)
			}
		})
	}
	// The validator must be able to fail: a result without a message is
	// not SARIF.
	bad := map[string]any{"version": "2.1.0", "runs": []any{map[string]any{
		"tool":    map[string]any{"driver": map[string]any{"name": "x"}},
		"results": []any{map[string]any{"ruleId": "X"}},
	}}}
	if err := schema.Validate(bad); err == nil {
		t.Error("a result without a message validated")
	}
}

// TestSARIFForCodeScanning checks what GitHub code scanning needs beyond
// the schema: every result located at a line, a rule index that points at
// its rule, fingerprints, and [] for empty arrays.
func TestSARIFForCodeScanning(t *testing.T) {
	rep := fixedReport(t)
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string
					Rules   []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct{ Region struct{ StartLine int } }
				}
				PartialFingerprints map[string]string
			}
		}
	}
	out := writeSARIF(t, rep)
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Version != "1.2.3" || len(run.Tool.Driver.Rules) != len(rep.Summary.Rules) {
		t.Errorf("driver: version %q, %d rules, want 1.2.3 and %d", run.Tool.Driver.Version, len(run.Tool.Driver.Rules), len(rep.Summary.Rules))
	}
	if len(run.Results) != len(rep.Findings) || len(run.Results) == 0 {
		t.Fatalf("%d results for %d findings", len(run.Results), len(rep.Findings))
	}
	for i, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d is %s, not %s", i, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID, res.RuleID)
		}
		if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation.Region.StartLine < 1 {
			t.Errorf("result %d (%s) has no line", i, res.RuleID)
		}
		if fp := res.PartialFingerprints["leakdiag/v1"]; fp == "" || fp != rep.Findings[i].Fingerprint {
			t.Errorf("result %d fingerprint %q, want %q", i, fp, rep.Findings[i].Fingerprint)
		}
		if res.Level != map[string]string{"error": "error", "warning": "warning", "info": "note"}[string(rep.Findings[i].Severity)] {
			t.Errorf("result %d: level %s for severity %s", i, res.Level, rep.Findings[i].Severity)
		}
	}
	if bytes.Contains(out, []byte("null")) {
		t.Errorf("SARIF has a null:\n%s", out)
	}
	empty := string(writeSARIF(t, emptyReport(t)))
	if !strings.Contains(empty, `"results": []`) {
		t.Errorf("empty report's results are not []:\n%s", empty)
	}
}

// TestSARIFBatchSchema: a batch (three captures, one that failed, a file
// skipped as no capture) is one
// valid run with a result per finding of every capture, each located in
// its own capture.
func TestSARIFBatchSchema(t *testing.T) {
	b := testBatch(t)
	var buf bytes.Buffer
	if err := (reporters.SARIF{Version: "1.2.3"}).WriteBatch(&buf, b); err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sarifSchema(t).Validate(doc); err != nil {
		t.Errorf("batch is not valid SARIF 2.1.0: %v", err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
			Invocations []struct {
				ToolExecutionNotifications []struct{ Message struct{ Text string } }
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range b.Reports {
		for _, f := range r.Findings {
			switch {
			case f.Process != nil:
				want = append(want, f.Process.Source.Path)
			case len(f.Locations) > 0:
				want = append(want, f.Locations[0].Path)
			default:
				want = append(want, r.Summary.Sources[0].Path)
			}
		}
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) != len(want) {
		t.Fatalf("%d runs; want 1 with %d results", len(log.Runs), len(want))
	}
	for i, res := range log.Runs[0].Results {
		if got := res.Locations[0].PhysicalLocation.ArtifactLocation.URI; got != want[i] {
			t.Errorf("result %d located in %s, want %s", i, got, want[i])
		}
	}
	if !strings.Contains(buf.String(), "broken.txt") {
		t.Error("the failed capture is not in the SARIF")
	}
	var notes []string
	for _, n := range log.Runs[0].Invocations[0].ToolExecutionNotifications {
		notes = append(notes, n.Message.Text)
	}
	if want := "skipped: " + b.Skipped[0].Reason; !slices.Contains(notes, want) {
		t.Errorf("notifications %q lack the skipped file's %q", notes, want)
	}
}
