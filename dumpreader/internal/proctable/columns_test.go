package proctable

import "testing"

func TestColumns(t *testing.T) {
	cols := Lookup([][]byte{[]byte("Process"), []byte(" PID "), []byte("Private  Bytes"), []byte("Handles")},
		Vocab{"process": Image, "pid": PID, "private bytes": Other, "handles": Handles})
	if !cols.Has(PID) || cols.Has(Path) || cols.At[Handles] != 3 || cols.Roles[2] != Other {
		t.Errorf("Lookup: %+v", cols)
	}
	row := [][]byte{[]byte("x.exe"), []byte("12")}
	if c := cols.Cell(row, Handles); c != nil {
		t.Errorf("Cell past the row's end = %q, want nil", c)
	}
	if cols.Misfit(2, true) != "" || cols.Misfit(2, false) == "" || cols.Misfit(5, true) == "" || cols.Misfit(4, false) != "" {
		t.Errorf("Misfit does not tell the rows that fit")
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{"Parent  PID": "parent pid", " Command\tLine ": "command line", "HandleCount": "handlecount", "": ""} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
		if got := Key([]byte(in)); got != want {
			t.Errorf("Key([]byte(%q)) = %q, want %q", in, got, want)
		}
	}
}
