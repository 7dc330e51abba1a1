package rules

import "gopkg.in/yaml.v3"

// Limits on what a rule file may declare. Lists and params are read by
// every evaluation of the rules that use them, and by their messages:
// their size is part of what a rule costs, so it is bounded where it is
// written, with the error at that place.
const (
	// maxListItems bounds the items of a list (lists.NAME, after every
	// file added to it), of a list param and of tags and references, and
	// the entries of a table param.
	maxListItems = 10_000
	// maxStringBytes bounds every string of a rule file: a param, a list
	// item, a condition, a message.
	maxStringBytes = 1 << 20
)

// checkItems reports a list or table node with more than maxListItems
// items, and whether it is within the limit.
func (d *decoder) checkItems(v *yaml.Node, ruleID string) bool {
	n := len(v.Content)
	if v.Kind == yaml.MappingNode {
		n /= 2
	}
	if n <= maxListItems {
		return true
	}
	d.errorf(v, ruleID, CodeBadValue, "%s of %d items, over the limit of %d", kindName(v), n, maxListItems)
	return false
}

// checkString reports a scalar longer than maxStringBytes, and whether it
// is within the limit.
func (d *decoder) checkString(v *yaml.Node, ruleID string) bool {
	if len(v.Value) <= maxStringBytes {
		return true
	}
	d.errorf(v, ruleID, CodeBadValue, "a string of %d bytes, over the limit of %d (1 MiB)", len(v.Value), maxStringBytes)
	return false
}
