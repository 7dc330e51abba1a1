package listgen_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/internal/listgen"
)

var writers = map[string]func(io.Writer, listgen.Config) (listgen.Stats, error){
	"handle":     listgen.WriteHandle,
	"handle-csv": listgen.WriteHandleCSV,
	"lsof":       listgen.WriteLsof,
	"lsof-F": func(w io.Writer, c listgen.Config) (listgen.Stats, error) {
		return listgen.WriteLsofFields(w, c, false)
	},
	"lsof-F0": func(w io.Writer, c listgen.Config) (listgen.Stats, error) {
		return listgen.WriteLsofFields(w, c, true)
	},
}

// Every listing is the same for a Config, as its Stats say, and read by
// leakdiag as the format it claims, every line accounted for as read,
// every handle counted.
func TestListings(t *testing.T) {
	cfg := listgen.Config{Processes: 20, Handles: 3000, Seed: 4, LeakShare: 0.25}
	want := map[string]dumpreader.Format{"handle": dumpreader.FormatHandle, "handle-csv": dumpreader.FormatHandle,
		"lsof": dumpreader.FormatLsof, "lsof-F": dumpreader.FormatLsof, "lsof-F0": dumpreader.FormatLsof}
	for name, write := range writers {
		var a, b bytes.Buffer
		st, err := write(&a, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := write(&b, cfg); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two writes of one Config differ (%v)", name, err)
		}
		if st.Bytes != int64(a.Len()) || st.Lines != int64(bytes.Count(a.Bytes(), []byte("\n"))) || st.Handles != cfg.Handles {
			t.Errorf("%s: Stats %+v, wrote %d bytes, %d lines", name, st, a.Len(), bytes.Count(a.Bytes(), []byte("\n")))
		}
		p := filepath.Join(t.TempDir(), name+".txt")
		if err := os.WriteFile(p, a.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		snap, err := dumpreader.ReadFile(p, dumpreader.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		src := snap.Sources[0]
		if dumpreader.Format(src.Format) != want[name] || src.Lines.Unrecognized != 0 || src.Lines.Total != st.Lines {
			t.Errorf("%s: read as %s, lines %+v, want %s, %d lines, none unrecognized", name, src.Format, src.Lines, want[name], st.Lines)
		}
		var handles int64
		for _, p := range snap.Processes {
			handles += p.HandlesParsed
		}
		if handles != cfg.Handles || len(snap.Processes) != cfg.Processes {
			t.Errorf("%s: %d handles in %d processes, want %d in %d", name, handles, len(snap.Processes), cfg.Handles, cfg.Processes)
		}
	}
	if _, err := listgen.WriteHandle(io.Discard, listgen.Config{Processes: 3, Handles: 2}); err == nil {
		t.Error("WriteHandle: fewer handles than processes: no error")
	}
}
