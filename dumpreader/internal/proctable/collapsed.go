package proctable

import "strings"

// A web page shows a pasted table with its runs of blanks collapsed to
// one ("Handles NPM(K) PM(K) WS(K) CPU(s) Id ProcessName", then
// "32 5 1004 2908 1.11 2620 conhost"): its header and underline still
// name the columns, but no value stands under its heading any more. Such
// a row is read by order instead, where that is unambiguous: one token
// per column, and more only for a name in the last column.

// collapsed reports whether every heading of h stands one blank after
// the one before it, as in a table whose blanks were collapsed (and in a
// narrow table whose values are no wider than their headings, whose
// rows the fixed-width split reads).
func (h *Header) collapsed() bool {
	if h.Sep != 0 || len(h.Cols) < 2 {
		return false
	}
	for i := 1; i < len(h.Cols); i++ {
		if h.Cols[i].Start != h.Cols[i-1].End+1 {
			return false
		}
	}
	return true
}

// splitCollapsed gives the tokens of row to the columns of h in order,
// the tokens more than h has columns to the one column that holds a
// process name ("Memory Compression"), wherever it stands (wmic orders
// its columns alphabetically: HandleCount, Name, ProcessId). It returns
// false when the row has fewer tokens than h has columns (a blank cell:
// which one cannot be told), or more and h has no one name column.
func (s *Splitter) splitCollapsed(h *Header, row []byte) ([]string, bool) {
	s.toks = tokens(row, s.toks)
	n := len(h.Cols)
	if len(s.toks) < n {
		return nil, false
	}
	name := n - 1 // where extra tokens go; with none, any column
	if len(s.toks) > n && s.ListLast && s.pidBefore(h, n-1) {
		// tasklist /svc: "svchost.exe 1892 AudioSrv, BITS, CryptSvc":
		// the pid stands where the list takes the extra tokens.
	} else if len(s.toks) > n {
		name = -1
		for i, c := range h.Cols {
			if c.Role != Image && c.Role != ImageNoExt {
				continue
			}
			if name >= 0 {
				return nil, false // two name columns: which holds the blanks?
			}
			name = i
		}
		if name < 0 {
			return nil, false
		}
	}
	if cap(s.cells) < n {
		s.cells = make([]string, n)
	}
	s.cells = s.cells[:n]
	extra := len(s.toks) - n
	for i := 0; i < n; i++ {
		switch {
		case i < name:
			s.cells[i] = string(s.toks[i].text)
		case i > name:
			s.cells[i] = string(s.toks[i+extra].text)
		default:
			var b strings.Builder
			for k, t := range s.toks[i : i+extra+1] {
				if k > 0 {
					b.WriteByte(' ')
				}
				b.Write(t.text)
			}
			s.cells[i] = b.String()
		}
	}
	return s.cells, true
}

// pidBefore reports whether the tokens read, their extra ones given to
// column last, put a number under h's pid column, which stands before
// last.
func (s *Splitter) pidBefore(h *Header, last int) bool {
	i := h.Index(PID)
	if i < 0 || i >= last {
		return false
	}
	t := s.toks[i].text
	if len(t) == 0 {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
