package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// blame is where a process's open handles were created: the first frame
// of their stacks outside the known-good modules, with its callers.
type blame struct {
	frame   string   // "module!function+0xoff"
	module  string   // lowercase, without extension
	callers []string // the next frames down the stack
	count   int64    // open handles created there
	total   int64    // open handles with stacks
	typ     string   // the type they are, when all stacks agree
	since   bool     // some were opened since the -diff snapshot
	stops   bool     // the stacks are of the handles verifier stops name
	// breakIn says some of the stops' stacks are those of their
	// break-ins (a k after the stop), not of the handles' opening.
	breakIn bool
}

// stackBlame walks every open stack of p from the top past known-good
// and unresolved frames to the first that is neither, as WinDbg's triage and DebugDiag do,
// and returns the frame that opened the most handles; ok is false when
// p has no stacks or every frame is known good. With breakIn, the stacks
// walked are those of the verifier stops' break-ins (blameStacks).
func stackBlame(p *facts.Process, knownGood []*rules.Pattern, breakIn bool) (blame, bool) {
	byFrame := map[string]*blame{}
	var total int64
	stacks, stops := blameStacks(p, breakIn)
	for _, s := range stacks {
		total += s.Count
		i := 0
		for i < len(s.Frames) && (isKnownGood(s.Frames[i], knownGood) || unresolved(s.Frames[i])) {
			i++
		}
		if i == len(s.Frames) {
			continue
		}
		b := byFrame[s.Frames[i]]
		if b == nil {
			b = &blame{frame: s.Frames[i], module: moduleOf(s.Frames[i]), typ: s.Type}
			b.callers = append([]string(nil), s.Frames[i+1:min(i+3, len(s.Frames))]...)
			byFrame[s.Frames[i]] = b
		}
		b.count += s.Count
		b.since = b.since || s.SinceSnapshot
		if b.typ != s.Type {
			b.typ = ""
		}
	}
	if len(byFrame) == 0 {
		return blame{}, false
	}
	frames := make([]*blame, 0, len(byFrame))
	for _, b := range byFrame {
		frames = append(frames, b)
	}
	sort.Slice(frames, func(i, j int) bool {
		if frames[i].count != frames[j].count {
			return frames[i].count > frames[j].count
		}
		return frames[i].frame < frames[j].frame
	})
	best := *frames[0]
	best.total, best.stops, best.breakIn = total, stops, breakIn
	return best, true
}

// blameStacks returns the stacks that name a process's component: the
// open stacks `!htrace` shows, else those of the handles Application
// Verifier stopped on (a dps of a stop's stack trace), a handle each;
// stops is true for the latter. With breakIn, it returns instead the
// stacks of the stops' break-ins (a k pasted after a stop) where no stack
// of either kind is given: the code that hit the verifier's check, which
// names a component after the stop's owner DLL (attribute).
func blameStacks(p *facts.Process, breakIn bool) (stacks []facts.Stack, stops bool) {
	if len(p.OpenStacks) > 0 {
		if breakIn {
			return nil, false
		}
		return p.OpenStacks, false
	}
	for _, v := range p.VerifierStops {
		frames := v.Frames
		if breakIn {
			if len(frames) > 0 {
				return nil, false
			}
			frames = v.BreakFrames
		}
		if len(frames) > 0 {
			stacks = append(stacks, facts.Stack{Frames: frames, Count: 1, Type: v.Type})
		}
	}
	return stacks, len(stacks) > 0
}

// moduleOf returns the module of a frame, lowercase, without extension:
// "module!function+0x1c", or "module+0x1a42" where there were no symbols
// (a minidump's traces).
func moduleOf(frame string) string {
	m := frame
	if i := strings.IndexByte(m, '!'); i >= 0 {
		m = m[:i]
	} else if i := strings.IndexByte(m, '+'); i >= 0 {
		m = m[:i]
	}
	return rules.ModuleBase(m)
}

// unresolved reports whether a frame names no module: an address the
// debugger had no module for ("0x5e1c8322", "+0x5e1c8322"), which blames
// nobody.
func unresolved(frame string) bool {
	m := moduleOf(frame)
	return m == "" || strings.HasPrefix(m, "0x")
}

// unresolvedNote is what a finding says when a process has stacks but
// none has a resolved frame outside the known-good modules.
const unresolvedNote = "the !htrace stacks have no resolved frame outside Windows, the runtimes and the verifier, so they name no component: " +
	"capture them again with the application's symbols (.sympath+ PATH; .reload /f; !htrace) to see the frame that opened the handles"

func isKnownGood(frame string, knownGood []*rules.Pattern) bool {
	m := moduleOf(frame)
	for _, p := range knownGood {
		if p.Match(m) {
			return true
		}
	}
	return false
}

// moduleOwner returns the most specific owner whose module pattern
// matches the blamed frame: "module!function" patterns against the frame's
// function, module patterns against its module.
func moduleOwner(owners []*rules.Owner, image string, b blame) *rules.Owner {
	var best *rules.Owner
	bestSpec := -1
	fn := b.frame
	if i := strings.IndexByte(fn, '+'); i >= 0 {
		fn = fn[:i]
	}
	_, function, symbols := strings.Cut(fn, "!")
	for _, o := range owners {
		if o.Module == nil || o.ObjectName != nil {
			continue
		}
		if o.Image != nil && !o.Image.Match(image) {
			continue
		}
		if o.MatchFrame(b.module, function, symbols) {
			if s := specificity(o); s > bestSpec {
				best, bestSpec = o, s
			}
		}
	}
	return best
}

// stackComponent names the component from the stacks (with breakIn,
// from the verifier stops' break-ins), or ok false.
func stackComponent(owners []*rules.Owner, knownGood []*rules.Pattern, p *facts.Process, breakIn bool) (Component, bool) {
	b, ok := stackBlame(p, knownGood, breakIn)
	if !ok {
		return Component{}, false
	}
	what := "open"
	if b.typ != "" {
		what = "open " + b.typ
	}
	reason := fmt.Sprintf("%s of %s %s handles with stacks were created at %s (the first frame outside the known-good modules)",
		facts.FormatCount(b.count), facts.FormatCount(b.total), what, b.frame)
	switch {
	case b.stops && b.breakIn:
		reason = fmt.Sprintf("%s of %s Application Verifier stops broke in under %s (the first frame outside the known-good modules of the stack of the stop's break-in, a k pasted after it or its analysis's STACK_TEXT; the capture gives no stack of the handles' opening)",
			facts.FormatCount(b.count), facts.FormatCount(b.total), b.frame)
	case b.stops:
		reason = fmt.Sprintf("%s of %s leaked handles Application Verifier stopped on were created at %s (the first frame outside the known-good modules of the stack the stop gives)",
			facts.FormatCount(b.count), facts.FormatCount(b.total), b.frame)
	}
	if len(b.callers) > 0 {
		reason += ", called from " + strings.Join(b.callers, " <- ")
	}
	if b.since {
		reason += "; !htrace -diff lists them as opened since its snapshot and still open"
	}
	if o := moduleOwner(owners, p.Image, b); o != nil {
		return Component{Name: o.Component, Vendor: o.Vendor, Contact: o.Contact, InferredFrom: InferredStackOwner, Frame: b.frame, Callers: b.callers,
			Reason: reason + fmt.Sprintf("; the owner entry at %s (module %s) assigns it", o.Pos, o.Module.Text)}, true
	}
	name := b.module
	if i := strings.IndexByte(b.frame, '!'); i > 0 {
		name = b.frame[:i]
	}
	return Component{Name: name, InferredFrom: InferredStack, Frame: b.frame, Callers: b.callers, Reason: reason}, true
}

// verifierOwnerComponent names the component from the DLL an Application
// Verifier stop holds responsible for a leaked handle (its "owner dll
// name", shown by du), or ok false: a stop without one, or one in the
// known-good modules.
func verifierOwnerComponent(owners []*rules.Owner, knownGood []*rules.Pattern, p *facts.Process) (Component, bool) {
	for _, v := range p.VerifierStops {
		if v.Owner == "" || isKnownGood(v.Owner, knownGood) || unresolved(v.Owner) {
			continue
		}
		reason := fmt.Sprintf("Application Verifier's stop %s names %s as the owner of leaked handle 0x%x (the DLL that held it open as it was unloaded)", v.Code, v.Owner, v.Handle)
		if o := moduleOwner(owners, p.Image, blame{frame: v.Owner, module: moduleOf(v.Owner)}); o != nil {
			return Component{Name: o.Component, Vendor: o.Vendor, Contact: o.Contact, InferredFrom: InferredVerifierOwner,
				Reason: reason + fmt.Sprintf("; the owner entry at %s (module %s) assigns it", o.Pos, o.Module.Text)}, true
		}
		return Component{Name: v.Owner, InferredFrom: InferredVerifier, Reason: reason}, true
	}
	return Component{}, false
}
