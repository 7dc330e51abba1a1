package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/facts"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// This file holds what is particular to output an extension passed
// through from a command it ran (`!mex.grep -A 6 .etl !handle 0 3 0
// File`, `.shell -ci "!handle 0 f" findstr Event`): the command parser
// (command.wrap) makes the inner command the one whose output follows, so
// it is read as such; a filter's output is partial.

// wrapped says that the current command's output comes through another
// command, and what that means for its counts.
func (k *kdReader) wrapped() {
	c := &k.cmd
	if c.filtered {
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeWrapped,
			"%s runs %s and shows only the lines that match: read as %s output, a partial dump whose counts are not complete (handles it drops are not counted, names it drops not known)",
			c.wrapper, c.name, c.name)
		return
	}
	k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeWrapped, "%s runs %s: read as %s output", c.wrapper, c.name, c.name)
}

// isFilteredFragment recognizes the lines a filter leaves of a handle
// entry whose first line it dropped (the object information of a kernel
// entry, the fields of a user-mode one, and the "Object Specific
// Information" block that ends a user-mode one, "Event is Waiting") and
// grep's "--" between matches, which ends the entry being read.
func (k *kdReader) isFilteredFragment(line []byte) bool {
	if string(line) == "--" {
		k.endEntry() // what follows a gap is not the same entry's
		k.filteredInfo = false
		return true
	}
	if bytes.EqualFold(line, []byte("Object Specific Information")) {
		k.filteredInfo = true
		return true
	}
	for _, label := range []string{
		"Object:", "ObjectHeader:", "HandleCount:", "Directory Object:",
		"Type ", "Attributes ", "GrantedAccess ", "PointerCount ", "Name ",
	} {
		if scan.HasPrefix(line, label) {
			k.filteredInfo = false
			return true
		}
	}
	// The object's own lines run until the next entry, field, gap or
	// blank line; every reader before this one declined the line.
	return k.filteredInfo
}
