package dumpreader_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/internal/kdgen"
	"github.com/leakdiag/leakdiag/internal/listgen"
)

// parallelSplits are the worker counts and chunk sizes the parallel reader
// is checked with: chunks of a few bytes cut every handle entry, and
// every line, in all places.
var parallelSplits = []struct{ workers, chunk int }{
	{2, 1}, {2, 7}, {8, 61}, {8, 4096}, {2, 0}, {8, 0}, {-1, 0},
}

// checkSameAsSerial reads path with one goroutine and with the splits
// above, and fails unless every snapshot JSON is the serial one, byte for
// byte; the error too, when reading fails.
func checkSameAsSerial(t *testing.T, path string) {
	t.Helper()
	want, wantErr := readJSON(path, dumpreader.Options{Workers: 1})
	for _, s := range parallelSplits {
		got, err := readJSON(path, dumpreader.Options{Workers: s.workers, ChunkSize: s.chunk})
		if errText(err) != errText(wantErr) {
			t.Errorf("%s, %d workers, chunks of %d: error %v, serial %v", path, s.workers, s.chunk, err, wantErr)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s, %d workers, chunks of %d: snapshot differs from the serial read:\n%s", path, s.workers, s.chunk, firstDiff(want, got))
		}
	}
}

func readJSON(path string, opts dumpreader.Options) ([]byte, error) {
	snap, err := dumpreader.ReadFile(path, opts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "serial:   " + al[i] + "\nparallel: " + bl[i]
		}
	}
	return "lengths differ"
}

// parallelFormats are the formats read on workers.
var parallelFormats = map[dumpreader.Format]bool{
	dumpreader.FormatKD: true, dumpreader.FormatHandle: true, dumpreader.FormatLsof: true,
}

// TestParallelGolden: the project's kd captures, Handle and lsof listings
// read the same on any number of workers and any split.
func TestParallelGolden(t *testing.T) {
	n := map[dumpreader.Format]int{}
	for path, format := range textCaptures(t) {
		if !parallelFormats[format] {
			continue
		}
		n[format]++
		checkSameAsSerial(t, path)
	}
	if len(n) != len(parallelFormats) {
		t.Errorf("captures read of each format: %v, want some of each of %v", n, parallelFormats)
	}
	paths, _ := filepath.Glob(filepath.Join("testdata", "kd", "*"))
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			checkSameAsSerial(t, p)
		}
	}
}

// TestParallelCorpus: so do the captures of the shared corpus, whatever
// their format (the others are read serially, and must stay so).
func TestParallelCorpus(t *testing.T) {
	skipWithoutCorpus(t)
	if testing.Short() {
		t.Skip("reads the corpus many times")
	}
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.HasSuffix(path, ".md") && !strings.HasSuffix(path, ".tsv") {
			checkSameAsSerial(t, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestParallelGenerated: generated captures (kd, with a leak of distinct
// names; Handle's listing and CSV; lsof's listing, -F and -F0), plain and
// gzip, and damaged in the ways pastes are (a cut last line, CRLF line
// ends, a line longer than the reader reads).
func TestParallelGenerated(t *testing.T) {
	dir := t.TempDir()
	lcfg := listgen.Config{Processes: 30, Handles: 6000, Seed: 3, LeakShare: 0.3}
	gens := map[string]func(w io.Writer) error{
		"kd": func(w io.Writer) error {
			cfg := kdgen.Config{Processes: 12, Handles: 3000, Seed: 3, Leaks: []kdgen.Leak{{Type: "File", Share: 0.5, Distinct: true}}}
			_, err := kdgen.Write(w, cfg)
			return err
		},
		"handle":     func(w io.Writer) error { _, err := listgen.WriteHandle(w, lcfg); return err },
		"handle-csv": func(w io.Writer) error { _, err := listgen.WriteHandleCSV(w, lcfg); return err },
		"lsof":       func(w io.Writer) error { _, err := listgen.WriteLsof(w, lcfg); return err },
		"lsof-F":     func(w io.Writer) error { _, err := listgen.WriteLsofFields(w, lcfg, false); return err },
		"lsof-F0":    func(w io.Writer) error { _, err := listgen.WriteLsofFields(w, lcfg, true); return err },
	}
	for gen, write := range gens {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		plain := buf.Bytes()
		long := append(append(append([]byte{}, plain[:len(plain)/2]...), bytes.Repeat([]byte("x"), 1<<20+100)...), plain[len(plain)/2:]...)
		cases := map[string][]byte{
			"plain.txt":   plain,
			"cut.txt":     plain[:len(plain)-17],
			"crlf.txt":    bytes.ReplaceAll(plain, []byte("\n"), []byte("\r\n")),
			"long.txt":    long,
			"longend.txt": append(append([]byte{}, plain...), bytes.Repeat([]byte("y"), 1<<20+5)...),
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(plain)
		zw.Close()
		cases["plain.txt.gz"] = gz.Bytes()
		for name, data := range cases {
			p := filepath.Join(dir, gen+"-"+name)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			checkSameAsSerial(t, p)
		}
	}
}
