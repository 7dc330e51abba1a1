package counterlog

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// MaxColumns bounds the columns of a log read: a header with more is
// read up to it, and a diagnostic says so.
const MaxColumns = 1 << 16

// maxRecordLines bounds how many console lines one record may be wrapped
// over: a stray quote must not join the rest of a log into one record.
const maxRecordLines = 4096

// splitRecord splits a CSV (sep ',') or TSV (sep '\t') record into its
// cells, unquoted, into dst (reused). PDH quotes every cell and has no
// quotes in its values; a doubled quote inside a quoted cell is one
// quote, as CSV has it. At most MaxColumns cells are returned; more says
// there were more.
func splitRecord(rec []byte, sep byte, dst [][]byte) (cells [][]byte, more bool) {
	cells = dst[:0]
	i := 0
	for {
		if len(cells) == MaxColumns {
			return cells, true
		}
		var cell []byte
		if i < len(rec) && rec[i] == '"' {
			j := i + 1
			for j < len(rec) {
				if rec[j] == '"' {
					if j+1 < len(rec) && rec[j+1] == '"' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			cell = rec[i+1 : j]
			i = j + 1
			// Anything between the closing quote and the separator is
			// damage: skipped.
			for i < len(rec) && rec[i] != sep {
				i++
			}
		} else {
			j := bytes.IndexByte(rec[i:], sep)
			if j < 0 {
				j = len(rec) - i
			}
			cell = bytes.TrimSpace(rec[i : i+j])
			i += j
		}
		cells = append(cells, cell)
		if i >= len(rec) {
			return cells, false
		}
		i++ // the separator
	}
}

// quotes counts the quotes of b: an odd count leaves a cell open.
func quotes(b []byte) int { return bytes.Count(b, []byte{'"'}) }

// headerSep tells a PDH header's separator: `"(PDH-CSV 4.0)",` or
// `"(PDH-TSV 4.0)"<tab>` as PDH writes them, or, in a log a spreadsheet
// saved again, unquoted and with the separator of its locale
// (`(PDH-CSV 4.0) (...)(480);\\HOST\...`): the first comma, semicolon or
// tab after the first cell's "(PDH-"; 0 if rec is no header. A blank
// inside the first cell's quote (`" (PDH-CSV 4.0) (UTC)(0)"`, a header
// retyped or built by a script) is passed over.
func headerSep(rec []byte) byte {
	rec = bytes.TrimLeft(rec, " \t")
	rec = bytes.TrimPrefix(rec, []byte(`"`))
	if t := bytes.TrimLeft(rec, " \t"); bytes.HasPrefix(t, []byte("(PDH-")) {
		rec = t
	}
	if !bytes.HasPrefix(rec, []byte("(PDH-CSV")) && !bytes.HasPrefix(rec, []byte("(PDH-TSV")) {
		return pathHeaderSep(rec)
	}
	if i := bytes.IndexAny(rec, ",;\t"); i >= 0 {
		return rec[i]
	}
	if bytes.HasPrefix(rec, []byte("(PDH-TSV")) {
		return '\t'
	}
	return ',' // a header of no counter
}

// pathHeaderSep tells the header of a log whose first cell was renamed
// (a spreadsheet's "Time"): its second cell is a counter path of the
// Process object, \\HOST\Process(NAME)\Handle Count.
func pathHeaderSep(rec []byte) byte {
	i := bytes.IndexAny(rec, ",;\t")
	if i < 0 || i > 64 {
		return 0
	}
	sep := rec[i]
	cell := rec[i+1:]
	if j := bytes.IndexByte(cell, sep); j >= 0 {
		cell = cell[:j]
	}
	p, ok := parsePath(string(bytes.Trim(bytes.TrimSpace(cell), `"`)))
	if _, proc := p.processCounter(); !ok || !proc {
		return 0
	}
	return sep
}

// zoneOf reads the time zone of a header's first cell, "(PDH-CSV 4.0)
// (Pacific Standard Time)(480)": the bias in minutes (UTC = local +
// bias), as Windows states it. ok is false when the cell gives none.
func zoneOf(cell string) (*time.Location, bool) {
	cell = strings.TrimSpace(cell)
	if !strings.HasSuffix(cell, ")") {
		return nil, false
	}
	open := strings.LastIndexByte(cell, '(')
	if open < 0 {
		return nil, false
	}
	bias, err := strconv.Atoi(cell[open+1 : len(cell)-1])
	if err != nil || bias < -24*60 || bias > 24*60 {
		return nil, false
	}
	name := ""
	if i := strings.IndexByte(cell, ')'); i >= 0 && i < open {
		name = strings.Trim(strings.TrimSpace(cell[i+1:open]), "()")
	}
	return time.FixedZone(name, -bias*60), true
}

// timeLayouts are the forms of a sample's time: PDH writes
// MM/dd/yyyy HH:mm:ss.fff whatever the locale; the others are what a
// spreadsheet saving the CSV again may leave.
var timeLayouts = []string{
	"01/02/2006 15:04:05.000",
	"01/02/2006 15:04:05",
	"1/2/2006 15:04:05.000",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"2006-01-02 15:04:05.000",
	"2006-01-02 15:04:05",
	"02.01.2006 15:04:05.000",
	"02.01.2006 15:04:05",
}

// parseTime reads a sample's time in loc.
func parseTime(cell []byte, loc *time.Location) (time.Time, bool) {
	s := string(bytes.TrimSpace(cell))
	if len(s) < 8 || s[0] < '0' || s[0] > '9' {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseValue reads a sample's value: a number, maybe with a fraction
// (counters of bytes are whole; PDH prints some as 1234.000000); blank
// (" " or "") when the instance was not there. A negative value (typeperf
// prints -1 where it could not read a counter) is missing too; bad says
// the cell was not blank.
func parseValue(cell []byte) (v int64, ok, bad bool) {
	cell = bytes.TrimSpace(cell)
	if len(cell) == 0 {
		return 0, false, false
	}
	n := int64(0)
	i := 0
	for ; i < len(cell) && cell[i] >= '0' && cell[i] <= '9'; i++ {
		if n > 1<<53 {
			return 0, false, true
		}
		n = n*10 + int64(cell[i]-'0')
	}
	if i == len(cell) {
		return n, true, false
	}
	f, err := strconv.ParseFloat(string(cell), 64)
	if err != nil || f < 0 || f > 1<<53 {
		return 0, false, true
	}
	return int64(f + 0.5), true, false
}
