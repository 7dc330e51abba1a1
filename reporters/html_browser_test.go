package reporters_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
)

// hostileReport is a report whose capture text tries to run script: an
// image and an object name a leak could really carry.
func hostileReport() *engine.Report {
	name := `\BaseNamedObjects\<script>document.title='pwned';document.body.innerHTML='pwned'</script>`
	image := `agent<img src=x onerror="document.body.innerHTML='pwned'">.exe`
	return &engine.Report{SchemaVersion: 1, Errors: []engine.RuleError{},
		Findings: []engine.Finding{{
			Rank: 1, RuleID: "LD0004", Title: "Very many handles to one object name", Severity: "error", Score: 9000,
			Message:   "agent holds 9,000 handles to the Event " + name,
			Process:   &engine.ProcessRef{PID: 4242, Image: image, Source: facts.Position{Path: "c.txt", Line: 7}},
			Component: engine.Component{Name: "Contoso Agent", Vendor: "Contoso <b>Ltd</b>", InferredFrom: "owner:object_name", Reason: "9,000 of 9,100 handles are to " + name},
			Evidence:  []engine.Evidence{{Name: "top name 1", Value: name}},
			Locations: []engine.Location{{Path: "c.txt", Line: 99, What: "first handle to " + name, Text: "Directory Object: 00000000  Name: " + name}},
			Types:     []engine.TypeCount{{Type: "Event", Count: 9000}, {Type: "File", Count: 100}},
			Names:     []facts.NameCount{{Name: name, Type: "Event", Count: 9000, First: facts.Position{Path: "c.txt", Line: 99}}},
			Stacks:    []facts.Stack{}, References: []string{}, Tags: []string{},
		}},
		Summary: engine.Summary{Processes: 2, TotalHandles: 9300, Sources: []facts.Source{{Path: "c.txt", Format: "kd"}},
			Diagnostics:  []facts.Diagnostic{{Path: "c.txt", Line: 3, Severity: "warning", Code: "unrecognized-line", Message: "unrecognized line: <script>alert(1)</script>"}},
			TopProcesses: []engine.ProcessCount{{PID: 4242, Image: image, Handles: 9100, Known: true}, {PID: 4, Image: "System", Handles: 200, Known: true}},
			Rules:        []engine.RuleRef{{ID: "LD0004", Title: "t", Severity: "warning", Defined: "rules.d/20-shape.yaml:22:5"}},
		},
	}
}

// TestHTMLInBrowser renders a report in headless Chromium: the verdict and
// the chart are there, and markup in capture text neither runs nor breaks
// the page.
func TestHTMLInBrowser(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no chromium on this machine (apt-get install -y chromium); .ci/run installs it")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	if err := (reporters.HTML{}).Write(&buf, hostileReport()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--user-data-dir=" + filepath.Join(dir, "profile"), "--hide-scrollbars"}
		cmd := exec.CommandContext(ctx, browser, append(append(base, args...), "file://"+page)...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", browser, err, errOut.String())
		}
		return out.String()
	}

	dom := run("--dump-dom")
	for _, want := range []string{`id="verdict"`, `id="chart-processes"`, "Contoso Agent", "&lt;script&gt;document.title", "pid 4242"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	if n := strings.Count(dom, "<rect"); n < 2 {
		t.Errorf("the chart has %d bars, want one per process", n)
	}
	for _, bad := range []string{"<script", "<img", "<b>Ltd", "<title>pwned", ">pwned<"} {
		if strings.Contains(dom, bad) {
			t.Errorf("capture text became markup or ran: the page contains %q", bad)
		}
	}
	if !strings.Contains(dom, "<title>leakdiag report") {
		t.Error("the page title was changed")
	}

	shot := filepath.Join(dir, "report.png")
	run("--window-size=1200,1600", "--screenshot="+shot)
	info, err := os.Stat(shot)
	if err != nil || info.Size() < 20_000 {
		t.Fatalf("screenshot %s: %v (size %d)", shot, err, info.Size())
	}
	if out := os.Getenv("LEAKDIAG_SCREENSHOT"); out != "" {
		data, _ := os.ReadFile(shot)
		os.WriteFile(out, data, 0o644) // to look at the page as a vendor would
	}
}
