package dumpreader

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// TestDetectTakesNoToolOutputForKD checks that the output of Handle and
// lsof at hand (the project's and the corpus's), whose own packages test
// their sniffs, is not taken for kd text, whose sniff is the loosest.
func TestDetectTakesNoToolOutputForKD(t *testing.T) {
	for _, glob := range []string{
		"../testdata/handleexe/*.txt",
		"../../shared/corpus/handleexe/*.txt",
		"../testdata/lsof/*.txt",
	} {
		paths, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			t.Run(path, func(t *testing.T) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if len(data) > scan.SniffLen {
					data = data[:scan.SniffLen]
				}
				if got := Detect(data); got == FormatKD {
					t.Errorf("Detect(%s) = %q: tool output taken for kd text", path, got)
				}
			})
		}
	}
}

// TestDetectVMOutputAsKD: rows only !vm prints, without the command, are
// kd text, not taken for another tool's output.
func TestDetectVMOutputAsKD(t *testing.T) {
	const vm = "Page File: \\??\\C:\\pagefile.sys\n  Current:   4193784 Kb  Free Space:   4193780 Kb\n"
	if f := Detect([]byte(vm)); f != FormatKD {
		t.Errorf("Detect(!vm output) = %q, want kd", f)
	}
}
