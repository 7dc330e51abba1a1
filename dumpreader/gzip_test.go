package dumpreader

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/kdgen"
)

// gunzipResult is what reading a gzip stream gives: its bytes, the error
// that ended it and the container's diagnostics.
type gunzipResult struct {
	Out   string
	Err   string
	Diags []facts.Diagnostic
}

// gunzipFile reads the gzip file at path as a capture is read, by
// klauspost's inflater where the file can be opened again (reopen), by
// compress/gzip throughout where it cannot.
func gunzipFile(t *testing.T, path string, reopen bool) gunzipResult {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var res gunzipResult
	var again func() (io.ReadCloser, error)
	if reopen {
		again = func() (io.ReadCloser, error) { return os.Open(path) }
	}
	zr, err := newGzipReader(f, path, Limits{}.withDefaults(), func(d facts.Diagnostic) { res.Diags = append(res.Diags, d) }, again)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	defer zr.Close()
	out, err := io.ReadAll(zr)
	res.Out = string(out)
	if err != nil {
		res.Err = err.Error()
	}
	return res
}

// TestGzipBreaksAsCompressGzip: klauspost's inflater stops a few bytes
// short of where compress/gzip does when a stream breaks; a file that
// breaks (cut anywhere, a byte damaged, a second member cut) reads to
// the same byte, with the same diagnostic, as compress/gzip reads it.
func TestGzipBreaksAsCompressGzip(t *testing.T) {
	var capture bytes.Buffer
	if _, err := kdgen.Write(&capture, kdgen.Config{Processes: 20, Handles: 3000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	gz := gzipBytes(t, capture.Bytes())
	two := append(append([]byte(nil), gz...), gzipBytes(t, capture.Bytes()[:50_000])...)
	type variant struct {
		name string
		data []byte
	}
	var variants []variant
	for _, cut := range []int{11, 12, 30, 100, 1001, 4096, len(gz) / 3, len(gz) / 2, len(gz) - 9, len(gz) - 1, len(gz) + 40} {
		variants = append(variants, variant{fmt.Sprintf("cut at %d", cut), two[:cut]})
	}
	for _, at := range []int{200, 5000, len(gz) / 2, len(gz) - 5} {
		bad := append([]byte(nil), gz...)
		bad[at] ^= 0x55
		variants = append(variants, variant{fmt.Sprintf("byte %d damaged", at), bad})
	}
	variants = append(variants, variant{"whole, two members", two})
	dir := t.TempDir()
	fell := 0
	for i, v := range variants {
		path := filepath.Join(dir, fmt.Sprintf("c%d.txt.gz", i))
		if err := os.WriteFile(path, v.data, 0o644); err != nil {
			t.Fatal(err)
		}
		want := gunzipFile(t, path, false)
		got := gunzipFile(t, path, true)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: diff (-compress/gzip +klauspost):\n%s", v.name, diff)
		}
		if len(want.Diags) > 0 {
			fell++
		}
	}
	if fell < 10 {
		t.Errorf("only %d of the variants break: the test no longer tests breaks", fell)
	}
}

// gzipBytes compresses data as one gzip member.
func gzipBytes(tb testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzGzipFile: a gzip file, whatever its bytes, reads the same through
// klauspost's inflater in leakdiag's framing (with compress/gzip where a
// member breaks) as through compress/gzip alone: the same text, error
// and diagnostics; and nothing panics.
func FuzzGzipFile(f *testing.F) {
	f.Add(gzipBytes(f, []byte("0: kd> !process 0 0\nPROCESS ffffe0012a\n")))
	two := append(gzipBytes(f, []byte("one\n")), gzipBytes(f, []byte("two\n"))...)
	f.Add(two)
	f.Add(two[:len(two)-3])
	f.Add([]byte{0x1f, 0x8b, 8, 0x1e, 0, 0, 0, 0, 0, 0xff, 2, 0, 'x', 'y', 'n', 0, 'c', 0, 0, 0})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "f.gz")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		want := gunzipFile(t, path, false)
		got := gunzipFile(t, path, true)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("diff (-compress/gzip +klauspost):\n%s", diff)
		}
	})
}
