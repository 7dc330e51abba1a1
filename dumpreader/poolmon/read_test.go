package poolmon_test

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

// TestListingWithoutHeader: rows under the memory line alone, the table
// header scrolled out of the paste. The listing and its note start at the
// first row, and a tag shown in both pools is one tag with both figures.
func TestListingWithoutHeader(t *testing.T) {
	text := " Memory: 8388608K Avail: 1048576K  PageFlts: 112\n" +
		" Thre Nonp  91000 (  4)  88000 (  4)  3000  3840000 (  0)  1280\n" +
		" Thre Paged   200 (  0)    180 (  0)    20     2560 (  0)   128\n"
	snap, err := dumpreader.Read(strings.NewReader(text), "t.txt", dumpreader.Options{Format: dumpreader.FormatPoolmon})
	if err != nil {
		t.Fatal(err)
	}
	u := snap.Memory.Pool
	if len(u.Listings) != 1 || u.Listings[0].Source.Line != 2 || u.Listings[0].Rows != 2 {
		t.Fatalf("listings %+v, want one of 2 rows at line 2", u.Listings)
	}
	if len(u.TopNonPaged) != 1 || len(u.TopPaged) != 1 {
		t.Fatalf("top tags %+v %+v", u.TopNonPaged, u.TopPaged)
	}
	if got := u.TopNonPaged[0]; got.NonPagedBytes != 3840000 || got.PagedBytes != 2560 || got.PagedAllocs != 20 {
		t.Errorf("Thre = %+v, want both pools' figures", got)
	}
	if u.TotalsFrom != facts.TotalsFromRows {
		t.Errorf("totals from %q, want the rows' sums", u.TotalsFrom)
	}
	for _, d := range snap.Diagnostics {
		if d.Line < 1 || d.Line > 3 {
			t.Errorf("diagnostic %+v is outside the input", d)
		}
	}
}

// TestConsoleRowUnderProse: a post quotes the one row of PoolMon's console
// that grows, under its own words naming the tool. The row is the
// listing; the words are no command line of it, and stay a line to report.
func TestConsoleRowUnderProse(t *testing.T) {
	text := "poolmon.exe shows the following:\n```\n" +
		"Ctso Paged      2418 (   0)         0 (   0)     2418   633864192 (          0)      262144\n" +
		"```\nwith every restart of the contoso service the counter grows.\n"
	if got := dumpreader.Detect([]byte(text)); got != dumpreader.FormatPoolmon {
		t.Fatalf("Detect = %q, want PoolMon's output", got)
	}
	snap, err := dumpreader.Read(strings.NewReader(text), "t.txt", dumpreader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	u := snap.Memory.Pool
	if len(u.Listings) != 1 || u.Listings[0].Command != "" || u.Listings[0].Source.Line != 3 {
		t.Fatalf("listings %+v, want one at line 3 without a command", u.Listings)
	}
	if len(u.TopPaged) != 1 || u.TopPaged[0].Tag != "Ctso" || u.TopPaged[0].PagedBytes != 633864192 || u.TopPaged[0].PagedAllocs != 2418 {
		t.Errorf("top paged tags %+v", u.TopPaged)
	}
	if n := snap.Sources[0].Lines.Unrecognized; n != 2 {
		t.Errorf("unrecognized lines = %d, want the 2 lines of prose", n)
	}
}
