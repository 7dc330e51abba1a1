package main

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"
)

// TestStringArrayVar: a stringArrayVar flag reads its arguments, prints
// its help line and its value, and answers GetStringArray as pflag's own
// StringArrayVar does.
func TestStringArrayVar(t *testing.T) {
	for _, tc := range []struct {
		name string
		def  []string
		args []string
	}{
		{"empty default, unset", nil, nil},
		{"empty default, set twice", nil, []string{"--x", "a", "--x=b"}},
		{"default, unset", []string{"text"}, nil},
		{"default replaced, then appended", []string{"text"}, []string{"--x", "json=out.json", "--x", "sarif"}},
		{"two defaults", []string{"a", "b c"}, nil},
		{"CSV quoting", nil, []string{"--x", `a,b`, "--x", `say "hi"`, "--x", " lead", "--x", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			type seen struct {
				Value, String, Usages, Type string
				Got, Slice                  []string
				Changed                     bool
			}
			read := func(define func(fl *pflag.FlagSet, p *[]string)) seen {
				t.Helper()
				var p []string
				fl := pflag.NewFlagSet("t", pflag.ContinueOnError)
				define(fl, &p)
				if err := fl.Parse(tc.args); err != nil {
					t.Fatal(err)
				}
				got, err := fl.GetStringArray("x")
				if err != nil {
					t.Fatal(err)
				}
				f := fl.Lookup("x")
				s := seen{String: f.Value.String(), Usages: fl.FlagUsages(), Type: f.Value.Type(), Got: got, Changed: f.Changed}
				s.Value = fmt.Sprintf("%#v", p)
				if sv, ok := f.Value.(pflag.SliceValue); ok {
					s.Slice = sv.GetSlice()
				}
				return s
			}
			want := read(func(fl *pflag.FlagSet, p *[]string) { fl.StringArrayVar(p, "x", tc.def, "the `X` to use") })
			got := read(func(fl *pflag.FlagSet, p *[]string) { stringArrayVar(fl, p, "x", tc.def, "the `X` to use") })
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("stringArrayVar, args %q: diff from pflag's StringArrayVar (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}
