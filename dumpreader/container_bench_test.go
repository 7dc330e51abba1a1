package dumpreader

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkZipManyEntries reads a zip archive of 10,000 small kd
// captures, the most entries Limits allows by default: the archive's
// directory is read once, not once per entry.
func BenchmarkZipManyEntries(b *testing.B) {
	zp := filepath.Join(b.TempDir(), "many.zip")
	f, err := os.Create(zp)
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := range 10_000 {
		w, err := zw.Create(fmt.Sprintf("host%05d/kd.txt", i))
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(w, "0: kd> !process 0 0\nPROCESS ffffe0012a%06x\n    SessionId: 1  Cid: %04x    Peb: 7ff6a000  ParentCid: 0450\n    DirBase: 1a2b3000  ObjectTable: ffffc0012a3c5000  HandleCount:  12.\n    Image: app%d.exe\n\n", i, 4*i+8, i)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		snap, err := ReadFile(zp, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Processes) != 10_000 {
			b.Fatalf("%d processes, want 10,000", len(snap.Processes))
		}
	}
}
