package dumpreader

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
)

func TestSniff(t *testing.T) {
	kd, err := os.ReadFile("../testdata/kd/seed-xp-process00-handle.txt")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("# notes, not a capture\n"))
	zw.Close()
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		format        Format
		compressed    string
	}{
		{"README.md", "# Captures\n\nTaken with `!handle 0 3` on the file server.\n", "", ""},
		{"SOURCES.tsv", "file\tsource\tnote\ncase-1.txt\thttps://example.com/1\tcut short\n", "", ""},
		{"empty.txt", "", "", ""},
		{"capture.txt", string(kd), FormatKD, ""},
		{"bad.dmp", "MDMP but not a whole minidump", FormatMinidump, ""},
		{"notes.txt.gz", gz.String(), "", "gzip"},
		{"cut.zip", "PK\x03\x04 cut short", "", "zip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			format, compressed, err := Sniff(p)
			if err != nil || format != tc.format || compressed != tc.compressed {
				t.Errorf("Sniff(%s) = %q, %q, %v; want %q, %q, nil", tc.name, format, compressed, err, tc.format, tc.compressed)
			}
		})
	}
	if _, _, err := Sniff(filepath.Join(dir, "missing.txt")); err == nil {
		t.Error("Sniff of a missing file: no error")
	}
}
