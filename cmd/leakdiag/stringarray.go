package main

import (
	"bytes"
	"encoding/csv"
	"strings"

	"github.com/spf13/pflag"
)

// stringArrayVar defines a repeatable string flag as pflag's
// StringArrayVar does (--rules A --rules B: each value taken whole, the
// first replacing the default), with the same type name, help line and
// text form. pflag renders every such flag's default through a CSV
// writer with a 4 KiB buffer when the flag is defined: a dozen flags, on
// every command built at every start, most of whose defaults are empty.
// Here an empty default is never rendered; a non-empty one is, once.
func stringArrayVar(fl *pflag.FlagSet, p *[]string, name string, value []string, usage string) {
	*p = value
	f := &pflag.Flag{Name: name, Usage: usage, Value: &stringArray{value: p}}
	if len(value) > 0 {
		// pflag leaves out an empty default ("[]") from the help line,
		// for its own type only: "" is the empty default every type
		// leaves out.
		f.DefValue = f.Value.String()
	}
	fl.AddFlag(f)
}

// stringArray is a stringArrayVar's value: pflag's stringArrayValue,
// whose methods it mirrors.
type stringArray struct {
	value   *[]string
	changed bool
}

// Set replaces the default with the first value given, and appends each
// later one.
func (s *stringArray) Set(val string) error {
	if !s.changed {
		*s.value = []string{val}
		s.changed = true
	} else {
		*s.value = append(*s.value, val)
	}
	return nil
}

// Append adds val (pflag.SliceValue).
func (s *stringArray) Append(val string) error {
	*s.value = append(*s.value, val)
	return nil
}

// Replace sets the values to a copy of val (pflag.SliceValue).
func (s *stringArray) Replace(val []string) error {
	*s.value = append([]string(nil), val...)
	if *s.value == nil {
		*s.value = []string{}
	}
	return nil
}

// GetSlice returns a copy of the values (pflag.SliceValue; cobra's
// completion offers a flag that has it again).
func (s *stringArray) GetSlice() []string {
	return append(make([]string, 0, len(*s.value)), *s.value...)
}

// Type is pflag's name for the type, which its help line shows and
// FlagSet.GetStringArray checks.
func (s *stringArray) Type() string { return "stringArray" }

// String is the values as pflag writes them, "[a,b]" with CSV quoting,
// which FlagSet.GetStringArray reads back.
func (s *stringArray) String() string {
	if len(*s.value) == 0 {
		return "[]"
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(*s.value); err != nil {
		return "[]"
	}
	w.Flush()
	return "[" + strings.TrimSuffix(b.String(), "\n") + "]"
}
