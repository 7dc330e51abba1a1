package wintable

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"458", 458, true},
		{"1,234", 1234, true},
		{"1.234", 1234, true},
		{"1 957 454", 1957454, true},
		{"12\u00a0345", 12345, true},
		{"12\u202f345", 12345, true},
		{"1'234'567", 1234567, true},
		{"0", 0, true},

		{"", 0, false},
		{"1,5", 0, false},       // a decimal
		{"535,27 MB", 0, false}, // a size
		{"12345,678", 0, false},
		{"1,2345", 0, false},
		{",123", 0, false},
		{"-1", 0, false},
		{"0x10", 0, false},
		{"n/a", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseCount([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseCount(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSplit(t *testing.T) {
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
		cells, tabbed := Split([]byte(tc.in), nil)
		var got []string
		for _, c := range cells {
			got = append(got, string(c))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" || tabbed != tc.tabbed {
			t.Errorf("Split(%q): tabbed %v, cells (-want +got):\n%s", tc.in, tabbed, diff)
		}
	}
	if cells, _ := Split([]byte(strings.Repeat("\t", 10000)), nil); len(cells) != MaxCells {
		t.Errorf("Split(10000 tabs) = %d cells, want %d", len(cells), MaxCells)
	}
}

func TestColumns(t *testing.T) {
	cols := Lookup([][]byte{[]byte("Process"), []byte(" PID "), []byte("Private  Bytes"), []byte("Handles")},
		map[string]Role{"process": RoleName, "pid": RolePID, "handles": RoleHandles})
	if !cols.Has(RolePID) || cols.Has(RolePath) || cols.At[RoleHandles] != 3 {
		t.Errorf("Lookup: %+v", cols)
	}
	row := [][]byte{[]byte("x.exe"), []byte("12")}
	if c := cols.Cell(row, RoleHandles); c != nil {
		t.Errorf("Cell past the row's end = %q, want nil", c)
	}
	if cols.Misfit(2, true) != "" || cols.Misfit(2, false) == "" || cols.Misfit(5, true) == "" || cols.Misfit(4, false) != "" {
		t.Errorf("Misfit does not tell the rows that fit")
	}
}

func TestIsFence(t *testing.T) {
	for in, want := range map[string]bool{"```": true, "```text": true, "~~~": true, "``` x": false, "```a`b": false, "``": false} {
		if got := IsFence([]byte(in)); got != want {
			t.Errorf("IsFence(%q) = %v, want %v", in, got, want)
		}
	}
}
