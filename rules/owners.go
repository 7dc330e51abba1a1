package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Owner maps what a leak touches to who is behind it: processes by image,
// objects by name, code by module. Like WinDbg's triage.ini, patterns are
// globs and the most specific match wins.
type Owner struct {
	// At least one of these is set; all that are set must match.
	Image, ObjectName, Module  *Pattern
	Component, Vendor, Contact string
	Pos                        Pos
	// frame is Module compiled for stack frames, at load.
	frame *framePattern
}

// framePattern is an owner's module pattern compiled once for matching
// stack frames: the module part lowercase and without its extension
// (frames name modules without one) and, for a "module!function"
// pattern, the function part. A part that does not compile (a pattern
// that is all wildcards once its extension is gone) matches nothing.
type framePattern struct {
	module, function *Pattern
	hasFunction      bool
}

func compileFrame(p *Pattern) *framePattern {
	if p == nil {
		return nil
	}
	compile := func(s string) *Pattern {
		c, err := compilePattern(s)
		if err != nil {
			return nil
		}
		return c
	}
	mod, fn, ok := strings.Cut(p.Text, "!")
	f := &framePattern{module: compile(ModuleBase(mod)), hasFunction: ok}
	if ok {
		f.function = compile(strings.ToLower(fn))
	}
	return f
}

// MatchFrame reports whether the owner's module pattern matches a stack
// frame: module is the frame's module as ModuleBase gives it, function
// the frame's function ("" when the frame has no symbols). A
// "module!function" pattern needs both to match, and a function; a
// module pattern only the module.
func (o *Owner) MatchFrame(module, function string, hasSymbols bool) bool {
	f := o.frame
	if f == nil {
		f = compileFrame(o.Module) // an Owner not made by Load
	}
	switch {
	case f == nil:
		return false
	case f.hasFunction:
		return hasSymbols && f.module != nil && f.module.Match(module) && f.function != nil && f.function.Match(function)
	}
	return f.module != nil && f.module.Match(module)
}

// ModuleBase is a module's name as stack frames and module patterns are
// compared: lowercase, without .dll, .exe or .sys.
func ModuleBase(m string) string {
	m = strings.ToLower(m)
	for _, ext := range []string{".dll", ".exe", ".sys"} {
		m = strings.TrimSuffix(m, ext)
	}
	return m
}

// Pattern is a case-insensitive glob: '*' matches any run of characters
// (path separators included), '?' any one character.
type Pattern struct {
	Text  string
	lower []rune // Text lowercase, as Match compares it
}

// maxPatternLen bounds a glob, in characters. Matching a glob with stars
// costs its length times the text's, for every process and every name a
// pattern is tried on; names and images are far shorter than this.
const maxPatternLen = 1024

func compilePattern(s string) (*Pattern, error) {
	if s == "" {
		return nil, fmt.Errorf("an empty pattern matches nothing")
	}
	if n := utf8.RuneCountInString(s); n > maxPatternLen {
		return nil, fmt.Errorf("a pattern of %d characters, over the limit of %d", n, maxPatternLen)
	}
	if strings.Trim(s, "*?") == "" && s != "*" {
		return nil, fmt.Errorf("pattern %q has no literal text; write \"*\" to match anything", s)
	}
	return &Pattern{Text: s, lower: []rune(strings.ToLower(s))}, nil
}

// Match reports whether s matches the pattern, ignoring case.
func (p *Pattern) Match(s string) bool {
	return globMatch(p.lower, []rune(strings.ToLower(s)))
}

// Specificity is the number of literal characters: a longer literal match
// is a more specific one.
func (p *Pattern) Specificity() int {
	return utf8.RuneCountInString(strings.NewReplacer("*", "", "?", "").Replace(p.Text))
}

// globMatch matches with '*' and '?' (one character, not one byte), in
// linear time for '*' (the classic backtrack to the last star).
func globMatch(pattern, s []rune) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// specificity of an owner: the sum of its patterns', so that an owner
// matching image and object name beats one matching either.
func (o *Owner) specificity() int {
	n := 0
	for _, p := range []*Pattern{o.Image, o.ObjectName, o.Module} {
		if p != nil {
			n += p.Specificity()
		}
	}
	return n
}
