package scan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakdiag/leakdiag/facts"
)

func TestDoubleSpaced(t *testing.T) {
	for in, want := range map[string]bool{
		"a\n\nb\n\nc\n\nd\n\n":         true,
		"a\n\nb\n\n\n\nc\n\nd\n":       true, // a blank line of the capture, doubled
		"a\r\n\r\nb\r\n\r\nc\r\n\r\nd": true,
		"a\n\nb\n\nc\n\n":              false, // three lines: a note's paragraphs
		"a\nb\n\nc\n\nd\n\ne\n":        false,
		"a\rb\rc\rd\r":                 false,
	} {
		if got := DoubleSpaced([]byte(in)); got != want {
			t.Errorf("DoubleSpaced(%q) = %v, want %v", in, got, want)
		}
	}
}

// ReadLines hands a reader the lines of a double-spaced capture without
// their spacing, blank lines of the capture kept, numbered as the file's.
func TestReadLinesDropsSpacing(t *testing.T) {
	in := "a\n\nb\n\n\n\nc\n\nd\n\n"
	var got []string
	var nums []int64
	var lineNo int64
	log := facts.NewSourceLog("x", "x")
	var clean Cleaner
	if _, _, err := ReadLines(strings.NewReader(in), log, &lineNo, &clean, func(raw []byte) LineKind {
		got, nums = append(got, string(raw)), append(nums, lineNo)
		if len(raw) == 0 {
			return Ignored
		}
		return Parsed
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b", "", "c", "d"}, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{1, 3, 5, 7, 9}, nums); diff != "" {
		t.Errorf("line numbers (-want +got):\n%s", diff)
	}
	if want := (facts.LineCounts{Total: 10, Parsed: 4, Ignored: 6}); log.Lines != want {
		t.Errorf("lines %+v, want %+v", log.Lines, want)
	}
	var sniffed []string
	Sniff([]byte(in), func(line []byte) bool { sniffed = append(sniffed, string(line)); return false })
	if diff := cmp.Diff(got, sniffed); diff != "" {
		t.Errorf("Sniff's lines (-ReadLines' +Sniff's):\n%s", diff)
	}
}
