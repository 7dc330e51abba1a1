package dumpreader

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// adminToolFormats are the formats of Windows admin tools' tables read
// by procexp, sysinformer and osquery, by the start of the names of
// their files (in ../testdata and in the corpus's wintools folder).
var adminToolFormats = map[string]Format{
	"testdata/procexp/":        FormatProcexp,
	"testdata/sysinformer/":    FormatSysinformer,
	"testdata/osquery/":        FormatOsquery,
	"wintools/systeminformer-": FormatSysinformer,
	"wintools/other-osquery-":  FormatOsquery,
}

// TestDetectAdminToolTables checks detection over every capture at hand,
// the project's and the corpus's: the samples of Process Explorer,
// System Informer and osquery output are detected as their format, and
// no other capture is taken for one of them.
func TestDetectAdminToolTables(t *testing.T) {
	for _, root := range []string{"../testdata", "../../shared/corpus"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if ext := filepath.Ext(path); ext == ".json" || ext == ".md" || ext == ".tsv" || ext == ".go" || ext == ".yaml" {
				return nil
			}
			want := Format("")
			slash := filepath.ToSlash(path)
			for prefix, f := range adminToolFormats {
				if strings.Contains(slash, prefix) {
					want = f
				}
			}
			t.Run(path, func(t *testing.T) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if len(data) > scan.SniffLen {
					data = data[:scan.SniffLen]
				}
				got := Detect(data)
				mine := got == FormatProcexp || got == FormatSysinformer || got == FormatOsquery
				switch {
				case want != "" && got != want:
					t.Errorf("Detect(%s) = %q, want %q", path, got, want)
				case want == "" && mine:
					t.Errorf("Detect(%s) = %q: taken for an admin tool's table", path, got)
				}
			})
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
}
