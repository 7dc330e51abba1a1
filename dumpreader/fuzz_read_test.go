package dumpreader

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/internal/mdwrite"
)

// FuzzRead feeds Read arbitrary bytes with the format detected: every
// reader leakdiag has (kd, Handle, lsof, minidump, snapshot JSON, gzip'd
// or not) is reachable. Properties: no panic, no hang, and a snapshot read
// has its lines or bytes accounted for.
func FuzzRead(f *testing.F) {
	for _, glob := range []string{"../testdata/kd/*.txt", "../testdata/handleexe/*.txt", "../testdata/lsof/*.txt", "../testdata/findzombie/*.txt", "../testdata/drmemory/*.txt", "../testdata/kd/*.golden.json"} {
		paths, _ := filepath.Glob(glob)
		for i, p := range paths {
			if i >= 8 {
				break
			}
			if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
	b := mdwrite.New()
	b.DescriptorSize = 40
	b.SetMisc(42, time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	b.AddModule(`C:\a\app.exe`, 0x400000, 0x1000, 1, 1, 0, 0, 1)
	b.AddHandle(4, "Event", "", 0, 0, 1, 1)
	b.AddHandle(8, "Key", `\REGISTRY\MACHINE`, 2, 0, 1, 1)
	b.AddHandleOp(4, 42, 1, 1, []uint64{0x400010})
	dump := b.Bytes()
	f.Add(dump)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(dump)
	zw.Close()
	f.Add(gz.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		snap, err := Read(bytes.NewReader(data), "fuzz", Options{Limits: Limits{MaxExpanded: 1 << 20}})
		if err != nil {
			return
		}
		for _, src := range snap.Sources {
			if l := src.Lines; l.Parsed+l.Ignored+l.Unrecognized != l.Total {
				t.Fatalf("%s: lines %+v do not add up", src.Format, l)
			}
			if bc := src.Bytes; bc != nil && bc.Parsed+bc.Skipped+bc.Other != bc.Total {
				t.Fatalf("%s: bytes %+v do not add up", src.Format, bc)
			}
		}
	})
}
