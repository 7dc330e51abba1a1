//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// TestAnalyzeQuotesOnlyCapturesRead: a snapshot JSON whose positions
// name /etc/passwd, /proc/self/environ, /dev/zero and a FIFO is analysed
// into every format; the run finishes, and no report quotes a line of
// those files.
func TestAnalyzeQuotesOnlyCapturesRead(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	b := facts.NewBuilder()
	for i, path := range []string{"/etc/passwd", "/proc/self/environ", "/dev/zero", fifo} {
		pb := b.Process(strings.Repeat("f", 15)+string(rune('0'+i)), facts.Position{Path: path, Line: 1})
		pb.P.PID, pb.P.Image = uint64(4*(i+1)), "evil.exe"
		pb.AddHandle(&facts.Handle{Value: 4, Type: "File", Name: `\Device\x`, Naming: facts.Named, Pos: facts.Position{Path: path, Line: 2}})
	}
	var buf bytes.Buffer
	if err := b.Snapshot().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(dir, "snap.json")
	rulesDir := filepath.Join(dir, "rules")
	os.Mkdir(rulesDir, 0o755)
	if err := os.WriteFile(snap, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rulesDir, "site.yaml"), []byte(`rules:
  - id: SITE1
    title: Every process
    when: process.handles > 0
    severity: warning
`), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"analyze", "--no-default-rules", "--rules", rulesDir, "--fail-on", "never", "--format", "text"}
	outs := map[string]string{}
	for _, f := range []string{"json", "jsonl", "markdown", "html", "sarif", "junit"} {
		outs[f] = filepath.Join(dir, "report."+f)
		args = append(args, "--format", f+"="+outs[f])
	}
	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := runCLI(t, append(args, snap)...)
		done <- result{code, out, errOut}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("analyze still running after 30s: quoting blocked")
	}
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
	}
	reports := map[string]string{"text": r.out}
	for f, path := range outs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		reports[f] = string(data)
	}
	// What the named files hold: two lines of /etc/passwd, the first
	// variable of the environment.
	var secrets []string
	if passwd, err := os.ReadFile("/etc/passwd"); err == nil {
		lines := strings.SplitN(string(passwd), "\n", 3)
		secrets = append(secrets, lines[:min(2, len(lines))]...)
	}
	if env, err := os.ReadFile("/proc/self/environ"); err == nil {
		first, _, _ := strings.Cut(string(env), "\x00")
		secrets = append(secrets, first)
	}
	for f, rep := range reports {
		for _, s := range secrets {
			if s != "" && strings.Contains(rep, s) {
				t.Errorf("the %s report quotes %q", f, s)
			}
		}
	}
	var rep struct {
		Findings []struct {
			Locations []struct{ Path, Text string }
		}
	}
	if err := json.Unmarshal([]byte(reports["json"]), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 4 {
		t.Fatalf("%d findings, want 4 (one per process)", len(rep.Findings))
	}
	for _, f := range rep.Findings {
		for _, l := range f.Locations {
			if l.Text != "" {
				t.Errorf("location %s quotes %q, want nothing", l.Path, l.Text)
			}
		}
	}
}
