package main

import "testing"

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"--format":          "--format",
		"html=report.html":  "html=report.html",
		`C:\cases\a b.txt`:  `'C:\cases\a b.txt'`,
		"it's":              `'it'\''s'`,
		"":                  "''",
		"captures/host01/*": "'captures/host01/*'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
