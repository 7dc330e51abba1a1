package kd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/leakdiag/leakdiag/facts"
)

func TestPoolRow(t *testing.T) {
	const oldHeader = "Tag    Allocs     Used    Allocs     Used"
	const newHeader = "Tag     Allocs         Used     Allocs         Used"
	const verboseHeader = "Tag    Allocs    Frees     Diff     Used   Allocs    Frees     Diff     Used"
	type row struct {
		Tag    string
		Totals facts.PoolTotals
		Desc   string
	}
	for _, tc := range []struct {
		name, header, line string
		want               *row
	}{
		{"glued", oldHeader, "8042        4     3944         0        0PS/2 kb and mouse , Binary: i8042prt.sys",
			&row{"8042", tot(4, 3944, 0, 0), "PS/2 kb and mouse , Binary: i8042prt.sys"}},
		{"glued description that starts with digits", oldHeader, "Nwf8        6     2208         0        0802.11 native wireless filter",
			&row{"Nwf8", tot(6, 2208, 0, 0), "802.11 native wireless filter"}},
		{"row one column short: the whole number", oldHeader, "vt..       5      640         0        0UNKNOWN pooltag",
			&row{"vt..", tot(5, 640, 0, 0), "UNKNOWN pooltag"}},
		{"last number wider than its column", oldHeader, "Thre   229873 147118720         0 123456789",
			&row{"Thre", tot(229873, 147118720, 0, 123456789), ""}},
		{"tag with a blank", oldHeader, "Irp      2311  2108016         0        0Io, IRP packets ",
			&row{"Irp", tot(2311, 2108016, 0, 0), "Io, IRP packets"}},
		{"tab", newHeader, "Cont      1094      6525216          0            0\tContiguous physical memory allocations for device drivers ",
			&row{"Cont", tot(1094, 6525216, 0, 0), "Contiguous physical memory allocations for device drivers"}},
		{"total", oldHeader, "TOTAL     3570214 209120008     38769 13066104",
			&row{"TOTAL", tot(3570214, 209120008, 38769, 13066104), ""}},
		{"verbose", verboseHeader, "Thre   920112   901204    18908 12101120        0        0        0        0Thread objects",
			&row{"Thre", tot(18908, 12101120, 0, 0), "Thread objects"}},
		{"collapsed blanks", "", "AGP 1 344 2 384UNKNOWN pooltag 'AGP '",
			&row{"AGP", tot(1, 344, 2, 384), "UNKNOWN pooltag 'AGP '"}},
		{"too few numbers", oldHeader, "Even 12033", nil},
		{"not a number", oldHeader, "Tag    Allocs     Used    Allocs     Used", nil},
		{"tag too long", oldHeader, "Thread 1 2 3 4", nil},
		{"an elision", oldHeader, "...", nil},
		{"total with words after it", oldHeader, "TOTAL 1 2 3 4 and more", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := poolState{columns: 4}
			if tc.header != "" {
				columns, edges, single, ok := poolHeader([]byte(tc.header))
				if !ok {
					t.Fatalf("poolHeader(%q) not a header", tc.header)
				}
				p.columns, p.edges, p.single = columns, edges, single
			}
			r, ok := p.row([]byte(tc.line))
			var got *row
			if ok {
				got = &row{r.tag, r.totals, string(r.desc)}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("row(%q): diff (-want +got):\n%s", tc.line, diff)
			}
		})
	}
}

func tot(npAllocs, npBytes, pAllocs, pBytes int64) facts.PoolTotals {
	return facts.PoolTotals{NonPagedAllocs: npAllocs, NonPagedBytes: npBytes, PagedAllocs: pAllocs, PagedBytes: pBytes}
}

func TestTagDescription(t *testing.T) {
	for _, tc := range []struct{ in, desc, binary string }{
		{"Etw Buffer , Binary: nt!etw", "Etw Buffer", "nt!etw"},
		{"FCB_NONPAGED                      NtfsFcbNonpagedDataLookasideList , Binary: ntfs.sys", "FCB_NONPAGED NtfsFcbNonpagedDataLookasideList", "ntfs.sys"},
		{"File objects ", "File objects", ""},
		{"UNKNOWN pooltag 'ConT', please update pooltag.txt", "", ""},
		{"", "", ""},
	} {
		desc, binary := tagDescription([]byte(tc.in))
		if desc != tc.desc || binary != tc.binary {
			t.Errorf("tagDescription(%q) = %q, %q; want %q, %q", tc.in, desc, binary, tc.desc, tc.binary)
		}
	}
}

// TestPoolListings: listings begin at their command or at their first
// line, one command line may ask for several, and totals prefer a TOTAL
// row over all tags.
func TestPoolListings(t *testing.T) {
	const capture = `0: kd> !poolused 2 Th*; !poolused 4
   Sorting by NonPaged Pool Consumed
 Tag    Allocs     Used    Allocs     Used
 Thre      611   391040         0        0Thread objects , Binary: nt!ps
 TOTAL        611   391040         0        0
   Sorting by Paged Pool Consumed
 Tag    Allocs     Used    Allocs     Used
 CM31        0        0     12004 55607296Internal Configuration manager allocations , Binary: nt!cm
 Thre      611   391040         0        0Thread objects , Binary: nt!ps
0: kd> !poolused 8
   Sorting by Session Tag
 Tag    Allocs     Used    Allocs     Used
 Gh05        0        0      9120 14925824GDI objects , Binary: win32k.sys
`
	snap := readString(t, capture)
	u := snap.Memory.Pool
	type listing struct {
		Command, Sort, Filter string
		Session, Total        bool
		Rows                  int64
	}
	var got []listing
	for _, l := range u.Listings {
		got = append(got, listing{l.Command, l.Sort, l.TagFilter, l.Session, l.TotalRow, l.Rows})
	}
	want := []listing{
		{"!poolused 2 Th*", facts.PoolSortNonPaged, "Th*", false, true, 1},
		{"!poolused 4", facts.PoolSortPaged, "", false, false, 2},
		{"!poolused 8", facts.PoolSortTag, "", true, false, 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("listings: diff (-want +got):\n%s", diff)
	}
	// The filtered listing's TOTAL row covers Th* only: the totals are
	// the larger sums of rows; the session pool's tag is not counted.
	if u.TotalsFrom != facts.TotalsFromRows || u.NonPagedBytes != 391040 || u.PagedBytes != 55607296 {
		t.Errorf("totals %d/%d from %q", u.NonPagedBytes, u.PagedBytes, u.TotalsFrom)
	}
	var tags []string
	for _, tg := range u.TopPaged {
		tags = append(tags, tg.Tag)
	}
	if diff := cmp.Diff([]string{"CM31"}, tags); diff != "" {
		t.Errorf("paged tags: diff (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized", l)
	}
}

// TestPoolListingOnePool: older debuggers print `!poolused 3` with one
// pool's columns under its name alone ("NonPaged", verbose: allocations,
// frees, outstanding, bytes); the summary layout may show one pool too.
// The rows are read into that pool; without the pool's name, the sort
// says which, and a listing sorted by tag with one pool's columns is not
// guessed at.
func TestPoolListingOnePool(t *testing.T) {
	tests := []struct {
		name, capture string
		np, p         []facts.PoolTag
		unrecognized  int64
	}{
		{"verbose nonpaged under its name", `lkd> !poolused 3
   Sorting by  NonPaged Pool Consumed

  Pool Used:
            NonPaged
 Tag    Allocs    Frees     Diff     Used
 EtwB      304      134      170  6550080  Etw Buffer , Binary: nt!etw
 RaRS     1000        0     1000   960000  UNKNOWN pooltag 'RaRS', please update pooltag.txt
`, []facts.PoolTag{{Tag: "EtwB", NonPagedAllocs: 170, NonPagedBytes: 6550080, Description: "Etw Buffer", Binary: "nt!etw"},
			{Tag: "RaRS", NonPagedAllocs: 1000, NonPagedBytes: 960000}}, nil, 0},
		{"summary paged, by its sort", `kd> !poolused 4
   Sorting by Paged Pool Consumed
 Tag    Allocs     Used
 CM31    12004 55607296Internal Configuration manager allocations
`, nil, []facts.PoolTag{{Tag: "CM31", PagedAllocs: 12004, PagedBytes: 55607296, Description: "Internal Configuration manager allocations"}}, 0},
		{"PoolMon's name for the bytes, header elided", `0: kd> !poolused 2
Tag    Allocs   Frees   Diff   Bytes   ...
FMCx   100      50      50     2400    FileMonitor!FM_CONTEXT_TAG
`, []facts.PoolTag{{Tag: "FMCx", NonPagedAllocs: 50, NonPagedBytes: 2400, Description: "FileMonitor!FM_CONTEXT_TAG"}}, nil, 0},
		{"a header of columns not known: its rows are not read", `kd> !poolused 2
   Sorting by NonPaged Pool Consumed
 Tag  Allocs  Frees  Diff  Bytes  Per Alloc
 Abcd   100     50    50   2400     48
`, nil, nil, 2},
		{"one pool, sorted by tag, no name", `kd> !poolused 0
   Sorting by Tag
 Tag    Allocs     Used
 CM31    12004 55607296
`, nil, nil, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var np, p []facts.PoolTag
			if snap.Memory != nil && snap.Memory.Pool != nil {
				np, p = snap.Memory.Pool.TopNonPaged, snap.Memory.Pool.TopPaged
			}
			for _, l := range [][]facts.PoolTag{np, p} {
				for i := range l {
					l[i].Source = facts.Position{}
				}
			}
			if diff := cmp.Diff(tc.np, np, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("nonpaged tags: diff (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.p, p, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("paged tags: diff (-want +got):\n%s", diff)
			}
			if l := snap.Sources[0].Lines; l.Unrecognized != tc.unrecognized {
				t.Errorf("lines %+v, want %d unrecognized", l, tc.unrecognized)
			}
		})
	}
}

// TestPoolRowsWithoutHeader: rows of !poolused's summary layout pasted
// with nothing above them (a long listing split over an issue's
// comments) are read as a listing, known by what pooltag.txt says after
// their tab, and the paste is sniffed as kd; rows without such a
// description, or of the verbose layout, are not taken for them.
func TestPoolRowsWithoutHeader(t *testing.T) {
	const rows = "```\n" +
		" Cont         0            0          4          384\tContoso display info , Binary: contoso.sys\n" +
		" Fab1         0            0        342      1358816\tUNKNOWN pooltag 'Fab1', please update pooltag.txt\n" +
		" Gdrs         0            0         40         6176\tGdi GDITAG_DRVSUP \n" +
		" VoSo         0            0          1\n"
	if !Sniff([]byte(rows), false) {
		t.Errorf("Sniff = false, want the rows known for !poolused's")
	}
	snap := readString(t, rows)
	if snap.Memory == nil || snap.Memory.Pool == nil {
		t.Fatalf("no pool usage read")
	}
	u := snap.Memory.Pool
	var tags []string
	for _, tg := range u.TopPaged {
		tags = append(tags, tg.Tag)
	}
	if diff := cmp.Diff([]string{"Fab1", "Gdrs", "Cont"}, tags); diff != "" {
		t.Errorf("paged tags: diff (-want +got):\n%s", diff)
	}
	if u.PagedBytes != 1358816+6176+384 || u.TotalsFrom != facts.TotalsFromRows {
		t.Errorf("paged bytes %d from %q, want the rows' sum", u.PagedBytes, u.TotalsFrom)
	}
	if l := snap.Sources[0].Lines; l.Parsed != 3 || l.Unrecognized != 1 {
		t.Errorf("lines %+v, want the 3 rows parsed and the cut one unrecognized", l)
	}

	for _, other := range []string{
		" Cont         0            0          4          384\n",
		" Cont         0            0          4          384  Contoso display info , Binary: contoso.sys\n",
		" Cont      12     10      2     384      0      0      0      0\tContoso , Binary: contoso.sys\n",
	} {
		if snap := readString(t, other); snap.Memory != nil {
			t.Errorf("%q read as a !poolused row: %+v", other, snap.Memory.Pool)
		}
	}
}

// TestPoolDescriptionWrapped: a page that wraps a row's description
// leaves its rest on the next line ("Event" then "objects", "UNKNOWN"
// then "pooltag 'ABCD', please update pooltag.txt"): those lines are the
// row's, not unrecognized, and a tag pooltag.txt does not know keeps no
// description; a line after a blank, or one that starts in capitals, is
// not taken for such a rest.
func TestPoolDescriptionWrapped(t *testing.T) {
	const listing = "0: kd> !poolused 3\n Sorting by NonPaged Pool Consumed\n\n Pool Used:\n" +
		"            NonPaged                    Paged\n" +
		" Tag    Allocs    Frees     Diff     Used   Allocs    Frees     Diff     Used\n" +
		" Fab1  1778517  1704538    73979  4734656        0        0        0        0 UNKNOWN\n" +
		"pooltag \u2018Fab1\u2019, please update pooltag.txt\n" +
		" Even  6129633  6063728    65905  4224528        0        0        0        0 Event\n" +
		"objects\n"
	snap := readString(t, listing)
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized: %+v", l, snap.Diagnostics)
	}
	var got []string
	for _, tg := range snap.Memory.Pool.TopNonPaged {
		got = append(got, tg.Tag+":"+tg.Description)
	}
	if diff := cmp.Diff([]string{"Fab1:", "Even:Event"}, got); diff != "" {
		t.Errorf("tags: diff (-want +got):\n%s", diff)
	}
	for _, after := range []string{"\nobjects\n", "Objects of the listing above\n"} {
		if l := readString(t, listing+after).Sources[0].Lines; l.Unrecognized != 1 {
			t.Errorf("%q after the listing: lines %+v, want it unrecognized", after, l)
		}
	}
}
