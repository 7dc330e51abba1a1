package rules

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/facts"
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
			name: "expr loops in loops over a list of 2,000",
			input: []Source{src("a.yaml", "lists:\n  big: "+items(2000)+"\nrules:\n  - id: R\n    title: t\n    lang: expr\n"+
				"    when: 'all(lists.big, all(lists.big, all(lists.big, # != \"\")))'\n")},
			want: []string{`a.yaml:7:12: rule "R": estimated cost up to 904116094028, over the limit of 100000: avoid nested loops over lists`},
		},
		{
			name: "message ranges in ranges over list params",
			input: []Source{src("a.yaml", "params:\n  big: "+items(maxListItems)+"\nrules:\n  - id: R\n    title: t\n    when: process.handles > 0\n"+
				"    message: '{{range .params.big}}{{range $.params.big}}{{range $.params.big}}x{{end}}{{end}}{{end}}'\n")},
			want: []string{`a.yaml:7:15: rule "R": message: estimated cost up to 2000500050004 steps, over the limit of 10000: avoid ranges in ranges`},
		},
		{
			name: "message that calls itself",
			input: []Source{src("a.yaml", "rules:\n  - id: R\n    title: t\n    when: process.handles > 0\n"+
				"    message: '{{define \"x\"}}{{template \"x\" .}}{{template \"x\" .}}{{end}}{{template \"x\" .}}'\n")},
			want: []string{`a.yaml:5:29: rule "R": message: {{define}} and {{block}} are not allowed: a message is one template`},
		},
		{
			name: "message range over a count",
			input: []Source{src("a.yaml", "rules:\n  - id: R\n    title: t\n    when: process.handles > 0\n"+
				"    message: '{{range .process.handles}}x{{end}}'\n")},
			want: []string{`a.yaml:5:23: rule "R": message: range over .process.handles: a message may range only over`},
		},
		{
			name: "exception glob of 2,000 stars",
			input: []Source{src("a.yaml", "rules:\n  - id: R\n    title: t\n    when: process.handles > 0\n"+
				"    exceptions:\n      - {name: e, reason: r, match: [[image, glob, '"+strings.Repeat("*a", 1000)+"']]}\n")},
			want: []string{`a pattern of 2000 characters, over the limit of 1024`},
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

// Conditions, scores and messages as an attacker would write them, with
// the facts that make them costly: each evaluation is bounded, and going
// over the bound is an error that names the rule and where the part that
// went over is written. Cases whose cost shows when rules load are
// refused then (TestHostileRuleFiles and testdata/bad).
func TestHostileEvaluation(t *testing.T) {
	names := func(n, size int) []facts.NameFacts {
		out := make([]facts.NameFacts, n)
		for i := range out {
			out[i] = facts.NameFacts{Name: strings.Repeat("n", size), Count: 1}
		}
		return out
	}
	cases := []struct {
		name  string
		input string // a rule file of one rule, R
		proc  *facts.ProcessFacts
		// want is the whole error, "" when the rule must evaluate.
		want string
	}{
		{
			name: "expr loop over a range a fact sets",
			input: `rules:
  - id: R
    title: t
    lang: expr
    when: 'all(1..process.handles, # > 0)'
`,
			proc: &facts.ProcessFacts{Handles: 1_000_000_000},
			want: `a.yaml:5:11: rule "R": condition: evaluation cost over the limit of 100000 (expr counts loop iterations and the strings and lists each operation reads)`,
		},
		{
			name: "expr loops in loops over more names than facts have",
			input: `rules:
  - id: R
    title: t
    lang: expr
    when: any(process.top_names, any(process.top_names, any(process.top_names, .count < 0)))
`,
			proc: &facts.ProcessFacts{TopNames: names(2000, 1)},
			want: `a.yaml:5:11: rule "R": condition: evaluation cost over the limit of 100000 (expr counts loop iterations and the strings and lists each operation reads)`,
		},
		{
			name: "expr string doubled by let",
			input: `rules:
  - id: R
    title: t
    lang: expr
    when: >-
      let a = process.image; let b = a + a; let c = b + b; let d = c + c; let e = d + d;
      let f = e + e; let g = f + f; let h = g + g; let i = h + h; let j = i + i;
      let k = j + j; let l = k + k; let m = l + l; let n = m + m; let o = n + n;
      let p = o + o; let q = p + p; let r = q + q; let s = r + r; let t = s + s;
      len(t) > 0
`,
			proc: &facts.ProcessFacts{Image: "agent.exe"},
			want: `a.yaml:5:11: rule "R": condition: evaluation cost over the limit of 100000 (expr counts loop iterations and the strings and lists each operation reads)`,
		},
		{
			name: "expr repeat by a fact",
			input: `rules:
  - id: R
    title: t
    lang: expr
    when: len(repeat("leak", process.handles)) > 0
`,
			proc: &facts.ProcessFacts{Image: "agent.exe", Handles: 1 << 40},
			want: `a.yaml:5:11: rule "R": condition: evaluation cost over the limit of 100000 (expr counts loop iterations and the strings and lists each operation reads)`,
		},
		{
			name: "expr score in loops",
			input: `rules:
  - id: R
    title: t
    lang: expr
    when: process.handles > 0
    score: sum(process.top_names, sum(process.top_names, .count))
`,
			proc: &facts.ProcessFacts{Handles: 1, TopNames: names(2000, 1)},
			want: `a.yaml:6:12: rule "R": score: evaluation cost over the limit of 100000 (expr counts loop iterations and the strings and lists each operation reads)`,
		},
		{
			name: "CEL loops in loops over more names than facts have",
			input: `rules:
  - id: R
    title: t
    when: process.top_names.exists(a, process.top_names.exists(b, a.count + b.count < 0))
`,
			proc: &facts.ProcessFacts{TopNames: names(2000, 1)},
			want: `a.yaml:4:11: rule "R": condition: operation cancelled: actual cost limit exceeded`,
		},
		{
			name: "CEL lower of a long name",
			input: `rules:
  - id: R
    title: t
    when: lower(process.image) == "agent.exe"
`,
			proc: &facts.ProcessFacts{Image: strings.Repeat("A", 2<<20)},
			want: `a.yaml:4:11: rule "R": condition: operation cancelled: actual cost limit exceeded`,
		},
		{
			name: "message over 64 KiB",
			input: `rules:
  - id: R
    title: t
    when: process.handles >= 0
    message: '{{range .process.top_names}}{{.name}}{{end}}'
`,
			proc: &facts.ProcessFacts{TopNames: names(10, 10_000)},
			want: `a.yaml:5:14: rule "R": message: the message is over the limit of 65536 bytes (64 KiB)`,
		},
		{
			name: "message padded by printf",
			input: `rules:
  - id: R
    title: t
    when: process.handles >= 0
    message: '{{if gt .process.handles 0}}{{printf "%0999999d" 1}}{{end}}'
`,
			proc: &facts.ProcessFacts{Handles: 1},
			want: `a.yaml:5:14: rule "R": message: template: R:1:30: executing "R" at <printf "%0999999d" 1>: error calling printf: printf: a width or precision over the limit of 65536 bytes (64 KiB)`,
		},
		{
			name: "message lowering a long name",
			input: `rules:
  - id: R
    title: t
    when: process.handles >= 0
    message: '{{lower .process.image}}'
`,
			proc: &facts.ProcessFacts{Image: strings.Repeat("A", maxMessageBytes+1)},
			want: `a.yaml:5:14: rule "R": message: template: R:1:2: executing "R" at <lower .process.image>: error calling lower: lower of a string of 65537 bytes: over the limit of 65536 bytes (64 KiB)`,
		},
		{
			name: "a message within its bounds",
			input: `rules:
  - id: R
    title: t
    when: process.handles >= 0
    message: '{{range .process.top_names}}{{.name}} {{end}}'
`,
			proc: &facts.ProcessFacts{TopNames: names(10, 100)},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := mustLoad(t, src("a.yaml", c.input))
			r := set.Rules[0]
			start := time.Now()
			err := evaluate(r, c.proc)
			if d := time.Since(start); d > raceSlowdown*2*time.Second {
				t.Errorf("evaluation took %v", d)
			}
			if c.want == "" {
				if err != nil {
					t.Fatalf("evaluation failed: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("evaluation succeeded; want %q", c.want)
			}
			if got := err.Error(); got != c.want {
				t.Errorf("error:\n%s\nwant:\n%s", got, c.want)
			}
			var le *LimitError
			if !errors.As(err, &le) || le.RuleID != "R" {
				t.Errorf("error %T is not a LimitError of rule R", err)
			}
		})
	}
}

// evaluate does what the engine does with a rule for a process: match,
// and when it fires, score and render.
func evaluate(r *Rule, p *facts.ProcessFacts) error {
	fired, err := r.Match(noSnapshot, p)
	if err != nil || !fired {
		return err
	}
	if _, err := r.ScoreOf(noSnapshot, p); err != nil {
		return err
	}
	_, err = r.Render(noSnapshot, p)
	return err
}

// Suppressions files as an attacker would write them: each case names
// the input and the error LoadSuppressions must give.
func TestHostileSuppressions(t *testing.T) {
	many := strings.Repeat("  - {rule: LD0001, reason: r}\n", maxListItems+1)
	cases := []struct {
		name, input, want string
	}{
		{"invalid UTF-8 on a later line", "suppressions:\n  - rule: LD0001\n    reason: caf\xe9\n",
			"s.yaml:3:16: yaml: incomplete UTF-8 octet sequence (byte 0xe9 at offset 46)"},
		{"a raw escape sequence", "suppressions:\n  - rule: LD0001\n    reason: \x1b]0;owned\x07\n",
			"s.yaml:3:13: yaml: control characters are not allowed (byte 0x1b at offset 43)\n        reason: ?]0;owned?\n"},
		{"a glob of 2,000 characters", "suppressions:\n  - rule: '" + strings.Repeat("*a", 1000) + "'\n    reason: r\n",
			"s.yaml:2:11: a pattern of 2000 characters, over the limit of 1024"},
		{"over 10,000 entries", "suppressions:\n" + many,
			"s.yaml:2:3: a list of 10001 items, over the limit of 10000"},
		{"a reason over 1 MiB", "suppressions:\n  - rule: LD0001\n    reason: " + strings.Repeat("r", maxStringBytes+1) + "\n",
			"s.yaml:3:13: a string of 1048577 bytes, over the limit of 1048576 (1 MiB)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadSuppressions("s.yaml", []byte(c.input))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("LoadSuppressions: %.1000v\nwant an error with %q", err, c.want)
			}
		})
	}
}
