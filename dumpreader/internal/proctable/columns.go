package proctable

import (
	"fmt"
	"strings"
)

// Columns maps each column of a table's heading, split into cells
// (SplitCells), to its role: the tables read cell by cell, whose rows
// say which cell is which by their tabs or runs of blanks (Process
// Explorer's and System Informer's).
type Columns struct {
	Roles []Role
	// At holds the index of each role's first column, -1 if none.
	At [numRoles]int
}

// Lookup returns the columns of a heading, the role of each cell's text
// found by its Key in v; a cell v does not name is Other.
func Lookup(cells [][]byte, v Vocab) Columns {
	var c Columns
	for i := range c.At {
		c.At[i] = -1
	}
	c.Roles = make([]Role, len(cells))
	for i, cell := range cells {
		r, _ := v.lookup(string(cell))
		c.Roles[i] = r
		if r != Other && c.At[r] < 0 {
			c.At[r] = i
		}
	}
	return c
}

// Has reports whether the heading has a column of role r.
func (c *Columns) Has(r Role) bool { return c.At[r] >= 0 }

// Cell returns the cell of role r in a row, nil when the heading has no
// such column or the row ends before it (the tools' rows, and the
// cleaning of pastes, drop empty cells at the end).
func (c *Columns) Cell(cells [][]byte, r Role) []byte {
	i := c.At[r]
	if i < 0 || i >= len(cells) {
		return nil
	}
	return cells[i]
}

// Key is a name (a heading, a property, a statistic) as vocabularies
// hold it: lower case, its blanks collapsed to one space, none at its
// ends.
func Key[S ~string | ~[]byte](s S) string {
	if isKey(s) {
		return string(s) // most lookups: no copy to make
	}
	return strings.Join(strings.Fields(strings.ToLower(string(s))), " ")
}

// isKey says s is a Key already: ASCII without upper case or control
// characters, single spaces between words and none at its ends.
func isKey[S ~string | ~[]byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if c, ok := keyByte(s, i); !ok || c != s[i] {
			return false
		}
	}
	return true
}

// keyByte is s[i] as a Key of s holds it (lower case), and false when
// s[i] is such that Key of s needs more than lowering its letters: a
// byte outside printable ASCII, a space at an end or after another.
func keyByte[S ~string | ~[]byte](s S, i int) (byte, bool) {
	c := s[i]
	switch {
	case c >= 0x80 || c < ' ':
		return 0, false
	case c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' '):
		return 0, false
	case c >= 'A' && c <= 'Z':
		return c + 'a' - 'A', true
	}
	return c, true
}

// Misfit says why a row of n cells does not fit the heading, "" when it
// does. A row split at tabs may hold fewer cells (the empty ones at its
// end are dropped by the tools and by the cleaning of pastes), never
// more; a row split at runs of blanks (its tabs turned to spaces) must
// hold as many, for an empty cell leaves no trace there.
func (c *Columns) Misfit(n int, tabbed bool) string {
	switch {
	case n > len(c.Roles):
		return fmt.Sprintf("row of %d cells under a heading of %d columns: not read", n, len(c.Roles))
	case !tabbed && n != len(c.Roles):
		return fmt.Sprintf("row of %d cells under a heading of %d columns, its tabs turned to blanks: which cell is which column is unknown; not read", n, len(c.Roles))
	}
	return ""
}
