package rules

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/ext"
	"github.com/google/cel-go/interpreter"

	"github.com/leakdiag/leakdiag/facts"
)

// Limits on what one condition may cost. CEL's cost units are about one
// per field access or comparison; a condition over a process's ten top
// names costs a few hundred.
const (
	celCostLimit     = 100_000 // at run time, per evaluation
	celEstimateLimit = 100_000 // the static estimate a rule may not exceed
)

var (
	celBaseOnce sync.Once
	celBase     *cel.Env
	celBaseErr  error
)

// celBaseEnv is the environment every CEL rule extends: the fact types
// under their snake_case names, and the functions both dialects share.
func celBaseEnv() (*cel.Env, error) {
	celBaseOnce.Do(func() {
		native, err := cel.NewEnv(
			ext.NativeTypes(
				reflect.TypeOf(facts.ProcessFacts{}),
				reflect.TypeOf(facts.SnapshotFacts{}),
				reflect.TypeOf(facts.NameFacts{}),
				ext.ParseStructTag("expr"),
			),
			ext.Strings(),
			cel.CrossTypeNumericComparisons(true),
			cel.EnableMacroCallTracking(), // so a condition can be printed back (analyze --explain)
			cel.Variable("snapshot", cel.ObjectType("facts.SnapshotFacts")),
			cel.Function("lower",
				cel.Overload("lower_string", []*cel.Type{cel.StringType}, cel.StringType,
					cel.UnaryBinding(func(v ref.Val) ref.Val {
						return types.String(strings.ToLower(string(v.(types.String))))
					}))),
		)
		if err != nil {
			celBase, celBaseErr = nil, err
			return
		}
		celBase, celBaseErr = native.Extend(cel.CustomTypeProvider(newCELFields(native.CELTypeProvider())))
	})
	return celBase, celBaseErr
}

// celType is the CEL type of a param or list value.
func celType(v any) *cel.Type {
	switch v.(type) {
	case int64:
		return cel.IntType
	case float64:
		return cel.DoubleType
	case bool:
		return cel.BoolType
	case []string:
		return cel.ListType(cel.StringType)
	case map[string]int64:
		return cel.MapType(cel.StringType, cel.IntType)
	}
	return cel.StringType
}

// celProgram is a compiled CEL condition or score.
type celProgram struct {
	prg cel.Program
	// fast is the program without the run-time cost limit, for facts
	// within the limits the estimate priced (WithinLimits); nil when the
	// estimate at those limits is over the cost limit, so every
	// evaluation counts its cost.
	fast cel.Program
	// vars are the params.* and lists.* the program reads, as CEL values
	// made once when it is compiled: a Go list given to CEL is wrapped
	// anew at every evaluation.
	vars map[string]any
	env  *cel.Env
	ast  *cel.Ast
	// estimate is the static cost estimate's upper bound, for lint.
	estimate uint64
}

func (p *celProgram) eval(snap *facts.SnapshotFacts, proc *facts.ProcessFacts) (any, error) {
	prg := p.prg
	if p.fast != nil && snap.WithinLimits() && (proc == nil || proc.WithinLimits()) {
		prg = p.fast
	}
	a := celActivations.Get().(*celActivation)
	*a = celActivation{snap: snap, proc: proc, vars: p.vars}
	out, _, err := prg.Eval(a)
	*a = celActivation{}
	celActivations.Put(a)
	if err != nil {
		return nil, err
	}
	return out.Value(), nil
}

// celActivations holds activations for reuse: one per evaluation was a
// tenth of the allocations of the default rules.
var celActivations = sync.Pool{New: func() any { return new(celActivation) }}

// celActivation resolves a rule's variables without building a map per
// evaluation.
type celActivation struct {
	snap *facts.SnapshotFacts
	proc *facts.ProcessFacts
	vars map[string]any
}

func (a *celActivation) ResolveName(name string) (any, bool) {
	switch name {
	case "process":
		return a.proc, a.proc != nil
	case "snapshot":
		return a.snap, true
	}
	v, ok := a.vars[name]
	return v, ok
}

func (a *celActivation) Parent() interpreter.Activation { return nil }

// compileCEL compiles src for a rule; want is "bool" for a condition or
// "number" for a score. Problems go to errs, at their place in the file.
func compileCEL(src text, want string, env ruleEnv, errs *ErrorList) evaluator {
	base, err := celBaseEnv()
	if err != nil {
		errs.add(src.pos, env.ruleID, CodeType, "CEL environment: %v", err)
		return nil
	}
	e, ast, vars, declared, cached := checkCEL(base, src, env, errs)
	if ast == nil {
		return nil
	}
	if cached {
		// Any problem with an expression checked before is one with the
		// CheckedCEL (made by another cel-go, say): compiled anew, the
		// expression gets its own problems, if it has any.
		var probe ErrorList
		if cp := compileChecked(src, want, env, e, ast, vars, declared, &probe); len(probe) == 0 {
			return cp
		}
		env.checked = nil
		return compileCEL(src, want, env, errs)
	}
	return compileChecked(src, want, env, e, ast, vars, declared, errs)
}

// compileChecked is compileCEL past the type-check.
func compileChecked(src text, want string, env ruleEnv, e *cel.Env, ast *cel.Ast, vars, declared map[string]any, errs *ErrorList) evaluator {
	switch out := ast.OutputType(); {
	case want == "bool" && !out.IsExactType(cel.BoolType) && !out.IsExactType(cel.DynType):
		errs.add(src.at(1, 1), env.ruleID, CodeNotBool, "the condition yields %s, not a bool", out)
		return nil
	case want == "number" && !out.IsExactType(cel.IntType) && !out.IsExactType(cel.DoubleType) &&
		!out.IsExactType(cel.UintType) && !out.IsExactType(cel.DynType):
		errs.add(src.at(1, 1), env.ruleID, CodeNotNumber, "the score yields %s, not a number", out)
		return nil
	}
	est, estErr := e.EstimateCost(ast, celSizes{lists: env.lists, params: declared})
	if estErr == nil && est.Max > celEstimateLimit {
		errs.add(src.at(1, 1), env.ruleID, CodeCost, "estimated cost up to %d, over the limit of %d: avoid nested loops over lists", est.Max, celEstimateLimit)
		return nil
	}
	prg, err := e.Program(ast, append(celProgramOptions(), cel.EvalOptions(cel.OptOptimize))...)
	if err != nil {
		errs.add(src.at(1, 1), env.ruleID, CodeType, "%v", err)
		return nil
	}
	cp := &celProgram{prg: prg, vars: vars, env: e, ast: ast}
	// The run-time cost limit tracks the cost of every step, which takes
	// about as long as the step. Where the estimate with the facts at the
	// sizes a snapshot's are cut to (facts.StringLimit, facts.MapLimit,
	// facts.TopNamesLimit) is within the limit, no evaluation over such
	// facts can exceed it, and those run without the tracking; a loop
	// over by_type, whose cap is far above the 256 types the first
	// estimate assumes, keeps it, as do facts not known to be within the
	// limits.
	if capped, err := e.EstimateCost(ast, celSizes{lists: env.lists, params: declared, capped: true}); estErr == nil && err == nil && capped.Max <= celCostLimit {
		if cp.fast, err = e.Program(ast, cel.EvalOptions(cel.OptOptimize)); err != nil {
			cp.fast = nil
		}
	}
	if estErr == nil {
		cp.estimate = est.Max
	}
	return cp
}

// checkCEL parses and type-checks src in an environment that declares
// the params and lists it names, or takes it from env.checked where that
// holds it checked in the same environment; env.record gets what was
// checked here. vars are the CEL values of those params and lists,
// declared the params. A nil ast means problems, in errs.
func checkCEL(base *cel.Env, src text, env ruleEnv, errs *ErrorList) (e *cel.Env, ast *cel.Ast, vars, declared map[string]any, cached bool) {
	sig := func(used refs) string {
		return celEnvSig(env.scope, env.params.subset(used), onlyLists(used, env.lists))
	}
	if a, used, ok := env.checked.find(src.s, sig); ok {
		opts, vars, declared := celDecls(used, env)
		if e, err := base.Extend(opts...); err == nil {
			return e, a, vars, declared, true
		}
	}
	parsed, iss := base.Parse(src.s)
	ast = parsed
	var used refs
	if iss.Err() == nil {
		// Declare what the condition names, not every param and list.
		used = celRefs(parsed.NativeRep().Expr())
		var opts []cel.EnvOption
		opts, vars, declared = celDecls(used, env)
		var err error
		if e, err = base.Extend(opts...); err != nil {
			errs.add(src.pos, env.ruleID, CodeType, "CEL environment: %v", err)
			return nil, nil, nil, nil, false
		}
		ast, iss = e.Check(parsed)
	}
	if iss.Err() != nil {
		for _, ce := range iss.Errors() {
			// CEL's columns count characters from 0.
			line, col := ce.Location.Line(), ce.Location.Column()+1
			l := []rune(lineOf(src.s, line))
			if col-1 < len(l) && l[col-1] == '.' && strings.Contains(ce.Message, "undefined field") {
				col++ // CEL points at the dot; the caret belongs under the field
			}
			code, msg, skip := celProblem(string(l), col-1, ce.Message, env)
			errs.add(src.at(line, col+skip), env.ruleID, code, "%s", msg)
		}
		return nil, nil, nil, nil, false
	}
	if env.record != nil {
		env.record.add(src.s, sig(used), used, ast)
	}
	return e, ast, vars, declared, false
}

// celDecls are the declarations of the params and lists used names, and
// their values as CEL values; declared are the params.
func celDecls(used refs, env ruleEnv) (opts []cel.EnvOption, vars, declared map[string]any) {
	vars = map[string]any{} // params.* and lists.*
	if env.scope == ScopeProcess {
		opts = append(opts, cel.Variable("process", cel.ObjectType("facts.ProcessFacts")))
	}
	declared = env.params.subset(used)
	for name, v := range declared {
		opts = append(opts, cel.Variable("params."+name, celType(v)))
		switch x := v.(type) {
		case []string:
			vars["params."+name] = newCELStringList(x)
		case map[string]int64:
			vars["params."+name] = newCELIntMap(x)
		default:
			vars["params."+name] = types.DefaultTypeAdapter.NativeToValue(v)
		}
	}
	for name, items := range onlyLists(used, env.lists) {
		opts = append(opts, cel.Variable("lists."+name, cel.ListType(cel.StringType)))
		vars["lists."+name] = newCELStringList(items)
	}
	return opts, vars, declared
}

// celProgramOptions are what every CEL program runs with: the cost limit,
// and the run-time cost of lower(), which CEL would count as 1 whatever
// the length of the string (as its estimate does, EstimateCallCost).
func celProgramOptions() []cel.ProgramOption {
	return []cel.ProgramOption{
		cel.CostLimit(celCostLimit),
		cel.CostTrackerOptions(interpreter.OverloadCostTracker("lower_string", func(args []ref.Val, _ ref.Val) *uint64 {
			n := uint64(1)
			if len(args) == 1 {
				if s, ok := args[0].(types.String); ok {
					n += uint64(len(s)) / 10
				}
			}
			return &n
		})),
	}
}

var (
	celUndefinedField = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`undefined field '([^']+)'`) })
	celUndeclared     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`undeclared reference to '([^']+)'`) })
)

// celProblem turns a CEL compile error at character col (from 0) of line
// into a code and a message that says what was meant where it can guess,
// and how many characters further right the caret belongs.
func celProblem(line string, col int, msg string, env ruleEnv) (code, text string, skip int) {
	msg = strings.ReplaceAll(msg, " (in container '')", "")
	if m := celUndefinedField().FindStringSubmatch(msg); m != nil {
		return CodeType, fmt.Sprintf("%s%s", msg, suggest(m[1], allFactFields())), 0
	}
	if m := celUndeclared().FindStringSubmatch(msg); m != nil {
		ident := identAt(line, col)
		switch {
		case strings.HasPrefix(ident, "params."):
			name := strings.SplitN(strings.TrimPrefix(ident, "params."), ".", 2)[0]
			return CodeUnknownParam, fmt.Sprintf("unknown param %q%s", name, suggest(name, env.params.names())), len("params.")
		case strings.HasPrefix(ident, "lists."):
			name := strings.SplitN(strings.TrimPrefix(ident, "lists."), ".", 2)[0]
			return CodeUnknownList, fmt.Sprintf("unknown list %q%s", name, suggest(name, keysOf(env.lists))), len("lists.")
		case m[1] == "process" && env.scope == ScopeSnapshot:
			return CodeType, "a snapshot-scope rule has no process: use scope: process", 0
		}
		return CodeType, msg + suggest(m[1], []string{"process", "snapshot", "params", "lists"}), 0
	}
	if strings.Contains(msg, "Syntax error") || strings.Contains(msg, "mismatched input") || strings.Contains(msg, "extraneous input") {
		return CodeSyntax, msg, 0
	}
	return CodeType, msg, 0
}

// lineOf returns line n (from 1) of src.
func lineOf(src string, n int) string {
	lines := strings.Split(src, "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

func keysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// celSizes tells CEL's cost estimator how large the facts' lists and maps
// can be, so that a loop over a process's top names is not priced as a loop
// over an unbounded list.
type celSizes struct {
	lists  map[string][]string
	params map[string]any
	// capped prices the facts at the largest sizes a snapshot can give
	// them, not at their usual sizes.
	capped bool
}

func (s celSizes) EstimateSize(n checker.AstNode) *checker.SizeEstimate {
	path := n.Path()
	if len(path) == 0 {
		return nil
	}
	var size uint64
	// The path of an element of a list or map ends in @items, @keys or
	// @values: its size is the longest string there, known at load.
	last := path[len(path)-1]
	elem := len(path) > 1 && strings.HasPrefix(last, "@")
	switch {
	case strings.HasPrefix(path[0], "lists."):
		items := s.lists[strings.TrimPrefix(path[0], "lists.")]
		size = uint64(len(items))
		if elem {
			size = longest(items)
		}
	case strings.HasPrefix(path[0], "params."):
		switch v := s.params[strings.TrimPrefix(path[0], "params.")].(type) {
		case []string:
			size = uint64(len(v))
			if elem {
				size = longest(v)
			}
		case map[string]int64:
			size = uint64(len(v))
			if elem {
				size = longest(keysOf(v))
			}
		case string:
			size = uint64(len(v))
		default:
			size = 1024
		}
	case last == "top_names" || last == "zombie_images":
		size = facts.TopNamesLimit
	case s.capped && (last == "by_type" || last == "unnamed_by_type" || last == "socket_states" || last == "type_growth"):
		size = facts.MapLimit
	case last == "by_type" || last == "unnamed_by_type":
		size = 256 // object types; Windows has about 70
	case s.capped && (path[0] == "process" || path[0] == "snapshot"):
		size = facts.StringLimit // a fact's string
	case s.capped:
		size = maxStringBytes // a list item or param of a rule file, or what is made of them
	default:
		size = 1024 // strings: names are at most a few hundred characters
	}
	return &checker.SizeEstimate{Min: 0, Max: size}
}

// longest returns the length of the longest string of l.
func longest(l []string) uint64 {
	var n int
	for _, s := range l {
		n = max(n, len(s))
	}
	return uint64(n)
}

// EstimateCallCost prices lower(), which CEL does not know: linear in its
// argument, and as long as it.
func (s celSizes) EstimateCallCost(function, overloadID string, target *checker.AstNode, args []checker.AstNode) *checker.CallEstimate {
	if function != "lower" || len(args) != 1 {
		return nil
	}
	size := s.EstimateSize(args[0])
	if c := args[0].ComputedSize(); c != nil {
		size = c
	}
	if size == nil {
		size = &checker.SizeEstimate{Min: 0, Max: 1024}
	}
	return &checker.CallEstimate{
		CostEstimate: checker.CostEstimate{Min: 1, Max: 1 + size.Max/10},
		ResultSize:   size,
	}
}
