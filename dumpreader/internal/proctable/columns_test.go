package proctable

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitCells(t *testing.T) {
	tests := []struct {
		in     string
		want   []string
		tabbed bool
	}{
		{"a\tb c\t\td", []string{"a", "b c", "", "d"}, true},
		{"  a b   c    d ", []string{"a b", "c", "d"}, false},
		{"one", []string{"one"}, false},
	}
	for _, tc := range tests {
		cells, tabbed := SplitCells([]byte(tc.in), nil)
		var got []string
		for _, c := range cells {
			got = append(got, string(c))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" || tabbed != tc.tabbed {
			t.Errorf("SplitCells(%q): tabbed %v, cells (-want +got):\n%s", tc.in, tabbed, diff)
		}
	}
	if cells, _ := SplitCells([]byte(strings.Repeat("\t", 10000)), nil); len(cells) != MaxCols {
		t.Errorf("SplitCells(10000 tabs) = %d cells, want %d", len(cells), MaxCols)
	}
}

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

// TestIsFence: fences as CommonMark has them, an info string after
// backticks or tildes, none with a backtick after backticks.
func TestIsFence(t *testing.T) {
	for in, want := range map[string]bool{
		"```": true, "```text": true, "~~~": true, "``` x": true, "````": true, "~~~ a`b": true,
		"```a`b": false, "``": false, "~~": false, "`x`": false, "text ```": false,
	} {
		if got := IsFence([]byte(in)); got != want {
			t.Errorf("IsFence(%q) = %v, want %v", in, got, want)
		}
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

func TestCutAt(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  []string
	}{
		{"a|b ||c", 10, []string{"a", "b ", "", "c"}},
		{"a|b|c|d", 2, []string{"a", "b"}},
		{"abc", 3, []string{"abc"}},
		{"", 3, []string{""}},
		{"a|", 3, []string{"a", ""}},
	}
	for _, tc := range tests {
		var got []string
		for _, c := range CutAt([]byte(tc.in), '|', tc.limit, nil) {
			got = append(got, string(c))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("CutAt(%q, %d): diff (-want +got):\n%s", tc.in, tc.limit, diff)
		}
	}
}
