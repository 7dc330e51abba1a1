package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/internal/corpus"
	"github.com/leakdiag/leakdiag/internal/kdgen"
	"github.com/leakdiag/leakdiag/internal/listgen"
)

// TestReportsSameOnWorkers: analyze writes the same reports, text and
// JSON, whether a capture is read on one goroutine or cut into pieces
// (down to a few bytes, inside handle tables) parsed by 2 or 8 workers:
// the project's kd captures, Handle and lsof listings and examples, the
// shared corpus, generated kd, Handle and lsof captures whose leak adds
// distinct names.
func TestReportsSameOnWorkers(t *testing.T) {
	var paths []string
	for _, glob := range []string{"../../testdata/kd/*.txt", "../../testdata/examples/*.txt", "../../testdata/handleexe/*.txt", "../../testdata/lsof/*.txt"} {
		ps, err := filepath.Glob(glob)
		if err != nil || len(ps) == 0 {
			t.Fatalf("%s: %v", glob, err)
		}
		paths = append(paths, ps...)
	}
	own := len(paths)
	if !testing.Short() {
		t.Run("corpus", func(t *testing.T) {
			root := corpus.Path(t) // skips when the corpus is absent
			filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() && !strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, ".tsv") {
					paths = append(paths, p)
				}
				return nil
			})
		})
	}
	lcfg := listgen.Config{Processes: 40, Handles: 20000, Seed: 5, LeakShare: 0.4}
	gens := []func(io.Writer) error{
		func(w io.Writer) error {
			cfg := kdgen.Config{Processes: 40, Handles: 20000, Seed: 5, Leaks: []kdgen.Leak{{Type: "File", Share: 0.4, Distinct: true}}}
			_, err := kdgen.Write(w, cfg)
			return err
		},
		func(w io.Writer) error { _, err := listgen.WriteHandle(w, lcfg); return err },
		func(w io.Writer) error { _, err := listgen.WriteLsof(w, lcfg); return err },
	}
	for i, write := range gens {
		gen := filepath.Join(t.TempDir(), fmt.Sprintf("gen%d.txt", i))
		f, err := os.Create(gen)
		if err != nil {
			t.Fatal(err)
		}
		if err := write(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		paths = append([]string{gen}, paths...)
		own++
	}

	defer func() { readWorkers, readChunk = 0, 0 }()
	for i, p := range paths {
		formats := []string{"text", "json"}
		if i >= own {
			formats = formats[:1] // the corpus: text reports
		}
		for _, format := range formats {
			readWorkers, readChunk = 1, 0
			code, want, wantErr := runCLI(t, "analyze", "--fail-on", "never", "--format", format, p)
			for _, split := range [][2]int{{2, 7}, {8, 61}} {
				readWorkers, readChunk = split[0], split[1]
				c, got, gotErr := runCLI(t, "analyze", "--fail-on", "never", "--format", format, p)
				if c != code || got != want || gotErr != wantErr {
					t.Errorf("%s, %s, %d workers, chunks of %d: the report differs from the serial read's (exit %d, serial %d)\n%s",
						p, format, split[0], split[1], c, code, firstLineDiff(want, got))
				}
			}
		}
	}
}

// firstLineDiff shows the first line where a and b differ.
func firstLineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "serial:   " + al[i] + "\nparallel: " + bl[i]
		}
	}
	return "lengths differ"
}
