package rules

import (
	"maps"
	"slices"
	"strings"
)

// KnownGoodModules is the list the engine reads (stack attribution skips
// these modules), so lint never calls it unused.
const KnownGoodModules = "known_good_modules"

// lint finds what loads but is likely a mistake. It runs on a set that
// loaded without errors.
func (l *layering) lint() ErrorList {
	w := l.warnings
	// What every condition, score and message refers to, found once.
	all := map[string]bool{}
	for _, lr := range l.order {
		d := &lr.def
		uses := textRefs(d.when.s + "\n" + d.score.s + "\n" + d.message.s + "\n" + d.component.s)
		maps.Copy(all, uses)
		for _, name := range slices.Sorted(maps.Keys(lr.params)) {
			if _, global := l.set.Params[name]; global {
				continue // a rule's value for a file-level param
			}
			if !uses["params."+name] {
				w.add(lr.params[name].pos, d.id, CodeUnusedParam, "param %q is not used by rule %s's condition, score, message or component", name, d.id)
			}
		}
	}
	for _, key := range slices.Sorted(maps.Keys(l.declared)) {
		kind, name, _ := strings.Cut(key, ".")
		if all[key] || (kind == "lists" && name == KnownGoodModules) {
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
		estimate, limit := 0, 0
		switch p := r.cond.(type) {
		case *celProgram:
			estimate, limit = int(min(p.estimate, costCap)), celEstimateLimit
		case *exprProgram:
			estimate, limit = p.estimate, exprCostLimit
		}
		if limit > 0 && estimate > limit/10 {
			w.add(r.Defined, r.ID, CodeCostly, "the condition's estimated cost is up to %d (the limit is %d): on a capture of many processes it is slow; avoid loops over lists inside loops", estimate, limit)
		}
		if r.msgCost > messageCostLimit/10 {
			w.add(r.Defined, r.ID, CodeCostly, "the message's estimated cost is up to %d steps (the limit is %d): avoid ranges inside ranges", r.msgCost, messageCostLimit)
		}
	}
	w.sort()
	return w
}
