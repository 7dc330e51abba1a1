package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/internal/kdgen"
)

// batchDir writes n small captures (every third with a leak named after its
// index) and one file that is no capture, into a directory tree.
func batchDir(t *testing.T, n int) (dir string, leaky int) {
	t.Helper()
	dir = t.TempDir()
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("host%02d", i%3))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		var leaks []kdgen.Leak
		if i%3 == 0 {
			leaks = []kdgen.Leak{{Image: fmt.Sprintf("Leaky%02d.exe", i), Share: 0.5, Type: "Event"}}
			leaky++
		}
		f, err := os.Create(filepath.Join(sub, fmt.Sprintf("dump%02d.txt", i)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := kdgen.Write(f, kdgen.Config{Processes: 20, Handles: 24_000, Seed: int64(i), Leaks: leaks}); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if err := os.WriteFile(filepath.Join(dir, ".hidden"), []byte("skip me"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, leaky
}

// TestBatchAnalysesEachCaptureOnItsOwn: a directory of captures gives a
// report per capture, each finding about its own capture's leaker, the same
// bytes with one worker or two, and the exit code of the worst.
func TestBatchAnalysesEachCaptureOnItsOwn(t *testing.T) {
	dir, leaky := batchDir(t, 9)
	var outs []string
	for _, jobs := range []string{"1", "2"} {
		jsonOut := filepath.Join(t.TempDir(), "batch.json")
		code, out, errOut := runCLI(t, "analyze", "--jobs", jobs, "--format", "text", "--format", "json="+jsonOut, dir)
		if code != 1 || errOut != "" {
			t.Fatalf("--jobs %s: exit %d, want 1, and nothing on stderr (no progress bar off a terminal):\n%s", jobs, code, errOut)
		}
		b, _ := os.ReadFile(jsonOut)
		outs = append(outs, out+string(b))
		if !strings.Contains(out, fmt.Sprintf("9 captures: 9 analysed, 0 failed, %d with findings", leaky)) {
			t.Errorf("combined summary wrong:\n%s", out[max(0, len(out)-400):])
		}
		// Each capture's section names only its own leaker.
		for _, sec := range strings.Split(out, "== ")[1:] {
			name := strings.SplitN(sec, " ==", 2)[0]
			var i int
			fmt.Sscanf(filepath.Base(name), "dump%02d.txt", &i)
			for j := 0; j < 9; j += 3 {
				if has := strings.Contains(sec, fmt.Sprintf("Leaky%02d.exe", j)); has != (i == j) {
					t.Errorf("section %s mentions Leaky%02d.exe: %v", name, j, has)
				}
			}
		}
	}
	if diff := cmp.Diff(outs[0], outs[1]); diff != "" {
		t.Errorf("--jobs 1 and --jobs 2 differ:\n%s", diff)
	}
}

func TestBatchReportsUnreadableCaptures(t *testing.T) {
	dir, _ := batchDir(t, 3)
	broken := filepath.Join(dir, "broken.txt")
	if err := os.WriteFile(broken, []byte("MDMP this is not a whole minidump"), 0o644); err != nil {
		t.Fatal(err)
	}
	sarif := filepath.Join(t.TempDir(), "out.sarif")
	code, out, errOut := runCLI(t, "analyze", "--format", "text", "--format", "sarif="+sarif, dir, filepath.Join(dir, "missing.txt"))
	if code != 2 || !strings.Contains(errOut, "2 captures could not be analysed") {
		t.Errorf("exit %d, stderr %q; want 2 and the count", code, errOut)
	}
	if !strings.Contains(out, "broken.txt: not analysed") || !strings.Contains(out, "missing.txt: not analysed") || !strings.Contains(out, "5 captures: 3 analysed, 2 failed") {
		t.Errorf("report does not name the failed captures:\n%s", out)
	}
	if b, err := os.ReadFile(sarif); err != nil || !strings.Contains(string(b), "broken.txt") {
		t.Errorf("SARIF does not name the broken capture: %v", err)
	}
}

func TestBatchJobs(t *testing.T) {
	dir, _ := batchDir(t, 2)
	code, _, errOut := runCLI(t, "analyze", "--jobs", "0", dir)
	if code != 2 || !strings.Contains(errOut, "--jobs 0") {
		t.Errorf("--jobs 0: exit %d, stderr %q", code, errOut)
	}
}

// TestBatchMarkdownAndHTML: Markdown and HTML report a batch: one
// Markdown document for a CI job summary (golden, the bundled kd
// examples), one HTML page with an index and a section per capture.
func TestBatchMarkdownAndHTML(t *testing.T) {
	captures := []string{"../../testdata/examples/registry-leak-contoso-agent.txt", "../../testdata/examples/htrace-diff-contoso-hook-events.txt"}
	page := filepath.Join(t.TempDir(), "report.html")
	code, out, errOut := runCLI(t, append([]string{"analyze", "--fail-on", "never", "--format", "markdown", "--format", "html=" + page}, captures...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkCLIGolden(t, "testdata/batch/examples.md", out)
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{`id="index"`, `href="#c1-capture"`, `id="c2-verdict"`, "ContosoAgent.exe", "contosohook!TelemetryQueue::Post&#43;0x42", "<footer"} {
		if !strings.Contains(html, want) {
			t.Errorf("batch HTML lacks %q", want)
		}
	}
	if n := strings.Count(html, "<!DOCTYPE html>"); n != 1 {
		t.Errorf("batch HTML holds %d documents", n)
	}
}

// TestMergeReadsFilesAsOneCapture: --merge keeps pieces of one capture
// together (one report, no sections), where without it they are a batch.
func TestMergeReadsFilesAsOneCapture(t *testing.T) {
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	// Cut before a command, so each piece reads on its own: a piece that
	// ends with a command and none of its output says so (its output is
	// missing), which the whole capture does not.
	cut := len(lines) / 2
	for !strings.HasPrefix(lines[cut], "0: kd> ") {
		cut++
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	os.WriteFile(a, []byte(strings.Join(lines[:cut], "")), 0o644)
	os.WriteFile(b, []byte(strings.Join(lines[cut:], "")), 0o644)
	_, merged, _ := runCLI(t, "analyze", "--merge", "--fail-on", "never", a, b)
	_, whole, _ := runCLI(t, "analyze", "--fail-on", "never", example)
	if strings.Contains(merged, "== ") || !strings.Contains(merged, "ContosoAgent.exe") {
		t.Errorf("--merge did not give one report:\n%s", merged)
	}
	last := func(s string) string { l := strings.Split(strings.TrimSpace(s), "\n"); return l[len(l)-1] }
	if last(merged) != last(whole) {
		t.Errorf("merged pieces summary %q, whole capture %q", last(merged), last(whole))
	}
	_, batch, _ := runCLI(t, "analyze", "--fail-on", "never", a, b)
	if !strings.Contains(batch, "2 captures: 2 analysed") {
		t.Errorf("without --merge the files are not a batch:\n%s", batch)
	}
}
