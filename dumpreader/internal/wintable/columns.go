package wintable

import (
	"fmt"
	"strings"
)

// Role is what a column of a process or handle table holds.
type Role uint8

// The roles leakdiag reads; every other column is RoleOther.
const (
	RoleOther   Role = iota
	RoleName         // the process's image name ("Process", "Name")
	RolePID          // its process id
	RolePPID         // its parent's process id
	RoleHandles      // its handle count
	RolePath         // the image's full path
	RoleCmdline      // the command line
	RoleType         // a handle's object type
	RoleObject       // a handle's object name
	RoleValue        // a handle's value ("Handle", 0x1A4)
	RoleStart        // when the process started
)

// Columns maps each column of a table's heading to its role.
type Columns struct {
	Roles []Role
	// At holds the index of each role's first column, -1 if none.
	At [RoleStart + 1]int
}

// Lookup returns the columns of a heading, the role of each cell's text
// found (case and blanks aside) in names.
func Lookup(cells [][]byte, names map[string]Role) Columns {
	var c Columns
	for i := range c.At {
		c.At[i] = -1
	}
	c.Roles = make([]Role, len(cells))
	for i, cell := range cells {
		r := names[Key(cell)]
		c.Roles[i] = r
		if r != RoleOther && c.At[r] < 0 {
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

// Key is a heading's text as Lookup compares it: lower case, its blanks
// collapsed to one space.
func Key(b []byte) string {
	return strings.Join(strings.Fields(strings.ToLower(string(b))), " ")
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
