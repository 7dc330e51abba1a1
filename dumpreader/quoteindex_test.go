package dumpreader

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/internal/kdgen"
)

// TestQuoteByOffset: the lines a Quoter reads by offset from a plain
// capture are those a read of the whole file gives, for lines at and
// around the noted offsets, lines cut for length, CRLF ends, a last line
// without a break and lines past the end; so are those a Quoter reads of
// a gzip capture from its checkpoints (one member or several, checkpoints
// thinned); a gzip capture that breaks is quoted by reading it.
func TestQuoteByOffset(t *testing.T) {
	defer func(every int64) { gzipCheckpointEvery = every }(gzipCheckpointEvery)
	gzipCheckpointEvery = 20 << 10 // a few dozen checkpoints, thinned once
	var buf bytes.Buffer
	if _, err := kdgen.Write(&buf, kdgen.Config{Processes: 30, Handles: 3000, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	plain := buf.Bytes()
	long := append(append(append([]byte{}, plain[:len(plain)/3]...), bytes.Repeat([]byte("z"), 1<<20+10)...), plain[len(plain)/3:]...)
	cases := map[string][]byte{
		"plain.txt": plain,
		"crlf.txt":  bytes.ReplaceAll(plain, []byte("\n"), []byte("\r\n")),
		"long.txt":  long,
		"cut.txt":   plain[:len(plain)-10],
		"bom.txt":   append([]byte("\xef\xbb\xbf"), plain...),
	}
	gz := func(parts ...[]byte) []byte {
		var buf bytes.Buffer
		for _, p := range parts {
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
			zw.Write(p)
			zw.Close()
		}
		return buf.Bytes()
	}
	third := len(plain) / 3
	cases["plain.txt.gz"] = gz(plain)
	cases["members.txt.gz"] = gz(plain[:third], plain[third:2*third+7], plain[2*third+7:])
	cases["crlf.txt.gz"] = gz(cases["crlf.txt"])
	cases["long.txt.gz"] = gz(long)
	cases["cut.txt.gz"] = cases["plain.txt.gz"][:len(cases["plain.txt.gz"])/2]
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for name, data := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var q Quoter
		if _, err := ReadFile(p, Options{Quoter: &q}); err != nil {
			t.Fatal(err)
		}
		idx := q.read[p]
		broken := name == "cut.txt.gz"
		if (idx.lines == nil) != broken || (idx.gz == nil) != (filepath.Ext(name) != ".gz" || broken) {
			t.Errorf("%s: index %v", name, idx)
		}
		if idx.gz != nil && len(idx.gz.cps) < 4 {
			t.Errorf("%s: %d checkpoints", name, len(idx.gz.cps))
		}
		total := int64(bytes.Count(plain, []byte("\n"))) + 2
		lines := []int64{0, 1, 2, indexEvery - 1, indexEvery, indexEvery + 1, 2 * indexEvery, total - 3, total - 2, total - 1, total, total + 5}
		for i := 0; i < 40; i++ {
			lines = append(lines, 1+rng.Int64N(total))
		}
		lines = append(lines, lines[5], lines[20])
		got, err := q.Quote(p, lines)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Quote(p, lines)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: by offset %d lines, by reading %d", name, len(got), len(want))
			for l, w := range want {
				if got[l] != w {
					t.Errorf("%s: line %d: by offset %q, by reading %q", name, l, got[l], w)
				}
			}
		}
	}
}

// TestIndexThins: an index that fills keeps every other offset and notes
// lines twice as far apart, so its size stays bounded.
func TestIndexThins(t *testing.T) {
	x := newIndexer(bytes.NewReader(nil), 0)
	block := bytes.Repeat([]byte("x\n"), indexEvery*64)
	for i := 0; i < maxIndexOffsets/64+1; i++ {
		x.note(block)
	}
	idx := x.index()
	if len(idx.offsets) >= maxIndexOffsets || idx.every != 2*indexEvery {
		t.Fatalf("%d offsets, every %d", len(idx.offsets), idx.every)
	}
	for i, off := range idx.offsets {
		if want := int64(i) * idx.every * 2; off != want {
			t.Fatalf("offset %d = %d, want %d", i, off, want)
		}
	}
}

// TestGzipIndexBudget: past the run's budget of checkpoint windows a
// gzip capture gets no checkpoints, and is quoted by reading it, the
// same lines.
func TestGzipIndexBudget(t *testing.T) {
	defer func(every int64) { gzipCheckpointEvery = every }(gzipCheckpointEvery)
	gzipCheckpointEvery = 20 << 10
	var buf bytes.Buffer
	if _, err := kdgen.Write(&buf, kdgen.Config{Processes: 10, Handles: 2000, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(buf.Bytes())
	zw.Close()
	p := filepath.Join(t.TempDir(), "c.txt.gz")
	if err := os.WriteFile(p, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	quote := func() (quoteIndex, map[int64]string) {
		t.Helper()
		var q Quoter
		if _, err := ReadFile(p, Options{Quoter: &q}); err != nil {
			t.Fatal(err)
		}
		got, err := q.Quote(p, []int64{1, 700, 4000, 9000})
		if err != nil {
			t.Fatal(err)
		}
		return q.read[p], got
	}
	within, want := quote()
	if within.gz == nil || len(within.gz.cps) == 0 {
		t.Fatalf("within the budget: no checkpoints")
	}
	gzipIndexUsed.Add(gzipIndexBudget)
	defer gzipIndexUsed.Add(-gzipIndexBudget)
	over, got := quote()
	if over.gz != nil {
		t.Errorf("past the budget: %d checkpoints kept", len(over.gz.cps))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("past the budget, quotes %v, want %v", got, want)
	}
}
