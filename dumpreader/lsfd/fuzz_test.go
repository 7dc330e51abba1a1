package lsfd

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/leakdiag/leakdiag/facts"
)

func cmpSortStrings() cmp.Option { return cmpopts.SortSlices(func(a, b string) bool { return a < b }) }

// FuzzRead feeds the reader arbitrary bytes: no panic, every line
// accounted for, seeded with the project's captures.
func FuzzRead(f *testing.F) {
	paths, _ := filepath.Glob("../../testdata/lsfd/*.txt")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(defaultHeader + "Web Content 9120 alice 44 rw- UNIX sockfs 8 71234\n"))
	f.Add([]byte("$ sudo lsfd -n -o PID,TYPE,ASSOC,NAME -p 812\n812   REG     3 /var/log/app.log\n812   TCP     4 state=established\n"))
	f.Add([]byte("worker 4711 svcapp 5 rw--- TCP sockfs 8 90377 state=listen laddr=0.0.0.0:8443\nworker 4711 svcapp 6 rw--- TCP sockfs 8 90378 state=close-wait\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := facts.NewBuilder()
		log := facts.NewSourceLog("fuzz.txt", Name)
		if err := Read(b, log, bytes.NewReader(data)); err != nil {
			return
		}
		if l := log.Lines; l.Parsed+l.Ignored+l.Unrecognized != l.Total {
			t.Fatalf("lines %+v do not add up", l)
		}
		Sniff(data)
	})
}
