package kd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
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

// An entry's lines are taken from the workers only in the state they
// assume: not in the output of a command leakdiag does not read, not
// inside a user-mode entry, not outside any entry; the lines are read as
// the serial reader reads them there.
func TestParallelStates(t *testing.T) {
	const entry = `0004: Object: ffffc38e2ff236b0  GrantedAccess: 0012019f Entry: ffffa08f5b1ff010
Object: ffffc38e2ff236b0  Type: (ffffc38e2c0fcf00) File
    ObjectHeader: ffffc38e2ff23680 (new version)
        HandleCount: 2  PointerCount: 65536
        Directory Object: 00000000  Name: \Windows\System32\en-US\foo.dll.mui {HarddiskVolume4}
`
	const proc = `0: kd> !process 0 0
PROCESS ffffc38e2c0dc080
    SessionId: 1  Cid: 08fc    Peb: da309be000  ParentCid: 156c
    DirBase: 1bc32002  ObjectTable: ffffa08f5ad26540  HandleCount: 2041.
    Image: app.exe

`
	cases := map[string]string{
		"ignored command": proc + "0: kd> !unreadcommand 1 2\n" + entry + "\n" + entry,
		"user-mode entry": "0:000> !handle\nHandle 4\n  Type          Directory\n" +
			"Object: ffffc38e2ff236b0  Type: (ffffc38e2c0fcf00) File\n        Directory Object: 00000000  Name: \\x\nHandle 8\n  Type          File\n",
		"no entry":      proc + "Object: ffffc38e2ff236b0  Type: (ffffc38e2c0fcf00) File\n        Directory Object: 00000000  Name: \\y\n" + entry,
		"stray bracket": proc + "0: kd> !handle 0 3\n" + strings.Replace(entry, "}\n", "}]\n", 1) + entry,
		"damaged name":  proc + "0: kd> !handle 0 3\n" + strings.Replace(entry, "foo.dll", "f&amp;oo.dll", 1) + entry,
		"orphans":       entry + "\n" + entry + proc + entry,
		"kernel table":  "0: kd> !handle 0 3 0\nKernel handle table at ffffa30c9aa06580 with 2 entries in use\n\n" + strings.Replace(entry, "0004:", "80000004:", 1) + "\n" + entry,
		"unterminated":  proc + "0: kd> !handle 0 3\n" + entry + strings.TrimSuffix(entry, "\n"),
	}
	for name, c := range cases {
		checkParallel(t, name, c)
	}
}

// TestParallelTestdata: the kd captures of the repository read the same
// on workers.
func TestParallelTestdata(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "kd", "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkParallel(t, p, string(data))
	}
}
