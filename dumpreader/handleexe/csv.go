package handleexe

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// handleExeCSV is a block of CSV output (`handle -v`, or `-vt` with TABs)
// being read. Handle quotes nothing: an image or object name may hold the
// delimiter, and names end with a blank. Its layouts:
//
//	Process,PID,Type,Handle,Name                        a search
//	Process,PID,Type,User,Handle,Name                   a search with -u (Handle 5.0)
//	Process,PID,User,Handle,Type,Share Flags,Name       every handle
//
// Handle 5.0 heads -u search results with the header of the last layout
// and an Access column, which its rows do not follow; rows are therefore
// read by their shape, and the header only checked against them.
type handleExeCSV struct {
	active bool
	header []string // the header's columns; nil when the rows came without one
	line   int64    // the header's line
	delim  byte
	access bool // the header ends in an Access column
	// checked is set once the header has been compared with a row.
	checked bool
	// Rows whose name ends without the blank Handle prints after each:
	// reported at the end of the block when other rows have it.
	blank    int
	unblank  []handleExeCut
	moreCuts int
}

// handleExeCut is a CSV row whose name may have been cut.
type handleExeCut struct {
	line int64
	name string
}

// maxHandleExeCuts bounds the rows kept for the cut-name diagnostic.
const maxHandleExeCuts = 32

// handleExeColumns are the column names of Handle's CSV headers.
var handleExeColumns = map[string]bool{
	"process": true, "pid": true, "type": true, "handle": true, "name": true,
	"user": true, "share flags": true, "access": true,
}

// csvLine reads a CSV header or row.
func (h *handleExeReader) csvLine(line []byte) (scan.LineKind, bool) {
	if cols, delim, ok := parseHandleExeCSVHeader(line); ok {
		h.endCSV()
		h.endSection()
		h.ev.csvHeader++
		h.csv = handleExeCSV{active: true, header: cols, line: h.lineNo, delim: delim,
			access: strings.EqualFold(cols[len(cols)-1], "Access")}
		return scan.Parsed, true
	}
	delim := h.csv.delim
	if !h.csv.active || delim == 0 {
		delim = ','
		if bytes.IndexByte(line, '\t') >= 0 {
			delim = '\t'
		}
	}
	if bytes.IndexByte(line, delim) < 0 {
		return 0, false
	}
	h.toks = splitHandleExeCSV(line, delim, h.toks)
	row, ok := parseHandleExeCSVRow(h.toks, h.csv.access)
	if !ok {
		return 0, false
	}
	if !h.csv.active {
		h.endSection()
		h.csv = handleExeCSV{active: true, delim: delim}
	}
	h.ev.csvRows++
	c := &h.csv
	if c.header != nil && !c.checked {
		c.checked = true
		if got := strings.Join(row.layout, ","); !strings.EqualFold(got, strings.Join(c.header, ",")) {
			h.log.Diag(c.line, facts.SevInfo, CodeHeaderMismatch,
				"the CSV header names the columns %s, but its rows hold %s (as Handle 5.0 prints with -u -v): read by the rows' shape",
				strings.Join(c.header, ","), got)
		}
	}
	if h.trailingBlank {
		c.blank++
	} else if len(row.name) > 0 {
		if len(c.unblank) < maxHandleExeCuts {
			c.unblank = append(c.unblank, handleExeCut{h.lineNo, scan.QuoteLine(row.name)})
		} else {
			c.moreCuts++
		}
	}
	form := formListing
	if row.search {
		form = formSearch
	}
	h.addHandle(h.process(row.pid, row.image), form, row.value, row.typ, row.name)
	return scan.Parsed, true
}

// endCSV ends the CSV block being read.
func (h *handleExeReader) endCSV() {
	c := &h.csv
	if !c.active {
		return
	}
	c.active = false
	if c.blank == 0 {
		return // no row has the blank: it was trimmed from them all
	}
	for _, cut := range c.unblank {
		h.log.Diag(cut.line, facts.SevInfo, facts.CodeTruncated,
			"the name %q lacks the blank Handle prints after every CSV name, which other rows have: it may have been cut", cut.name)
	}
	if c.moreCuts > 0 {
		h.log.Diag(c.unblank[len(c.unblank)-1].line, facts.SevInfo, facts.CodeTruncated,
			"%d more names lack the blank after them and may have been cut", c.moreCuts)
	}
}

// parseHandleExeCSVHeader recognizes a header line of Handle's CSV output
// and returns its columns and delimiter.
func parseHandleExeCSVHeader(line []byte) ([]string, byte, bool) {
	delim := byte(',')
	if bytes.IndexByte(line, '\t') >= 0 {
		delim = '\t'
	}
	if !scan.HasPrefixFold(line, "Process") {
		return nil, 0, false
	}
	parts := bytes.Split(line, []byte{delim})
	if len(parts) < 5 || len(parts) > 8 {
		return nil, 0, false
	}
	cols := make([]string, len(parts))
	for i, p := range parts {
		c := string(scan.TrimSpace(p))
		if !handleExeColumns[strings.ToLower(c)] {
			return nil, 0, false
		}
		cols[i] = c
	}
	if !strings.EqualFold(cols[1], "PID") {
		return nil, 0, false
	}
	return cols, delim, true
}

// splitHandleExeCSV splits line at delim into dst. The fields are slices
// of line, each with the rest of line in its capacity, which
// joinHandleExeFields relies on.
func splitHandleExeCSV(line []byte, delim byte, dst [][]byte) [][]byte {
	dst = dst[:0]
	for {
		i := bytes.IndexByte(line, delim)
		if i < 0 {
			return append(dst, line)
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
}

// handleExeCSVRow is one row of Handle's CSV output.
type handleExeCSVRow struct {
	image  []byte
	pid    uint64
	typ    []byte
	value  uint64
	name   []byte
	layout []string
	search bool // a layout Handle prints for name searches
}

// parseHandleExeCSVRow reads a row from its fields by their shape: the
// pid is the first decimal field followed, within three fields, by a
// handle value ("0x0000004C"); between them lie the type, the user or
// both, and after the value the name, or the type, share flags and name.
// access says the header ends in an Access column, which rows of the
// every-handle layout then end with.
func parseHandleExeCSVRow(f [][]byte, access bool) (handleExeCSVRow, bool) {
	var r handleExeCSVRow
	if len(f) < 5 {
		return r, false
	}
	p, v := -1, -1
	for i := 1; i+2 < len(f) && p < 0; i++ {
		if _, ok := parsePID(scan.TrimSpace(f[i])); !ok {
			continue
		}
		for j := i + 2; j <= i+3 && j+1 < len(f); j++ {
			if isHandleExeCSVValue(scan.TrimSpace(f[j])) {
				p, v = i, j
				break
			}
		}
	}
	if p < 0 {
		return r, false
	}
	r.image = scan.TrimSpace(joinHandleExeFields(f[:p]))
	r.pid, _ = parsePID(scan.TrimSpace(f[p]))
	r.value, _ = scan.ParseHex(scan.TrimSpace(f[v])[2:])
	if len(r.image) == 0 || scan.AllDigits(bytes.TrimLeft(r.image, "* ")) {
		// No image is a number: a row that starts with one is another
		// tool's (Volatility 3's pslist: PID, PPID, ImageFileName, Offset;
		// its pstree, the pid after the stars of its depth: "** 2528").
		return r, false
	}
	mid, after := f[p+1:v], f[v+1:]
	switch {
	case len(mid) == 1 && isHandleExeCSVUser(mid[0]) && !isHandleExeCSVType(mid[0]) && len(after) >= 1 &&
		isHandleExeCSVType(after[0]) && (len(after) == 1 || isHandleExeCSVShare(after[1])):
		// The share flags and name may be gone with the blanks trimmed
		// from the end of the line: an unnamed handle.
		r.typ = scan.TrimSpace(after[0])
		names := after[min(2, len(after)):]
		r.layout = []string{"Process", "PID", "User", "Handle", "Type", "Share Flags", "Name"}
		if access && len(names) >= 2 && isHandleExeCSVValue(scan.TrimSpace(names[len(names)-1])) {
			names = names[:len(names)-1]
			r.layout = append(r.layout, "Access")
		}
		r.name = scan.TrimSpace(joinHandleExeFields(names))
	case len(mid) == 1 && isHandleExeCSVType(mid[0]):
		r.typ = scan.TrimSpace(mid[0])
		r.name = scan.TrimSpace(joinHandleExeFields(after))
		r.layout = []string{"Process", "PID", "Type", "Handle", "Name"}
		r.search = true
	case len(mid) == 2 && isHandleExeCSVType(mid[0]) && isHandleExeCSVUser(mid[1]):
		r.typ = scan.TrimSpace(mid[0])
		r.name = scan.TrimSpace(joinHandleExeFields(after))
		r.layout = []string{"Process", "PID", "Type", "User", "Handle", "Name"}
		r.search = true
	case len(mid) == 2 && isHandleExeCSVUser(mid[0]) && isHandleExeCSVType(mid[1]):
		r.typ = scan.TrimSpace(mid[1])
		r.name = scan.TrimSpace(joinHandleExeFields(after))
		r.layout = []string{"Process", "PID", "User", "Type", "Handle", "Name"}
		r.search = true
	default:
		return r, false
	}
	return r, true
}

// isHandleExeCSVValue recognizes a handle value as the CSV prints it:
// "0x" and hex digits.
func isHandleExeCSVValue(b []byte) bool {
	return len(b) > 2 && len(b) <= 18 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') && allHex(b[2:])
}

// isHandleExeCSVType recognizes an object type: "File", "ALPC Port",
// "<Unknown type>".
func isHandleExeCSVType(b []byte) bool {
	b = scan.TrimSpace(b)
	typ, rest, ok := splitHandleExeType(b)
	return ok && len(scan.TrimSpace(rest)) == 0 && len(typ) > 0
}

// isHandleExeCSVUser recognizes the owner of a process as Handle prints
// it: "DOMAIN\user", "NT AUTHORITY\SYSTEM", "\<unable to open process>".
func isHandleExeCSVUser(b []byte) bool {
	b = scan.TrimSpace(b)
	return bytes.IndexByte(b, '\\') >= 0 || scan.HasPrefix(b, "<unable")
}

// isHandleExeCSVShare recognizes share flags in a CSV row: empty (a
// handle that is not a file), "RW-", or "(RW-)".
func isHandleExeCSVShare(b []byte) bool {
	b = scan.TrimSpace(b)
	switch len(b) {
	case 0:
		return true
	case 3:
		return isShareFlags([]byte{'(', b[0], b[1], b[2], ')'})
	case 5:
		return isShareFlags(b)
	}
	return false
}

// joinHandleExeFields returns consecutive fields of one line as the line
// holds them, delimiters included, without copying: an image or object
// name that holds the delimiter was split and is joined back.
func joinHandleExeFields(f [][]byte) []byte {
	if len(f) == 0 {
		return nil
	}
	n := len(f) - 1 // the delimiters between the fields
	for _, x := range f {
		n += len(x)
	}
	return f[0][:n]
}
