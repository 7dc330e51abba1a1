package dumpreader_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

var update = flag.Bool("update", false, "rewrite golden files")

// captureDirs are the directories of the project's own text captures
// and the format each holds.
var captureDirs = map[string]dumpreader.Format{
	"kd":          dumpreader.FormatKD,
	"handleexe":   dumpreader.FormatHandle,
	"lsof":        dumpreader.FormatLsof,
	"lsfd":        dumpreader.FormatLsfd,
	"procexp":     dumpreader.FormatProcexp,
	"sysinformer": dumpreader.FormatSysinformer,
	"osquery":     dumpreader.FormatOsquery,
	"findzombie":  dumpreader.FormatFindZombie,
	"drmemory":    dumpreader.FormatDrMemory,
	"pslist":      dumpreader.FormatPsList,
	"tasklist":    dumpreader.FormatTaskList,
	"poolmon":     dumpreader.FormatPoolmon,
	"eventlog":    dumpreader.FormatEventLog,
	"getprocess":  dumpreader.FormatGetProcess,
	"wmic":        dumpreader.FormatWMIC,
	"taskmgr":     dumpreader.FormatTaskMgr,
	"prometheus":  dumpreader.FormatPrometheus,
	"procfd":      dumpreader.FormatProcFD,
	"volatility":  dumpreader.FormatVolatility,
}

// textCaptures returns the project's own text captures, kd/WinDbg/cdb,
// Sysinternals Handle and lsof, each with its format.
func textCaptures(t *testing.T) map[string]dumpreader.Format {
	t.Helper()
	out := map[string]dumpreader.Format{}
	for dir, format := range captureDirs {
		paths, err := filepath.Glob(filepath.Join("..", "testdata", dir, "*.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) == 0 {
			t.Fatalf("no captures in ../testdata/%s", dir)
		}
		for _, p := range paths {
			out[p] = format
		}
	}
	return out
}

func goldenPath(capture string) string {
	return strings.TrimSuffix(capture, ".txt") + ".golden.json"
}

func readCapture(t *testing.T, path string) *facts.Snapshot {
	t.Helper()
	snap, err := dumpreader.ReadFile(path, dumpreader.Options{})
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	return snap
}

func snapshotJSON(t *testing.T, snap *facts.Snapshot) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	return buf.Bytes()
}

// TestGolden reads every capture and compares its snapshot JSON with the
// golden file next to it. Run with -update to rewrite the goldens, then
// review them against the captures.
func TestGolden(t *testing.T) {
	for path := range textCaptures(t) {
		t.Run(path, func(t *testing.T) {
			got := snapshotJSON(t, readCapture(t, path))
			golden := goldenPath(path)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `go test ./dumpreader -run Golden -update` to create it)", err)
			}
			if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
				t.Errorf("%s: diff (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// TestSnapshotRoundTrip writes each capture's snapshot as JSON and reads it
// back through format detection: the facts must be the same.
func TestSnapshotRoundTrip(t *testing.T) {
	for path := range textCaptures(t) {
		t.Run(path, func(t *testing.T) {
			orig := readCapture(t, path)
			data := snapshotJSON(t, orig)
			if f := dumpreader.Detect(data); f != dumpreader.FormatSnapshot {
				t.Fatalf("Detect(snapshot JSON) = %q, want %q", f, dumpreader.FormatSnapshot)
			}
			back, err := dumpreader.Read(bytes.NewReader(data), path+".json", dumpreader.Options{})
			if err != nil {
				t.Fatalf("Read(snapshot JSON): %v", err)
			}
			if diff := cmp.Diff(orig, back); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLineAccounting checks that every line of every capture is accounted
// for once, that every diagnostic points at a line of its file, and that
// each unrecognized line has its warning.
func TestLineAccounting(t *testing.T) {
	for path, format := range textCaptures(t) {
		t.Run(path, func(t *testing.T) {
			snap := readCapture(t, path)
			if len(snap.Sources) != 1 {
				t.Fatalf("%d sources, want 1", len(snap.Sources))
			}
			src := snap.Sources[0]
			if src.Format != string(format) {
				t.Errorf("format %q, want %q", src.Format, format)
			}
			l := src.Lines
			if l.Total == 0 {
				t.Errorf("no lines read")
			}
			if l.Parsed+l.Ignored+l.Unrecognized != l.Total {
				t.Errorf("parsed %d + ignored %d + unrecognized %d != total %d",
					l.Parsed, l.Ignored, l.Unrecognized, l.Total)
			}
			var warned int64
			for _, d := range snap.Diagnostics {
				if d.Path != path || d.Line < 1 || d.Line > l.Total {
					t.Errorf("diagnostic outside the file: %s:%d %s", d.Path, d.Line, d.Message)
				}
				if d.Code == facts.CodeUnrecognized {
					warned++
				}
			}
			if warned != l.Unrecognized {
				t.Errorf("%d unrecognized-line warnings for %d unrecognized lines", warned, l.Unrecognized)
			}
		})
	}
}
