package kd

import (
	"bytes"
	"math"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// poolState is the `!poolused` output being read: one listing, from its
// command (or its first line, when a capture shows it without the
// command) to the next command.
type poolState struct {
	active bool
	l      facts.PoolListing
	// pending are the listings the command line asked for and whose
	// output has not started ("!poolused 2; !poolused 4").
	pending []facts.PoolListing
	sorted  bool // the "Sorting by" line was read
	header  bool // the column header was read
	// columns is the count of numbers in a row: 4, or 8 in the verbose
	// layout (flag 1: allocations, frees, their difference and bytes, for
	// each pool). edges are where the header's columns end.
	columns int
	edges   []int
	// only is the one pool a listing of one pool's columns shows, as its
	// group header names it ("NonPaged" alone): poolBoth when both are.
	only poolOnly
	// single: the header has one pool's columns (2, or 4 verbose).
	single bool
	// unknownHeader: a column header was shown that names columns this
	// reader does not know; the rows under it are not read.
	unknownHeader bool
	// wrapped is set after a row with a description, while the lines
	// that continue it, wrapped by a page, may follow.
	wrapped bool
	sums    facts.PoolTotals
	total   facts.PoolTotals
	hasTot  bool
	// n numbers the listing among the capture's, from 0.
	n int64
}

// beginListing starts the output of the next listing the command line
// asked for, or of one shown without its command.
func (k *kdReader) beginListing() {
	p := &k.mem.pool
	k.endListing()
	l := facts.PoolListing{Sort: facts.PoolSortTag, Source: k.pos()}
	if len(p.pending) > 0 {
		l, p.pending = p.pending[0], p.pending[1:]
	}
	columns := 4
	if l.Verbose {
		columns = 8
	}
	*p = poolState{active: true, l: l, pending: p.pending, columns: columns, n: k.poolListings}
	k.poolListings++
}

// endListing adds the listing being read to the snapshot: its rows were
// added as read; its totals are its TOTAL row or, without one, the sum of
// its rows.
func (k *kdReader) endListing() {
	p := &k.mem.pool
	if !p.active {
		return
	}
	p.active = false
	if p.l.Rows == 0 && !p.hasTot && !p.header {
		return // a command without output
	}
	u := k.b.PoolUsage()
	switch {
	case p.l.Session:
		k.log.Diag(p.l.Source.Line, facts.SevInfo, facts.CodeMissing,
			"!poolused lists session pool (flag 8): its %d tags are not counted with the system pool", p.l.Rows)
	case p.hasTot:
		u.AddTotals(p.total, p.l.TagFilter == "")
	case p.l.Rows > 0:
		u.AddTotals(p.sums, false)
		k.log.Diag(p.l.Source.Line, facts.SevInfo, facts.CodeMissing,
			"!poolused output without its TOTAL row (cut, elided or filtered): pool totals are at least the sum of the %d rows shown", p.l.Rows)
	}
	u.AddListing(p.l)
}

// poolLine reads the lines of `!poolused` output, in its layouts of
// Windows 2000 to 11, summary and verbose:
//
//	  Sorting by NonPaged Pool Consumed
//	 Pool Used:
//	              NonPaged                  Paged
//	Tag     Allocs         Used     Allocs         Used
//	Thre      1725      4416000          0            0	Thread objects , Binary: nt!ps
//	8042        4     3944         0        0PS/2 kb and mouse , Binary: i8042prt.sys
//	TOTAL     3570214 209120008     38769 13066104
//
// where older debuggers glue the description to the last number.
func (k *kdReader) poolLine(line []byte) (scan.LineKind, bool) {
	p := &k.mem.pool
	switch {
	case scan.HasPrefix(line, "Sorting by"):
		if p.active && (p.sorted || p.l.Rows > 0) {
			k.endListing()
		}
		if !p.active {
			k.beginListing()
		}
		p.sorted = true
		what := strings.ToLower(string(line[len("Sorting by"):]))
		switch {
		case strings.Contains(what, "nonpaged"):
			p.l.Sort = facts.PoolSortNonPaged
		case strings.Contains(what, "paged"):
			p.l.Sort = facts.PoolSortPaged
		default:
			p.l.Sort = facts.PoolSortTag
		}
		if strings.Contains(what, "session") {
			p.l.Session = true
		}
		return scan.Parsed, true
	case bytes.Equal(line, []byte("Pool Used:")):
		if !p.active {
			k.beginListing()
		}
		return scan.Parsed, true
	}
	if only, ok := poolGroupHeader(line); ok {
		if !p.active {
			k.beginListing()
		}
		p.only = only
		return scan.Parsed, true
	}
	columns, edges, single, ok := poolHeader(line)
	if !ok && (p.active || len(p.pending) > 0) && isPoolHeading(line) {
		// A header of other columns ("Tag  Type  Allocs  Frees  Diff
		// Bytes  Per Alloc", PoolMon's, typed under !poolused): the rows
		// under it are not this reader's layout, and reading them as the
		// default one would misplace every figure. The header and its
		// rows stay unrecognized lines, quoted as such.
		if !p.active {
			k.beginListing()
		}
		p.unknownHeader = true
		return 0, false
	}
	if ok {
		only := p.only
		if !p.active || p.l.Rows > 0 {
			only = poolBoth
		}
		if single && only == poolBoth {
			// One pool's columns under no group header: the sort
			// says which pool, or the header is not read.
			switch p.l.Sort {
			case facts.PoolSortNonPaged:
				only = poolNonPaged
			case facts.PoolSortPaged:
				only = poolPaged
			default:
				return 0, false
			}
		}
		if p.active && p.l.Rows > 0 {
			k.endListing()
		}
		if !p.active {
			k.beginListing()
		}
		p.header, p.columns, p.edges, p.single, p.unknownHeader = true, columns, edges, single, false
		p.only = poolBoth
		if single {
			p.only = only
		}
		p.l.Verbose = columns == 8 || (single && columns == 4)
		return scan.Parsed, true
	}
	if !p.active {
		if !headerlessPoolRow(line) {
			return 0, false
		}
		// Rows with no command, sort line or header before them: a long
		// listing pasted in pieces (an issue's comments each hold as
		// much as they may), the next piece starting among its rows.
		k.beginListing()
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeMissing,
			"!poolused rows without the command or its column header (a piece of a longer paste): read in its summary layout, nonpaged allocations and bytes then paged ones")
	}
	switch {
	case !p.header && p.l.Rows == 0 && len(line) <= 2 && len(bytes.Trim(line, ".")) == 0:
		return scan.Ignored, true // the debugger's progress dots
	case bytes.Contains(line, []byte("Unable to")) || bytes.Contains(line, []byte("unable to")):
		k.log.Diag(k.lineNo, facts.SevWarning, facts.CodeMissing, "the debugger could not read the pool tag table: %s", scan.QuoteLine(line))
		return scan.Parsed, true
	}
	if p.unknownHeader {
		return 0, false
	}
	r, ok := p.row(line)
	if !ok {
		if p.wrapped && isWrappedDescription(line) {
			// "Even  6129633  ...  0 Event" then "objects": a
			// page wrapped the row's description.
			return scan.Ignored, true
		}
		p.wrapped = false
		return 0, false
	}
	p.wrapped = len(r.desc) > 0
	if r.tag == "TOTAL" {
		p.total, p.hasTot, p.l.TotalRow = r.totals, true, true
		return scan.Parsed, true
	}
	p.l.Rows++
	s := &p.sums
	s.NonPagedAllocs = addSat(s.NonPagedAllocs, r.totals.NonPagedAllocs)
	s.NonPagedBytes = addSat(s.NonPagedBytes, r.totals.NonPagedBytes)
	s.PagedAllocs = addSat(s.PagedAllocs, r.totals.PagedAllocs)
	s.PagedBytes = addSat(s.PagedBytes, r.totals.PagedBytes)
	if !p.l.Session {
		desc, binary := tagDescription(r.desc)
		shown := facts.ShowsBoth
		switch {
		case p.single && p.only == poolPaged:
			shown = facts.ShowsPaged
		case p.single:
			shown = facts.ShowsNonPaged
		}
		k.b.AddPoolTag(facts.PoolTag{
			Tag: r.tag, NonPagedAllocs: r.totals.NonPagedAllocs, NonPagedBytes: r.totals.NonPagedBytes,
			PagedAllocs: r.totals.PagedAllocs, PagedBytes: r.totals.PagedBytes,
			Description: desc, Binary: binary, Source: k.pos(),
		}, p.n, shown)
	}
	return scan.Parsed, true
}

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// poolOnly is which pool a listing's columns show.
type poolOnly uint8

const (
	poolBoth poolOnly = iota
	poolNonPaged
	poolPaged
)

// poolGroupHeader recognizes the line over the columns, "NonPaged  Paged",
// or "NonPaged" (or "Paged") alone over one pool's columns, as older
// debuggers print `!poolused 3`, and says which pools it names.
func poolGroupHeader(line []byte) (poolOnly, bool) {
	if t := scan.TrimSpace(line); !scan.HasPrefix(t, "NonPaged") && !scan.HasPrefix(t, "Paged") {
		return 0, false // before splitting: every line of a listing is asked
	}
	f := bytes.Fields(line)
	switch {
	case len(f) == 2 && string(f[0]) == "NonPaged" && string(f[1]) == "Paged":
		return poolBoth, true
	case len(f) == 1 && string(f[0]) == "NonPaged":
		return poolNonPaged, true
	case len(f) == 1 && string(f[0]) == "Paged":
		return poolPaged, true
	}
	return 0, false
}

// poolHeader reads the column header of the summary layout, "Tag  Allocs
// Used  Allocs  Used", or of the verbose one, "Tag  Allocs  Frees  Diff
// Used" twice, or either with one pool's columns only (single), and
// returns the number of columns and where each ends.
func poolHeader(line []byte) (int, []int, bool, bool) {
	if !scan.HasPrefix(line, "Tag ") {
		return 0, nil, false, false
	}
	var words []string
	var edges []int
	for i := len("Tag"); i < len(line); {
		for i < len(line) && scan.IsSpace(line[i]) {
			i++
		}
		j := i
		for j < len(line) && !scan.IsSpace(line[j]) {
			j++
		}
		if j > i {
			words = append(words, string(line[i:j]))
			edges = append(edges, j)
		}
		i = j
	}
	// A header retyped by hand may end in an elision ("Bytes ...") and
	// name the bytes column as PoolMon does ("Bytes" for "Used").
	for len(words) > 0 && scan.IsElision([]byte(words[len(words)-1])) {
		words, edges = words[:len(words)-1], edges[:len(edges)-1]
	}
	for i, w := range words {
		if w == "Bytes" {
			words[i] = "Used"
		}
	}
	switch strings.Join(words, " ") {
	case "Allocs Used Allocs Used":
		return 4, edges, false, true
	case "Allocs Frees Diff Used Allocs Frees Diff Used":
		return 8, edges, false, true
	case "Allocs Used":
		return 2, edges, true, true
	case "Allocs Frees Diff Used":
		return 4, edges, true, true
	}
	return 0, nil, false, false
}

// isPoolHeading recognizes a column header of pool tags that poolHeader
// does not read: "Tag" first, an "Allocs" column after it.
func isPoolHeading(line []byte) bool {
	if !scan.HasPrefix(line, "Tag ") {
		return false
	}
	for _, w := range bytes.Fields(line[len("Tag "):]) {
		if string(w) == "Allocs" {
			return true
		}
	}
	return false
}

// poolRow is one row of a listing, or its TOTAL row.
type poolRow struct {
	tag    string
	totals facts.PoolTotals
	desc   []byte
}

// row reads a row: the tag (four characters, blanks included, as the
// debugger prints them; TOTAL for the totals), the numbers, and the
// description pooltag.txt gives, after a tab or, in older debuggers,
// glued to the last number. A description that starts with a digit
// ("01394 OHCI host controller driver" is 0 then "1394 OHCI...") is told
// from the number by the header's column, when the row lines up with it.
func (p *poolState) row(line []byte) (poolRow, bool) {
	var r poolRow
	tagEnd := 4
	switch {
	case scan.HasPrefix(line, "TOTAL") && len(line) > 5 && scan.IsSpace(line[5]):
		tagEnd = 5
	case len(line) > 4 && scan.IsSpace(line[4]):
	default:
		tagEnd = bytes.IndexAny(line, " \t")
		if tagEnd < 1 || tagEnd > 4 {
			return r, false
		}
	}
	tag := bytes.TrimRight(line[:tagEnd], " \t")
	for _, c := range tag {
		if c < 0x20 || c > 0x7e {
			return r, false
		}
	}
	var nums [8]int64
	aligned := len(p.edges) == p.columns
	i := tagEnd
	for col := 0; col < p.columns; col++ {
		prevEnd := i
		for i < len(line) && scan.IsSpace(line[i]) {
			i++
		}
		start := i
		for i < len(line) && scan.IsDigit(line[i]) {
			i++
		}
		if i == start {
			return r, false
		}
		last := col == p.columns-1
		if !last && i < len(line) && !scan.IsSpace(line[i]) {
			return r, false
		}
		if !last && i == len(line) {
			return r, false
		}
		if aligned && !last && i != p.edges[col] {
			aligned = false
		}
		if last && aligned && start < p.edges[col] && i > p.edges[col] && start-prevEnd > 2 {
			// Digits past the column's end, in a row whose other
			// numbers end where the header's columns do: the number
			// is padded to end there (a wider one would fill its
			// field, with no padding), the rest is the description.
			i = p.edges[col]
		}
		v, ok := scan.ParseDec(line[start:i])
		if !ok {
			return r, false
		}
		nums[col] = v
	}
	r.tag, r.desc = string(tag), scan.TrimSpace(line[i:])
	if r.tag == "TOTAL" && len(r.desc) > 0 {
		return r, false
	}
	switch {
	case p.single:
		// One pool: outstanding allocations (the verbose layout's
		// difference of allocations and frees) and bytes.
		allocs, bytes := nums[0], nums[1]
		if p.columns == 4 {
			allocs, bytes = nums[2], nums[3]
		}
		if p.only == poolPaged {
			r.totals = facts.PoolTotals{PagedAllocs: allocs, PagedBytes: bytes}
		} else {
			r.totals = facts.PoolTotals{NonPagedAllocs: allocs, NonPagedBytes: bytes}
		}
	case p.columns == 8:
		// allocations, frees, outstanding, bytes: the outstanding count
		// is what the summary layout prints as Allocs.
		r.totals = facts.PoolTotals{NonPagedAllocs: nums[2], NonPagedBytes: nums[3], PagedAllocs: nums[6], PagedBytes: nums[7]}
	default:
		r.totals = facts.PoolTotals{NonPagedAllocs: nums[0], NonPagedBytes: nums[1], PagedAllocs: nums[2], PagedBytes: nums[3]}
	}
	return r, true
}

// headerlessPoolRow recognizes a row of `!poolused`'s summary layout
// shown without the lines above it by what only its rows hold: the tag and
// four numbers, then, after a tab, what pooltag.txt says of the tag
// ("Etw Buffer , Binary: nt!etw") or that it does not know it ("UNKNOWN
// pooltag 'ConT', please update pooltag.txt").
func headerlessPoolRow(line []byte) bool {
	tab := bytes.IndexByte(line, '\t')
	if tab < 0 {
		return false
	}
	desc := scan.TrimSpace(line[tab+1:])
	if !scan.HasPrefix(desc, "UNKNOWN pooltag '") && !bytes.Contains(desc, []byte(", Binary: ")) {
		return false
	}
	p := poolState{columns: 4}
	r, ok := p.row(line)
	return ok && r.tag != "TOTAL" && bytes.Equal(r.desc, desc)
}

// isWrappedDescription recognizes the rest of a row's description that
// a page wrapped onto the next line: words that start in lower case, as
// pooltag.txt's descriptions go on ("objects", "pooltag 'ABCD', please
// update pooltag.txt"), no row or heading of the listing.
func isWrappedDescription(line []byte) bool {
	line = scan.TrimSpace(line)
	return len(line) > 0 && line[0] >= 'a' && line[0] <= 'z' && len(line) < 100
}

// tagDescription splits what pooltag.txt says of a tag, "Etw Buffer ,
// Binary: nt!etw", into the description and the binary. A tag it does not
// know ("UNKNOWN pooltag 'ConT', please update pooltag.txt") has neither.
func tagDescription(desc []byte) (string, string) {
	if scan.HasPrefix(desc, "UNKNOWN pooltag") || string(desc) == "UNKNOWN" {
		// The latter with the rest wrapped onto the next line.
		return "", ""
	}
	var binary []byte
	if i := bytes.LastIndex(desc, []byte("Binary:")); i >= 0 {
		binary = scan.TrimSpace(desc[i+len("Binary:"):])
		desc = bytes.TrimRight(scan.TrimSpace(desc[:i]), ",")
	}
	return collapseSpace(desc), collapseSpace(binary)
}

// collapseSpace trims b and turns its runs of blanks into single spaces.
func collapseSpace(b []byte) string {
	return string(bytes.Join(bytes.Fields(b), []byte(" ")))
}
