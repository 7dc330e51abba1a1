// Package rules reads leakdiag's rule files and compiles them into rules
// the engine evaluates over facts.
//
// A rule file (docs/rules.md) has lists, params, rules and owners. Load
// decodes each file strictly from its YAML nodes, keeping the position of
// every value, layers the files in order (a later file adds to lists, sets
// params, and changes a rule by repeating its id with override: true),
// then compiles every rule once: its condition and score in CEL or expr,
// type-checked against the facts' types, and its message as a Go
// template, checked against sample facts. Every problem of every file
// comes back at once, as an ErrorList of positioned Errors printed as
// file:line:col: rule "id": message, with a caret under the place.
//
// # Trust
//
// Rule files and suppressions files come from customers, vendors and
// other teams: they are read as untrusted input, and nothing in one can
// make loading or evaluating unbounded.
//
//   - Reading: ReadFile, ReadPath and ReadDir read only regular files of
//     at most MaxFileSize (8 MiB), refusing devices and FIFOs unopened.
//   - Loading: positions come from an index of each file's lines built
//     once (lines.go); a rule is compiled with only the params and lists it
//     names, and shares the files' params rather than copying them
//     (params.go, refs.go), so loading is linear in the files. Rule ids
//     match IDPattern, references are http(s) URLs, lists and tables hold
//     at most 10,000 items, strings at most 1 MiB, globs 1,024 characters
//     (validate.go, limits.go).
//   - Evaluating: every condition and score has a budget of 100,000, its
//     estimate checked when it loads and its cost counted as it runs: by
//     CEL itself, and for expr by a meter the program is rewritten to
//     charge (exprmeter.go, exprpatch.go, exprcost.go). A message is one
//     template whose ranges have sizes known at load and whose estimated
//     steps are at most 10,000; it renders into at most 64 KiB
//     (msgbounds.go, msgfuncs.go). A bound that stops an evaluation is a
//     LimitError naming the rule and where the part is written.
//
// # Checked ahead
//
// Parsing and type-checking CEL is most of what loading costs. CheckCEL
// returns every CEL expression of a set of rule files checked (a
// CheckedCEL, written as JSON); Load given it (WithChecked) takes an
// expression from it instead of parsing and checking it again only where
// the text, the scope, the params and lists it names with their types,
// and the fact types it was checked against are the same, and compiles
// anything else as if it were not there. The default rules ship theirs
// (rules.d's Checked, checked.json).
//
// Rules are safe for concurrent evaluation: programs are compiled once and
// shared, and each evaluation has its own state.
package rules
