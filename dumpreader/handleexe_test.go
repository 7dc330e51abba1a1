package dumpreader

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

var updateHandleExe = flag.Bool("update-handleexe", false, "rewrite the golden files of testdata/handleexe")

// handleExeDir holds the project's own Handle captures.
const handleExeDir = "../testdata/handleexe"

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

// readHandleExeBytes reads data as Handle output named name, as Read
// will once it detects the format: through readHandleExe, then
// AddSource.
func readHandleExeBytes(t *testing.T, data []byte, name string) *facts.Snapshot {
	t.Helper()
	b := facts.NewBuilder()
	log := facts.NewSourceLog(name, string(FormatHandle))
	if err := readHandleExe(b, log, bytes.NewReader(data)); err != nil {
		t.Fatalf("readHandleExe(%s): %v", name, err)
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

func handleExeJSON(t *testing.T, snap *facts.Snapshot) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	return buf.Bytes()
}

// TestHandleExeGolden reads every capture of testdata/handleexe and
// compares its snapshot JSON with the golden file next to it. Run with
// -update-handleexe to rewrite the goldens, then review them against the
// captures.
func TestHandleExeGolden(t *testing.T) {
	for _, path := range handleExeCaptures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := handleExeJSON(t, readHandleExeFile(t, path))
			golden := strings.TrimSuffix(path, ".txt") + ".golden.json"
			if *updateHandleExe {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `go test ./dumpreader -run HandleExeGolden -update-handleexe` to create it)", err)
			}
			if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
				t.Errorf("%s: diff (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// TestHandleExeRoundTrip decodes each golden file: it must hold the
// facts the capture reads to.
func TestHandleExeRoundTrip(t *testing.T) {
	for _, path := range handleExeCaptures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			snap := readHandleExeFile(t, path)
			f, err := os.Open(strings.TrimSuffix(path, ".txt") + ".golden.json")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			back, err := facts.DecodeJSON(f)
			if err != nil {
				t.Fatalf("DecodeJSON(golden): %v", err)
			}
			if diff := cmp.Diff(snap, back); diff != "" {
				t.Errorf("diff (-capture +golden):\n%s", diff)
			}
		})
	}
}

// TestHandleExeLineAccounting checks that every line of every capture,
// the project's and the corpus's, is accounted for once, and that every
// diagnostic points at a line of its file.
func TestHandleExeLineAccounting(t *testing.T) {
	paths := handleExeCaptures(t)
	corpus, _ := filepath.Glob(filepath.Join(handleExeCorpusDir, "*.txt"))
	for _, path := range append(paths, corpus...) {
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
			log := facts.NewSourceLog(path, string(FormatHandle))
			if err := readHandleExe(b, log, bytes.NewReader(data[:n])); err != nil {
				t.Fatalf("%s cut at %d: %v", path, n, err)
			}
			if l := log.Lines; l.Parsed+l.Ignored+l.Unrecognized != l.Total {
				t.Fatalf("%s cut at %d: lines %+v do not add up", path, n, l)
			}
		}
	}
}
