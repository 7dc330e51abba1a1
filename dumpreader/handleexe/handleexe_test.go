package handleexe

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// handleExeDir holds the project's own Handle captures.
const handleExeDir = "../../testdata/handleexe"

// handleExeCaptures returns the project's own Handle captures.
func handleExeCaptures(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(handleExeDir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no captures in %s", handleExeDir)
	}
	return paths
}

// readHandleExeBytes reads data as Handle output named name, as
// dumpreader.Read does once it detects the format: through Read, then
// AddSource.
func readHandleExeBytes(t *testing.T, data []byte, name string) *facts.Snapshot {
	t.Helper()
	b := facts.NewBuilder()
	log := facts.NewSourceLog(name, Name)
	if err := Read(b, log, bytes.NewReader(data)); err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	b.AddSource(log)
	return b.Snapshot()
}

// readHandleExeFile reads the Handle capture at path.
func readHandleExeFile(t *testing.T, path string) *facts.Snapshot {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readHandleExeBytes(t, data, path)
}

// TestHandleExeLineAccounting checks that every line of every corpus
// capture is accounted for once, and that every diagnostic points at a
// line of its file (TestLineAccounting checks the project's own).
func TestHandleExeLineAccounting(t *testing.T) {
	corpus, _ := filepath.Glob(filepath.Join(handleExeCorpusDir, "*.txt"))
	for _, path := range corpus {
		t.Run(filepath.Base(path), func(t *testing.T) {
			snap := readHandleExeFile(t, path)
			checkHandleExeLines(t, snap, path)
		})
	}
}

func checkHandleExeLines(t *testing.T, snap *facts.Snapshot, path string) {
	t.Helper()
	if len(snap.Sources) != 1 {
		t.Fatalf("%d sources, want 1", len(snap.Sources))
	}
	l := snap.Sources[0].Lines
	if l.Parsed+l.Ignored+l.Unrecognized != l.Total {
		t.Errorf("parsed %d + ignored %d + unrecognized %d != total %d", l.Parsed, l.Ignored, l.Unrecognized, l.Total)
	}
	for _, d := range snap.Diagnostics {
		if d.Path != path || d.Line < 1 || d.Line > l.Total {
			t.Errorf("diagnostic outside the file: %s:%d %s", d.Path, d.Line, d.Message)
		}
	}
}

// TestReadHandleExeCutAnywhere reads every capture cut short at many
// places, as a paste or a full disk cuts them: no panic, every line
// accounted for.
func TestReadHandleExeCutAnywhere(t *testing.T) {
	corpus, _ := filepath.Glob(filepath.Join(handleExeCorpusDir, "*.txt"))
	for _, path := range append(handleExeCaptures(t), corpus...) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		step := max(1, len(data)/200) // every byte of the short ones
		for n := 0; n <= len(data); n += step {
			b := facts.NewBuilder()
			log := facts.NewSourceLog(path, Name)
			if err := Read(b, log, bytes.NewReader(data[:n])); err != nil {
				t.Fatalf("%s cut at %d: %v", path, n, err)
			}
			if l := log.Lines; l.Parsed+l.Ignored+l.Unrecognized != l.Total {
				t.Fatalf("%s cut at %d: lines %+v do not add up", path, n, l)
			}
		}
	}
}

// TestReadHandleExeFenced checks that the markdown fences around a pasted
// listing, with or without an info string, are accounted for as ignored,
// not as lines that could not be read.
func TestReadHandleExeFenced(t *testing.T) {
	for _, fence := range []string{"```", "```text", "```console", "~~~"} {
		t.Run(fence, func(t *testing.T) {
			text := "Nthandle v5.0 - Handle viewer\n\n" + fence + "\n" +
				"------------------------------------------------------------------------------\n" +
				"agent.exe pid: 3120 CONTOSO\\svc\n" +
				"   48: File          C:\\ProgramData\\Agent\\agent.log\n" +
				"```\n"
			snap := readHandleExeBytes(t, []byte(text), "t.txt")
			checkHandleExeLines(t, snap, "t.txt")
			if got := snap.Sources[0].Lines.Unrecognized; got != 0 {
				t.Errorf("%d unrecognized lines, want 0; diagnostics: %v", got, snap.Diagnostics)
			}
			if len(snap.Processes) != 1 || snap.Processes[0].HandlesParsed != 1 {
				t.Errorf("processes = %+v, want agent.exe with 1 handle", snap.Processes)
			}
		})
	}
}
