package poolmon

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// row is one line of the tag table.
type row struct {
	tag      string
	paged    bool
	allocs   int64 // outstanding allocations: the Diff column
	bytes    int64
	mapped   string // what -g maps the tag to: "[dxgkrnl.sys - Unknown]"
	allAlloc int64  // the Allocs column, allocations since boot
	// console says the row shows the changes since the last refresh in
	// parentheses after its Allocs and Frees, "( 0)", as PoolMon's
	// console does and no other tool's table.
	console bool
}

// poolTypes are the Type column's words, paged or not.
var poolTypes = map[string]bool{"nonp": false, "nonpaged": false, "paged": true, "page": true}

// parseRow reads line as a row of the tag table. It takes the row only
// when Diff is Allocs minus Frees, as poolmon computes it.
func parseRow(line []byte) (row, bool) {
	var r row
	tag, rest := word(line)
	if len(tag) == 0 || len(tag) > 4 {
		return r, false
	}
	typ, rest := word(rest)
	paged, ok := poolTypes[string(bytes.ToLower(typ))]
	if !ok && len(tag)+1+len(typ) <= 4 {
		// A tag with a blank inside, "Dh 1": its second word, then
		// the type.
		tag = append(append(append([]byte(nil), tag...), ' '), typ...)
		typ, rest = word(rest)
		paged, ok = poolTypes[string(bytes.ToLower(typ))]
	}
	if !ok {
		return r, false
	}
	var nums [5]int64
	changes := 0
	for i := range nums {
		var n int64
		if n, rest, ok = number(rest); !ok {
			return r, false
		}
		nums[i] = n
		if i == 0 || i == 1 || i == 3 {
			after := skipChange(rest)
			if len(after) != len(rest) && i < 3 {
				changes++
			}
			rest = after
		}
	}
	allocs, frees, diff := nums[0], nums[1], nums[2]
	if allocs-frees != diff || diff < 0 {
		return r, false
	}
	r.tag, r.paged, r.allAlloc, r.allocs, r.bytes = string(tag), paged, allocs, diff, nums[3]
	r.console = changes == 2
	r.mapped = string(scan.TrimSpace(rest))
	return r, true
}

// word returns the first word of b and what follows it.
func word(b []byte) (w, rest []byte) {
	b = scan.TrimSpace(b)
	i := bytes.IndexAny(b, " \t")
	if i < 0 {
		return b, nil
	}
	return b[:i], b[i:]
}

// number reads the decimal number that starts b after blanks; it must
// end at a blank, a '(' or the end of b.
func number(b []byte) (int64, []byte, bool) {
	b = scan.TrimSpace(b)
	i := 0
	for i < len(b) && scan.IsDigit(b[i]) {
		i++
	}
	if i == 0 || i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != '(' {
		return 0, b, false
	}
	n, ok := scan.ParseDec(b[:i])
	return n, b[i:], ok
}

// skipChange drops the change since the last refresh, "( 10)" or
// "(-3)", where the row has one.
func skipChange(b []byte) []byte {
	t := scan.TrimSpace(b)
	if len(t) == 0 || t[0] != '(' {
		return b
	}
	end := bytes.IndexByte(t, ')')
	if end < 0 {
		return b
	}
	for _, c := range t[1:end] {
		if !scan.IsDigit(c) && c != ' ' && c != '-' && c != '+' {
			return b
		}
	}
	return t[end+1:]
}
