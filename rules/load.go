package rules

import (
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/severity"
)

// Source is one rule file to load.
type Source struct {
	Path string
	Data []byte
}

// Set is the rules, lists, params and owners of all loaded files.
type Set struct {
	// Rules are in the order they were first defined, disabled ones
	// included.
	Rules  []*Rule
	Owners []*Owner
	Lists  map[string][]string
	Params map[string]any
	// KnownGood are the globs of the list known_good_modules, compiled
	// (lowercase): the modules a stack walk passes over.
	KnownGood []*Pattern
	// Warnings are what `leakdiag rules lint` reports besides errors:
	// unused params and lists, rules a later file disables or whose
	// condition it replaces, owner patterns that cannot match, costly
	// conditions. They never stop a load.
	Warnings ErrorList
}

// Enabled returns the rules that are enabled.
func (s *Set) Enabled() []*Rule {
	var out []*Rule
	for _, r := range s.Rules {
		if r.Enabled {
			out = append(out, r)
		}
	}
	return out
}

// Rule returns the rule with the id (case ignored), or an error that
// suggests the nearest id.
func (s *Set) Rule(id string) (*Rule, error) {
	ids := make([]string, 0, len(s.Rules))
	for _, r := range s.Rules {
		if strings.EqualFold(r.ID, id) {
			return r, nil
		}
		ids = append(ids, r.ID)
	}
	return nil, fmt.Errorf("no rule %q%s", id, Suggest(id, ids))
}

// IsTestFile reports whether a file name is a rule test file's
// (NAME_test.yaml or NAME_test.yml), which sits next to rule files.
func IsTestFile(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, "_test.yaml") || strings.HasSuffix(lower, "_test.yml")
}

// knownGood compiles the globs of the list known_good_modules once, for
// every run and every process's stacks; a glob that cannot be one is an
// error at the list.
func (l *layering) knownGood() []*Pattern {
	var out []*Pattern
	for _, g := range l.set.Lists[KnownGoodModules] {
		p, err := compilePattern(strings.ToLower(g))
		if err != nil {
			l.errs.add(l.declared["lists."+KnownGoodModules], "", CodeBadPattern, "list %s: %v", KnownGoodModules, err)
			continue
		}
		out = append(out, p)
	}
	return out
}

// Load reads rule files in order, each layered on the ones before, and
// compiles every rule. A later file may add to lists, set params, add
// rules and owners, and change an earlier rule by repeating its id with
// `override: true`. All problems of all files come back at once, as an
// ErrorList.
func Load(srcs []Source, opts ...Option) (*Set, error) {
	var o loadOptions
	for _, opt := range opts {
		opt(&o)
	}
	return load(srcs, o)
}

// Option changes how Load compiles rules.
type Option func(*loadOptions)

type loadOptions struct {
	// checked are CEL expressions checked before; record, where set,
	// gets every CEL expression compiled (CheckCEL).
	checked, record *CheckedCEL
}

// WithChecked has Load take CEL expressions from c where c holds them
// checked in the same environment, instead of parsing and checking them
// again (the default rules ship theirs: rules.d's Checked). c is trusted
// as code is: what runs is its checked AST, not the rule's text (their
// costs are still estimated and counted), so give only what CheckCEL made
// from files you trust, such as the ones built into the binary.
func WithChecked(c *CheckedCEL) Option {
	return func(o *loadOptions) { o.checked = c }
}

func load(srcs []Source, opts loadOptions) (*Set, error) {
	var errs ErrorList
	files := make([]*ruleFile, len(srcs))
	for i, src := range srcs {
		files[i] = parseFile(src.Path, src.Data, &errs)
	}
	set := &Set{Lists: map[string][]string{}, Params: map[string]any{}}
	l := layering{set: set, byID: map[string]*layered{}, errs: &errs, declared: map[string]Pos{}, paramFrom: map[string]Pos{}, opts: opts}
	for _, f := range files {
		l.add(f)
	}
	// Rules that were refused (no id, a duplicate, an override of nothing)
	// are still compiled, so that every problem in them shows at once.
	all := l.order
	for _, rd := range l.refused {
		lr := &layered{def: *rd, params: map[string]paramDef{}}
		withDefaults(&lr.def)
		for _, p := range rd.params {
			lr.params[p.name] = p
		}
		all = append(all[:len(all):len(all)], lr)
	}
	set.Rules = l.compileAll(all)[:len(l.order):len(l.order)]
	set.KnownGood = l.knownGood()
	// Snippets need the sources; errors from every file get theirs.
	linesByPath := map[string]*lines{}
	for _, f := range files {
		linesByPath[f.path] = f.lines
	}
	for _, e := range errs {
		e.Snippet = snippet(linesByPath[e.Pos.File], e.Pos.Line, e.Pos.Col)
	}
	errs.sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	set.Warnings = l.lint()
	for _, w := range set.Warnings {
		w.Snippet = snippet(linesByPath[w.Pos.File], w.Pos.Line, w.Pos.Col)
	}
	return set, nil
}

// layered is a rule while files are layered: its merged definition.
type layered struct {
	def        ruleDef
	overridden []Pos
	params     map[string]paramDef
}

type layering struct {
	// declared is where each file-level param and list was first
	// declared ("params.x", "lists.y"), for lint.
	declared map[string]Pos
	// paramFrom is where each file-level param was last set.
	paramFrom map[string]Pos
	warnings  ErrorList
	set       *Set
	byID      map[string]*layered
	order     []*layered
	refused   []*ruleDef
	errs      *ErrorList
	opts      loadOptions
}

func (l *layering) add(f *ruleFile) {
	for _, ld := range f.lists {
		if _, ok := l.declared["lists."+ld.name]; !ok {
			l.declared["lists."+ld.name] = ld.pos
		}
		have := map[string]bool{}
		for _, item := range l.set.Lists[ld.name] {
			have[item] = true
		}
		for _, item := range ld.items {
			if have[item] {
				continue
			}
			if len(have) == maxListItems {
				l.errs.add(ld.pos, "", CodeBadValue, "list %q would have over %d items with this file's: the limit of a list", ld.name, maxListItems)
				break
			}
			l.set.Lists[ld.name] = append(l.set.Lists[ld.name], item)
			have[item] = true
		}
		if _, ok := l.set.Lists[ld.name]; !ok {
			l.set.Lists[ld.name] = []string{}
		}
	}
	for _, p := range f.params {
		if _, ok := l.declared["params."+p.name]; !ok {
			l.declared["params."+p.name] = p.pos
		}
		l.paramFrom[p.name] = p.pos
		old, ok := l.set.Params[p.name]
		if ok && !sameKind(old, p.value) {
			l.errs.add(p.pos, "", CodeBadValue, "param %q was %s, cannot become %s", p.name, kindOf(old), kindOf(p.value))
			continue
		}
		l.set.Params[p.name] = merged(old, asKindOf(old, p.value))
	}
	for _, rd := range f.rules {
		if rd.id == "" {
			l.refused = append(l.refused, rd)
			continue
		}
		existing := l.byID[rd.id]
		switch {
		case existing != nil && !rd.override:
			l.errs.add(rd.pos, rd.id, CodeDuplicateID, "already defined at %s; to change it, repeat its id with override: true", existing.def.pos)
			l.refused = append(l.refused, rd)
		case existing != nil:
			l.override(existing, rd)
		case rd.override:
			l.errs.add(rd.pos, rd.id, CodeUnknownRule, "override of rule %q, which no earlier file defines%s", rd.id, suggest(rd.id, keysOf(l.byID)))
			l.refused = append(l.refused, rd)
		default:
			l.define(rd)
		}
	}
	l.set.Owners = append(l.set.Owners, f.owners...)
}

func (l *layering) define(rd *ruleDef) {
	lr := &layered{def: *rd, params: map[string]paramDef{}}
	withDefaults(&lr.def)
	for key, value := range map[string]string{"title": rd.title, "when": rd.when.s} {
		if pos, ok := rd.set[key]; !ok {
			l.errs.add(rd.pos, rd.id, CodeMissing, "a rule needs a %s", key)
		} else if strings.TrimSpace(value) == "" && !rd.malformed[key] {
			l.errs.add(pos, rd.id, CodeMissing, "a rule needs a %s, and this one is empty", key)
		}
	}
	for _, p := range rd.params {
		lr.params[p.name] = p
	}
	l.byID[rd.id] = lr
	l.order = append(l.order, lr)
}

// withDefaults fills in what a rule may leave out.
func withDefaults(d *ruleDef) {
	if d.scope == "" {
		d.scope = ScopeProcess
	}
	if d.lang == "" {
		d.lang = LangCEL
	}
	if d.severity == "" {
		d.severity = string(severity.Warning)
	}
}

// override applies the keys an override sets to the merged rule.
func (l *layering) override(lr *layered, rd *ruleDef) {
	d := &lr.def
	lr.overridden = append(lr.overridden, rd.pos)
	if _, ok := rd.set["enabled"]; ok && !rd.enabled && d.enabled {
		l.warnings.add(rd.set["enabled"], rd.id, CodeDisabled, "disables rule %s defined at %s", rd.id, d.pos)
	}
	if pos, ok := rd.set["when"]; ok {
		l.warnings.add(pos, rd.id, CodeShadowed, "replaces the condition of rule %s defined at %s", rd.id, d.pos)
	}
	for key, pos := range rd.set {
		if key != "id" && key != "override" {
			d.set[key] = pos // problems with it now belong to the override
		}
		switch key {
		case "title":
			d.title = rd.title
			if strings.TrimSpace(rd.title) == "" && !rd.malformed[key] {
				l.errs.add(pos, rd.id, CodeMissing, "a rule needs a title, and this one is empty")
			}
		case "scope":
			d.scope = rd.scope
		case "lang":
			d.lang = rd.lang
		case "when":
			d.when = rd.when
			if strings.TrimSpace(rd.when.s) == "" && !rd.malformed[key] {
				l.errs.add(pos, rd.id, CodeMissing, "a rule needs a when, and this one is empty")
			}
		case "score":
			d.score = rd.score
		case "severity":
			d.severity = rd.severity
		case "message":
			d.message = rd.message
		case "component":
			d.component = rd.component
		case "remediation":
			d.remediation = rd.remediation
		case "references":
			d.references = rd.references
		case "tags":
			d.tags = rd.tags
		case "enabled":
			d.enabled = rd.enabled
		case "exceptions":
			d.exceptions = append(d.exceptions[:len(d.exceptions):len(d.exceptions)], rd.exceptions...)
		}
	}
	for _, p := range rd.params {
		old, ok := lr.params[p.name]
		if !ok {
			if g, global := l.set.Params[p.name]; global {
				old, ok = paramDef{value: g}, true
			}
		}
		if ok && !sameKind(old.value, p.value) {
			l.errs.add(p.pos, rd.id, CodeBadValue, "param %q was %s, cannot become %s", p.name, kindOf(old.value), kindOf(p.value))
			continue
		}
		if ok {
			p.value = merged(old.value, asKindOf(old.value, p.value))
		}
		lr.params[p.name] = p
	}
}

// compile checks the merged rule's values and compiles its expressions.
func (l *layering) compile(lr *layered) *Rule {
	d := &lr.def
	r := &Rule{
		ID: d.id, Title: d.title, Scope: d.scope, Lang: d.lang, Severity: severity.Level(d.severity),
		When: d.when.s, Score: d.score.s, Message: d.message.s, Component: d.component.s, Remediation: d.remediation,
		References: d.references, Tags: d.tags, Enabled: d.enabled,
		Defined: d.pos, Overridden: lr.overridden,
	}
	ok := true
	check := func(key, value string, allowed ...string) {
		for _, a := range allowed {
			if value == a {
				return
			}
		}
		pos := d.pos
		if p, set := d.set[key]; set {
			pos = p
		}
		l.errs.add(pos, d.id, CodeBadValue, "%s %q is not one of %s%s", key, value, strings.Join(allowed, ", "), suggest(value, allowed))
		ok = false
	}
	check("scope", d.scope, ScopeProcess, ScopeSnapshot)
	check("lang", d.lang, LangCEL, LangExpr)
	check("severity", d.severity, severity.Names...)
	r.From = make(map[string]Pos, len(d.set)+len(lr.params))
	for key, pos := range d.set {
		if key != "id" && key != "override" && key != "params" {
			r.From[key] = pos
		}
	}
	r.params = paramSet{own: make(map[string]any, len(lr.params)), shared: l.set.Params}
	r.sharedFrom = l.paramFrom
	for name, p := range lr.params {
		r.params.own[name] = p.value
		r.From["params."+name] = p.pos
	}
	if !ok || strings.TrimSpace(d.when.s) == "" {
		return r
	}
	r.Exceptions = compileExceptions(d.id, d.scope, d.exceptions, l.errs)
	env := ruleEnv{ruleID: d.id, scope: d.scope, params: r.params, lists: l.set.Lists, checked: l.opts.checked, record: l.opts.record}
	compile := compileCEL
	if d.lang == LangExpr {
		compile = compileExpr
	}
	r.cond = compile(d.when, "bool", env, l.errs)
	r.explain = &explainerOnce{}
	if d.score.s != "" {
		r.score = compile(d.score, "number", env, l.errs)
	}
	var used refs
	r.msg, used = compileMessage(d.message, r, l.errs)
	if strings.TrimSpace(d.component.s) != "" {
		if d.scope == ScopeSnapshot {
			var more refs
			r.comp, more = compileComponent(d.component, r, l.errs)
			maps.Copy(used.names, more.names)
			used.all = used.all || more.all
		} else {
			l.errs.add(d.set["component"], d.id, CodeBadValue, "component: only a snapshot-scope rule names its component; a process's is inferred from its stacks, owner entries and image")
		}
	}
	r.msgParams = r.params.subset(used)
	return r
}

func sameKind(a, b any) bool {
	switch a.(type) {
	case int64, float64:
		switch b.(type) {
		case int64, float64:
			_, aInt := a.(int64)
			_, bInt := b.(int64)
			return aInt == bInt || !aInt // a whole number may not become a fraction
		}
		return false
	}
	return fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b)
}

// merged is the value a later file's param takes: a table adds to (and
// changes entries of) the earlier table, anything else replaces it.
func merged(old, v any) any {
	oldTable, ok1 := old.(map[string]int64)
	table, ok2 := v.(map[string]int64)
	if !ok1 || !ok2 {
		return v
	}
	out := make(map[string]int64, len(oldTable)+len(table))
	for k, n := range oldTable {
		out[k] = n
	}
	for k, n := range table {
		out[k] = n
	}
	return out
}

// asKindOf keeps a param's kind when a later file sets it: a whole number
// replacing a fraction is stored as a fraction, so conditions that do
// arithmetic with it still type-check.
func asKindOf(old, v any) any {
	if _, ok := old.(float64); ok {
		if n, ok := v.(int64); ok {
			return float64(n)
		}
	}
	return v
}

func kindOf(v any) string {
	switch v.(type) {
	case int64:
		return "a whole number"
	case float64:
		return "a fraction"
	case bool:
		return "true/false"
	case []string:
		return "a list"
	case map[string]int64:
		return "a table"
	}
	return "a string"
}

// sampleSnapshot and sampleProcess are zero facts of every kind, to check
// messages against; the process's maps are made when a message is first
// checked, not at every start.
var (
	sampleSnapshot = facts.SnapshotFacts{}
	sampleProcess  = sync.OnceValue(func() *facts.ProcessFacts {
		return &facts.ProcessFacts{TopNames: []facts.NameFacts{{}}, ByType: map[string]int64{}, UnnamedByType: map[string]int64{}}
	})
)
