package reporters_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/reporters"
)

// multitoolProblem is a line of the SARIF Multitool's report that is an
// error or a warning: "x.sarif(657,20): warning SARIF2004: ...".
var multitoolProblem = regexp.MustCompile(`(?m)^.*: (error|warning) [A-Z]+[0-9]+: .*$`)

// TestSARIFMultitool validates the SARIF of one capture, a batch and a
// report with no findings with Microsoft's SARIF Multitool, its SARIF
// rules and GitHub's (--rule-kind "Sarif;Gh"), when SARIF_MULTITOOL names
// its Sarif.Multitool (.ci/run installs @microsoft/sarif-multitool-linux
// and sets it); no error and no warning may be reported. The Multitool
// exits 0 whatever it finds, so its report is read.
func TestSARIFMultitool(t *testing.T) {
	tool := os.Getenv("SARIF_MULTITOOL")
	if tool == "" {
		t.Skip("SARIF_MULTITOOL is not set (npm install --prefix DIR @microsoft/sarif-multitool-linux; SARIF_MULTITOOL=DIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool); .ci/run sets it")
	}
	if _, err := os.Stat(tool); err != nil {
		t.Fatalf("SARIF_MULTITOOL: %v", err)
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"single.sarif": writeSARIF(t, fixedReport(t)),
		"batch.sarif":  writeBatch(t, reporters.SARIF{Version: "0.1.0-test"}, testBatch(t)),
		"none.sarif":   writeSARIF(t, emptyReport(t)),
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		out, err := exec.CommandContext(ctx, tool, "validate", "--rule-kind", "Sarif;Gh", path).CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%s validate %s: %v\n%s", tool, name, err, out)
		}
		if problems := multitoolProblem.FindAllString(string(out), -1); len(problems) > 0 {
			t.Errorf("SARIF Multitool on %s:\n%s", name, strings.Join(problems, "\n"))
		}
		if !strings.Contains(string(out), "Analysis completed successfully") {
			t.Errorf("SARIF Multitool on %s did not complete:\n%s", name, out)
		}
	}
}
