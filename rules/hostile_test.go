package rules

import (
	"fmt"
	"strings"
	"testing"
)

// Rule files as an attacker would write them. Rule files come from
// customers, vendors and other teams: each case names a way to abuse the
// loader, the input, and the error it must give (the whole text, or the
// lines it must hold), quickly and without a panic. Cases whose input is
// small enough to read are in testdata/bad as well.
func TestHostileRuleFiles(t *testing.T) {
	items := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprintf("i%d", i)
		}
		return "[" + strings.Join(s, ", ") + "]"
	}
	huge := strings.Repeat("x", maxStringBytes+1)
	cases := []struct {
		name  string
		input []Source
		// want are lines the error must have; none: it loads.
		want []string
	}{
		{
			name:  "rule id with an escape sequence",
			input: []Source{src("a.yaml", "rules:\n  - {id: \"LD\\e[2J\", title: t, when: process.handles > 1}\n")},
			want:  []string{`a.yaml:2:10: rule id "LD\x1b[2J" is not a valid id (letters, digits, '_', '.' and '-' only): ids match ^[A-Za-z0-9_.-]{1,64}$`},
		},
		{
			name:  "rule id with a line break",
			input: []Source{src("a.yaml", "rules:\n  - {id: \"A\\nB\", title: t, when: process.handles > 1}\n")},
			want:  []string{`a.yaml:2:10: rule id "A\nB" is not a valid id`},
		},
		{
			name:  "reference that runs script",
			input: []Source{src("a.yaml", "rules:\n  - {id: R, title: t, when: process.handles > 1, references: ['javascript:alert(1)']}\n")},
			want:  []string{`a.yaml:2:63: rule "R": reference "javascript:alert(1)" is not an http or https URL`},
		},
		{
			name:  "reference to a local file",
			input: []Source{src("a.yaml", "rules:\n  - {id: R, title: t, when: process.handles > 1, references: ['file:///etc/passwd']}\n")},
			want:  []string{`a.yaml:2:63: rule "R": reference "file:///etc/passwd" is not an http or https URL`},
		},
		{
			name:  "list over the item limit",
			input: []Source{src("a.yaml", "lists:\n  big: "+items(maxListItems+1)+"\n")},
			want:  []string{"a.yaml:2:8: a list of 10001 items, over the limit of 10000"},
		},
		{
			name: "list over the item limit after layering",
			input: []Source{
				src("a.yaml", "lists:\n  big: "+items(maxListItems)+"\n"),
				src("b.yaml", "lists:\n  big: [one-more]\n"),
			},
			want: []string{`b.yaml:2:3: list "big" would have over 10000 items with this file's: the limit of a list`},
		},
		{
			name:  "list param over the item limit",
			input: []Source{src("a.yaml", "params:\n  big: "+items(maxListItems+1)+"\n")},
			want:  []string{"a.yaml:2:8: a list of 10001 items, over the limit of 10000"},
		},
		{
			name:  "table param over the item limit",
			input: []Source{src("a.yaml", "params:\n  big: {"+strings.ReplaceAll(strings.Trim(items(maxListItems+1), "[]"), ",", ": 1,")+": 1}\n")},
			want:  []string{"a.yaml:2:8: a mapping of 10001 items, over the limit of 10000"},
		},
		{
			name:  "param string over 1 MiB",
			input: []Source{src("a.yaml", "params:\n  big: "+huge+"\n")},
			want:  []string{"a.yaml:2:8: a string of 1048577 bytes, over the limit of 1048576 (1 MiB)"},
		},
		{
			name:  "list item over 1 MiB",
			input: []Source{src("a.yaml", "lists:\n  big: [a, "+huge+"]\n")},
			want:  []string{"a.yaml:2:12: a string of 1048577 bytes, over the limit of 1048576 (1 MiB)"},
		},
		{
			name:  "condition over 1 MiB",
			input: []Source{src("a.yaml", "rules:\n  - id: R\n    title: t\n    when: "+huge+"\n")},
			want:  []string{`a.yaml:4:11: rule "R": a string of 1048577 bytes, over the limit of 1048576 (1 MiB)`},
		},
		{
			name:  "a long line is shown around the caret",
			input: []Source{src("a.yaml", "params:\n  big: "+huge+"\n")},
			want:  []string{"    big: " + strings.Repeat("x", maxSnippet-7) + "...\n    " + strings.Repeat(" ", 7) + "^"},
		},
		{
			name:  "control characters in a snippet",
			input: []Source{src("a.yaml", "rules:\n  - id: R\x1b]0;owned\x07\n")},
			want:  []string{"a.yaml:2:10: yaml: control characters are not allowed (byte 0x1b at offset 16)", "      - id: R?]0;owned?\n"},
		},
		{
			name:  "invalid UTF-8 on a later line",
			input: []Source{src("a.yaml", "rules:\n  - id: R\n    title: t\n    when: process.image == \"caf\xe9\"\n")},
			want:  []string{"a.yaml:4:32: yaml: invalid trailing UTF-8 octet (byte 0xe9 at offset 61)"},
		},
		{
			name:  "truncated UTF-8 at the end",
			input: []Source{src("a.yaml", "rules: []\n# caf\xc3")},
			want:  []string{"a.yaml:2:6: yaml: incomplete UTF-8 octet sequence (byte 0xc3 at offset 15)"},
		},
		{
			name: "aliases that would expand a billion times",
			input: []Source{src("a.yaml", `lists:
  a: &a [x, x, x, x, x, x, x, x, x, x]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
  i: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
`)},
			want: []string{"a.yaml:3:10: expected a string, not an alias"},
		},
		{
			name:  "nesting twenty thousand deep",
			input: []Source{src("a.yaml", "rules: "+strings.Repeat("[", 20_000)+strings.Repeat("]", 20_000)+"\n")},
			want:  []string{"a.yaml:1:1: yaml: exceeded max depth of 10000"},
		},
		{
			name:  "block scalar on the last line",
			input: []Source{src("a.yaml", "rules:\n  - id: R\n    title: t\n    message: |")},
			want:  []string{`a.yaml:2:5: rule "R": a rule needs a when`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadNoPanic(t, c.input)
			switch {
			case len(c.want) == 0 && err != nil:
				t.Fatalf("Load: %v; want it to load", err)
			case len(c.want) == 0:
				return
			case err == nil:
				t.Fatalf("Load succeeded; want %q", c.want)
			}
			got := err.Error()
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("Load error:\n%.2000s\nwant it to hold:\n%.2000s", got, w)
				}
			}
		})
	}
}
