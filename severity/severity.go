// Package severity grades findings and diagnostics (info, warning,
// error) and says which grades fail a run (--fail-on). It sits below
// facts, rules, engine and reporters so each can name a severity without
// importing the others.
package severity

import "fmt"

// Level is a severity: info, warning or error. It stays a string so
// that JSON, SARIF and templates carry it as the word they always did.
type Level string

// Severities, least to most severe.
const (
	// Info: worth knowing, never a problem on its own.
	Info Level = "info"
	// Warning: likely a problem.
	Warning Level = "warning"
	// Error: a problem.
	Error Level = "error"
)

// All lists the severities, most severe first: the order in which
// reports count them.
var All = []Level{Error, Warning, Info}

// Names are the severities' names, least severe first: what a rule
// file may say.
var Names = []string{string(Info), string(Warning), string(Error)}

// Parse reads a severity by name.
func Parse(s string) (Level, error) {
	l := Level(s)
	if !l.Valid() {
		return "", fmt.Errorf("unknown severity %q: want info, warning or error", s)
	}
	return l, nil
}

// Rank orders severities: info 1, warning 2, error 3, anything else 0.
func (l Level) Rank() int {
	switch l {
	case Info:
		return 1
	case Warning:
		return 2
	case Error:
		return 3
	}
	return 0
}

// Valid reports whether l is one of the three severities.
func (l Level) Valid() bool { return l.Rank() > 0 }

// AtLeast reports whether l is as severe as m or more.
func (l Level) AtLeast(m Level) bool { return l.Rank() >= m.Rank() }

// String is the severity's name.
func (l Level) String() string { return string(l) }

// Never is the fail-on value that fails nothing.
const Never FailOn = "never"

// FailOn is the least severity that fails a run, or Never.
type FailOn string

// ParseFailOn reads a fail-on value: info, warning, error or never.
func ParseFailOn(s string) (FailOn, error) {
	f := FailOn(s)
	if f != Never && !Level(s).Valid() {
		return "", fmt.Errorf("unknown fail-on severity %q: want info, warning, error or never", s)
	}
	return f, nil
}

// FailOnValues are the values ParseFailOn accepts, for help and
// completion.
var FailOnValues = []string{string(Info), string(Warning), string(Error), string(Never)}

// Fails reports whether a finding of severity l fails a run.
func (f FailOn) Fails(l Level) bool {
	if f == Never || !Level(f).Valid() {
		return false
	}
	return l.AtLeast(Level(f))
}

// String is the fail-on value's name.
func (f FailOn) String() string { return string(f) }
