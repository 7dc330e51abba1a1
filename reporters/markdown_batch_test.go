package reporters_test

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/reporters"
)

func TestMarkdownBatchGolden(t *testing.T) {
	checkGolden(t, "batch.markdown", writeBatch(t, reporters.Markdown{}, testBatch(t)))
}

// TestMarkdownBatch: one document for a CI job summary: a summary table
// with a row per capture (the one that could not be read among them),
// then a section per capture whose findings are a level down, and no
// second title.
func TestMarkdownBatch(t *testing.T) {
	md := string(writeBatch(t, reporters.Markdown{}, testBatch(t)))
	checkMarkdown(t, md)
	checkTerminalSafe(t, "markdown", md, false)
	if n := strings.Count(md, "\n# "); n != 0 || !strings.HasPrefix(md, "# leakdiag report\n") {
		t.Errorf("want one title, got %d more:\n%s", n, md)
	}
	for _, want := range []string{
		"| capture.txt (host SRV-APP-07) | 1 error, 4 warning, 1 info | ERROR T0002 One registry key dominates the process's handles | ContosoAgent.exe (500) | Contoso Agent |",
		"| broken.txt | not analysed | broken.txt:1: not a capture leakdiag reads | | |",
		"\n## capture.txt (host SRV-APP-07)\n", "\n## other/capture.txt (host SRV-APP-07)\n", "\n### 1. T0002: One registry key",
		"- notes/README.md: no format leakdiag reads",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("batch Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "\n## 1. ") {
		t.Errorf("a capture's findings are at the level of the captures:\n%s", md)
	}
}

// TestMarkdownEvidenceOnce: a process that several rules flag has its
// numbers and capture lines once, under its first finding; the others
// refer to it.
func TestMarkdownEvidenceOnce(t *testing.T) {
	md := string(write(t, "markdown", false, fixedReport(t)))
	if n := strings.Count(md, "- handle count: 1,200\n"); n != 1 {
		t.Errorf("ContosoAgent.exe's evidence is given %d times, want once:\n%s", n, md)
	}
	if n := strings.Count(md, "capture.txt:800: PROCESS block of ContosoAgent.exe"); n != 1 {
		t.Errorf("ContosoAgent.exe's capture lines are given %d times, want once:\n%s", n, md)
	}
	if !strings.Contains(md, "_The numbers and capture lines of this process are under finding 1._") {
		t.Errorf("finding 2 does not refer to finding 1:\n%s", md)
	}
	if strings.Contains(md, `\\REGISTRY`) || strings.Contains(md, `\!htrace`) {
		t.Errorf("Markdown escapes what needs no escape:\n%s", md)
	}
}
