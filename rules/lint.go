package rules

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// KnownGoodModules is the list the engine reads (stack attribution skips
// these modules), so lint never calls it unused.
const KnownGoodModules = "known_good_modules"

// costlyEstimate is the estimated CEL cost over which lint warns: a tenth
// of what a condition may cost at all.
const costlyEstimate = celEstimateLimit / 10

// lint finds what loads but is likely a mistake. It runs on a set that
// loaded without errors.
func (l *layering) lint() ErrorList {
	w := l.warnings
	// The text of every condition, score and message, to find references.
	var texts []string
	for _, lr := range l.order {
		d := &lr.def
		texts = append(texts, d.when.s, d.score.s, d.message.s)
		uses := d.when.s + "\n" + d.score.s + "\n" + d.message.s
		for _, name := range slices.Sorted(maps.Keys(lr.params)) {
			if _, global := l.set.Params[name]; global {
				continue // a rule's value for a file-level param
			}
			if !refers(uses, "params", name) {
				w.add(lr.params[name].pos, d.id, CodeUnusedParam, "param %q is not used by rule %s's condition, score or message", name, d.id)
			}
		}
	}
	all := strings.Join(texts, "\n")
	for _, key := range slices.Sorted(maps.Keys(l.declared)) {
		kind, name, _ := strings.Cut(key, ".")
		if refers(all, kind, name) || (kind == "lists" && name == KnownGoodModules) {
			continue
		}
		code := CodeUnusedParam
		if kind == "lists" {
			code = CodeUnusedList
		}
		w.add(l.declared[key], "", code, "%s %q is not used by any rule", strings.TrimSuffix(kind, "s"), name)
	}
	for _, o := range l.set.Owners {
		if o.Image != nil && strings.ContainsAny(o.Image.Text, `\/`) {
			w.add(o.Pos, "", CodeNeverMatches, "image pattern %q has a path separator, but images are file names (svchost.exe): it can never match", o.Image.Text)
		}
		if o.Module != nil && strings.ContainsAny(o.Module.Text, `\/`) {
			w.add(o.Pos, "", CodeNeverMatches, "module pattern %q has a path separator, but stack frames name modules without a path (contosohook!Func): it can never match", o.Module.Text)
		}
	}
	for _, r := range l.set.Rules {
		if cp, ok := r.cond.(*celProgram); ok && cp.estimate > costlyEstimate {
			w.add(r.Defined, r.ID, CodeCostly, "the condition's estimated cost is up to %d (the limit is %d): on a capture of many processes it is slow; avoid loops over lists inside loops", cp.estimate, celEstimateLimit)
		}
	}
	w.sort()
	return w
}

// refers reports whether text uses kind.name (params.x, lists.y, or
// params["x"]), as an expression or a template ({{.params.x}}).
func refers(text, kind, name string) bool {
	q := regexp.QuoteMeta(name)
	re := regexp.MustCompile(`\b` + kind + `(\.` + q + `\b|\[\s*["']` + q + `["']\s*\])`)
	return re.MatchString(text)
}
