package rules

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pos is a place in a rule file; Line and Col count from 1.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Error is one problem with a rule file, at a position.
type Error struct {
	Pos Pos
	// RuleID is the rule the problem is in, if any.
	RuleID string
	// Code is a stable identifier of the kind of problem, for tests and
	// machine-readable output.
	Code string
	Msg  string
	// Snippet is the source line of Pos with a caret under its column.
	Snippet string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.RuleID != "" {
		fmt.Fprintf(&b, "rule %q: ", e.RuleID)
	}
	b.WriteString(e.Msg)
	if e.Snippet != "" {
		b.WriteString("\n")
		b.WriteString(e.Snippet)
	}
	return b.String()
}

// Error codes.
const (
	CodeYAML         = "yaml"          // the file is not YAML, or not the shape of a rule file
	CodeUnknownKey   = "unknown-key"   // a key rule files do not have
	CodeMissing      = "missing"       // a required key is missing
	CodeBadValue     = "bad-value"     // a value of the wrong kind or out of range
	CodeDuplicateID  = "duplicate-id"  // a rule id defined twice
	CodeUnknownRule  = "unknown-rule"  // an override of a rule no file defines
	CodeSyntax       = "syntax"        // a condition or score that does not parse
	CodeType         = "type"          // a condition that does not type-check (misspelled fact, wrong type)
	CodeNotBool      = "not-bool"      // a condition that does not yield a bool
	CodeNotNumber    = "not-number"    // a score that does not yield a number
	CodeUnknownParam = "unknown-param" // a reference to a param no rule or file declares
	CodeUnknownList  = "unknown-list"  // a reference to a list no file declares
	CodeCost         = "cost"          // a condition whose estimated cost is over the limit
	CodeTemplate     = "template"      // a message that is not a valid template
	CodeBadPattern   = "bad-pattern"   // an owner pattern that is not a valid glob
	CodeVersion      = "version"       // a file that requires a later leakdiag

	// Warnings (Set.Warnings, `leakdiag rules lint`): the rules load, but
	// something in them is likely a mistake.
	CodeUnusedParam  = "unused-param"  // a param no rule uses
	CodeUnusedList   = "unused-list"   // a list no rule (nor the engine) uses
	CodeDisabled     = "disabled"      // a later file disables a rule
	CodeShadowed     = "shadowed"      // a later file replaces a rule's condition
	CodeNeverMatches = "never-matches" // an owner pattern that cannot match
	CodeCostly       = "costly"        // a condition whose estimated cost is high
)

// WarningCodes are the codes of Set.Warnings; every other code is an
// error's.
var WarningCodes = []string{CodeUnusedParam, CodeUnusedList, CodeDisabled, CodeShadowed, CodeNeverMatches, CodeCostly}

// maxErrors caps how many errors an ErrorList prints.
const maxErrors = 50

// ErrorList is every problem found in a set of rule files.
type ErrorList []*Error

func (l *ErrorList) add(pos Pos, ruleID, code, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, RuleID: ruleID, Code: code, Msg: fmt.Sprintf(format, args...)})
}

// sort orders the list by file, line, column and message.
func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return l[i].Msg < l[j].Msg
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i == maxErrors {
			fmt.Fprintf(&b, "and %d more errors\n", len(l)-maxErrors)
			break
		}
		b.WriteString(e.Error())
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// maxSnippet is the most characters of a line a snippet shows: a
// hostile file's one line of megabytes is shown around the caret.
const maxSnippet = 256

// snippet returns line (1-based) of a file with a caret under col
// (1-based); "" when the file has no such line or is not known (nil).
// Control characters show as '?': a snippet is printed to terminals, and
// the line may be the very one refused for holding an escape sequence.
func snippet(l *lines, line, col int) string {
	if l == nil || line < 1 || line > l.count() {
		return ""
	}
	text := []rune(strings.TrimRight(l.line(line), "\r"))
	col = max(col, 1)
	var before, after string
	if len(text) > maxSnippet {
		start := max(0, min(col-1-maxSnippet/2, len(text)-maxSnippet))
		if start > 0 {
			before = "..."
		}
		if start+maxSnippet < len(text) {
			after = "..."
		}
		text = text[start : start+maxSnippet]
		col -= start
	}
	for i, r := range text {
		switch {
		case r == '\t':
			text[i] = ' '
		case unicode.IsControl(r), r == utf8.RuneError, r == '\u2028', r == '\u2029':
			text[i] = '?'
		}
	}
	caret := len(before) + min(col-1, len(text))
	return fmt.Sprintf("    %s%s%s\n    %s^", before, string(text), after, strings.Repeat(" ", caret))
}
