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
