package handleexe

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/internal/corpus"
	"github.com/leakdiag/leakdiag/internal/listgen"
)

// readJSONWith reads capture with par into snapshot JSON.
func readJSONWith(t *testing.T, capture string, par scan.Parallel) string {
	t.Helper()
	return readtest.JSONWith(t, ReadWith, Name, capture, par)
}

// checkParallel fails unless capture reads the same with workers as
// without (readtest.CheckParallel).
func checkParallel(t *testing.T, name, capture string) {
	t.Helper()
	readtest.CheckParallel(t, ReadWith, Name, name, capture)
}

// Listing lines are taken from the workers only where the reader would
// read them as printed: a line the cleaner repairs (HTML, markdown, a
// no-break space), one a comment marker starts, is read by the reader.
func TestParallelStates(t *testing.T) {
	const head = "Nthandle v4.22 - Handle viewer\nCopyright (C) 1997-2019 Mark Russinovich\nSysinternals - www.sysinternals.com\n\n" +
		"------------------------------------------------------------------------------\nnotepad.exe pid: 6312 DESKTOP\\dev\n"
	const entries = "    4: Event         \n   3C: File  (RW-)   C:\\Users\\dev\\Documents\n   40: Key           HKLM\\SOFTWARE\n"
	cases := map[string]string{
		"entities":       head + entries + "   44: File  (RW-)   C:\\a&amp;b.txt\n   48: Key           HKLM\\x&lt;y&gt;\n" + entries,
		"markdown":       head + "> " + strings.ReplaceAll(entries, "\n", "\n> ") + "\n**4C**: Event\n   50: File  (RW-)   C:\\a\\_b\n" + entries,
		"no-break space": head + "   44:\u00a0File  (RW-)   C:\\x\n   48: Key\u00a0          HKLM\\y\n" + entries,
		"comment":        head + "# " + strings.ReplaceAll(entries, "\n", "\n# ") + "\n% 54: Event\n" + entries,
		"no section":     "   44: File  (RW-)   C:\\x\n" + head + entries,
		"replaced":       head + "   44: File  (RW-)   C:\\??\\x?y\n" + entries,
		"duplicate":      head + entries + entries,
		"tabs":           head + "\t44:\tEvent\t\n" + entries,
		"close":          "C:\\>handle -c 44 -p 6312\n" + entries + "Handle closed.\n",
		"unterminated":   head + entries + "   58: File  (RW-)   C:\\cut",
	}
	for name, c := range cases {
		checkParallel(t, name, c)
	}
}

// TestParallelCaptures: the project's Handle captures and generated
// listings read the same on workers.
func TestParallelCaptures(t *testing.T) {
	for _, p := range handleExeCaptures(t) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkParallel(t, p, string(data))
	}
	cfg := listgen.Config{Processes: 9, Handles: 2000, Seed: 7, LeakShare: 0.4}
	var listing, csv bytes.Buffer
	if _, err := listgen.WriteHandle(&listing, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := listgen.WriteHandleCSV(&csv, cfg); err != nil {
		t.Fatal(err)
	}
	checkParallel(t, "generated listing", listing.String())
	checkParallel(t, "generated CSV", csv.String())
}

// TestParallelCorpus: so does every capture of the shared corpus, read
// as Handle output whatever its format.
func TestParallelCorpus(t *testing.T) {
	root := corpus.Path(t)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".tsv") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checkParallel(t, p, string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzParallel: any input reads the same on workers, every line parsed by
// one, cut in pieces of a few bytes, as on one goroutine.
func FuzzParallel(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("../../testdata", "handleexe", "*.txt"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, uint8(7))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		want := readJSONWith(t, string(data), scan.Parallel{})
		if got := readJSONWith(t, string(data), scan.Parallel{Workers: 2, ChunkSize: 1 + int(chunk), Wait: true}); got != want {
			t.Errorf("chunks of %d: the snapshot differs from the serial read\nserial:\n%s\nparallel:\n%s", 1+int(chunk), want, got)
		}
	})
}

// hasCSVHeader tells CSV output, which ReadWith reads serially.
func TestHasCSVHeader(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{"C:\\>handle -a -v\nProcess,PID,User,Handle,Type,Share Flags,Name\nx.exe,4,D\\u,0x4,Event,,\n", true},
		{"Process\tPID\tUser\tHandle\tType\tShare Flags\tName\r\n", true},
		{"Nthandle v4.22 - Handle viewer\n\nx.exe pid: 4 D\\u\n    4: Event\n", false},
		{"Process,PID\n", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := hasCSVHeader([]byte(tc.head)); got != tc.want {
			t.Errorf("hasCSVHeader(%q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

// A stringIntern with a limit keeps that many values and makes the others
// all the same.
func TestStringInternLimit(t *testing.T) {
	in := stringIntern{limit: 2}
	for _, v := range []string{"a", "b", "c", "d", "a", "c"} {
		if got := in.get([]byte(v)); got != v {
			t.Errorf("get(%q) = %q", v, got)
		}
	}
	if len(in.m) != 2 {
		t.Errorf("%d values kept, want 2 (the limit)", len(in.m))
	}
}
