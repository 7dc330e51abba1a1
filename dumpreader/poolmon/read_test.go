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
