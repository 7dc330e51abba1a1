package rules

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/leakdiag/leakdiag/facts"
)

// exprMaxNodes bounds the size of an expr condition's tree; what it may
// cost when it runs is bounded by exprCostLimit.
const exprMaxNodes = 2000

// exprProgram is a compiled expr condition or score. Its environment is a
// struct built for the rule, so that expr type-checks params and lists as
// it does facts: {process, snapshot, params {...}, lists {...}}.
type exprProgram struct {
	prg     *vm.Program // metered (exprPatch)
	envType reflect.Type
	proto   reflect.Value // params and lists filled in
	process bool          // the environment has a process (field envProcess)
	src     string
	// estimate is the static cost estimate's upper bound, for lint.
	estimate int
	// envs holds environments (pointers to envType, params and lists
	// filled in, a meter attached) for reuse: one made per evaluation
	// was a third of expr rules' time over 10,000 processes.
	envs sync.Pool
}

// The fields of an expr rule's environment.
const (
	envSnapshot = iota
	envParams
	envLists
	envMeter
	envProcess
)

func (p *exprProgram) eval(snap *facts.SnapshotFacts, proc *facts.ProcessFacts) (any, error) {
	env, m := p.env()
	e := env.Elem()
	e.Field(envSnapshot).Set(reflect.ValueOf(snap))
	if p.process {
		e.Field(envProcess).Set(reflect.ValueOf(proc))
	}
	*m = exprMeter{limit: exprCostLimit}
	out, err := runExpr(p.prg, env)
	// Let the facts go before the environment waits in the pool.
	e.Field(envSnapshot).SetZero()
	if p.process {
		e.Field(envProcess).SetZero()
	}
	p.envs.Put(env.Interface())
	return out, err
}

// env returns an environment for one evaluation, from the pool or new,
// and its meter.
func (p *exprProgram) env() (reflect.Value, *exprMeter) {
	if x := p.envs.Get(); x != nil {
		v := reflect.ValueOf(x)
		return v, v.Elem().Field(envMeter).Interface().(*exprMeter)
	}
	env := reflect.New(p.envType)
	env.Elem().Set(p.proto)
	m := &exprMeter{}
	env.Elem().Field(envMeter).Set(reflect.ValueOf(m))
	return env, m
}

// exprCompile compiles src in env as a program that charges a meter as it
// runs. opts come first: the environment, the result's type, limits.
func exprCompile(src string, opts ...expr.Option) (*vm.Program, error) {
	return expr.Compile(src, append(opts, withExprMeter, expr.Patch(exprPatch{}))...)
}

// exprEnv builds the environment type and value of a rule: snapshot,
// params, lists, and for a process-scope rule, process.
func exprEnv(scope string, params map[string]any, lists map[string][]string) (reflect.Type, reflect.Value) {
	paramType, paramVal := valueStruct(params, "P")
	listValues := make(map[string]any, len(lists))
	for k, v := range lists {
		listValues[k] = v
	}
	listType, listVal := valueStruct(listValues, "L")
	fields := []reflect.StructField{
		{Name: "Snapshot", Type: reflect.TypeOf(&facts.SnapshotFacts{}), Tag: `expr:"snapshot"`},
		{Name: "Params", Type: paramType, Tag: `expr:"params"`},
		{Name: "Lists", Type: listType, Tag: `expr:"lists"`},
		{Name: "Meter", Type: reflect.TypeOf(&exprMeter{}), Tag: `expr:"` + exprMeterVar + `"`},
	}
	if scope == ScopeProcess {
		fields = append(fields, reflect.StructField{Name: "Process", Type: reflect.TypeOf(&facts.ProcessFacts{}), Tag: `expr:"process"`})
	}
	t := reflect.StructOf(fields)
	v := reflect.New(t).Elem()
	v.Field(envParams).Set(paramVal)
	v.Field(envLists).Set(listVal)
	return t, v
}

// valueStruct makes a struct type with one field per value, tagged with
// its name, and a value of it.
func valueStruct(values map[string]any, prefix string) (reflect.Type, reflect.Value) {
	names := keysOf(values)
	sort.Strings(names)
	fields := make([]reflect.StructField, len(names))
	for i, n := range names {
		fields[i] = reflect.StructField{
			Name: fmt.Sprintf("%s%d", prefix, i),
			Type: reflect.TypeOf(values[n]),
			Tag:  reflect.StructTag(fmt.Sprintf(`expr:%q`, n)),
		}
	}
	t := reflect.StructOf(fields)
	v := reflect.New(t).Elem()
	for i, n := range names {
		v.Field(i).Set(reflect.ValueOf(values[n]))
	}
	return t, v
}

var exprNoField = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`type (.*) has no field (\w+)`) })

// compileExpr compiles src for a rule; want is "bool" or "number".
func compileExpr(src text, want string, env ruleEnv, errs *ErrorList) evaluator {
	// Declare what the condition names, not every param and list.
	used := exprRefs(src.s)
	envType, proto := exprEnv(env.scope, env.params.subset(used), onlyLists(used, env.lists))
	opts := []expr.Option{expr.Env(proto.Interface()), expr.MaxNodes(exprMaxNodes)}
	if want == "bool" {
		opts = append(opts, expr.AsBool())
	} else {
		opts = append(opts, expr.AsFloat64())
	}
	prg, err := expr.Compile(src.s, opts...)
	if err != nil {
		var fe *file.Error
		if !errors.As(err, &fe) {
			code := CodeType
			switch {
			case want == "bool" && strings.Contains(err.Error(), "expected bool"):
				code = CodeNotBool
			case want == "number" && strings.Contains(err.Error(), "expected float64"):
				code = CodeNotNumber
			}
			errs.add(src.at(1, 1), env.ruleID, code, "%v", err)
			return nil
		}
		if strings.Contains(fe.Message, "exceeds maximum allowed nodes") {
			errs.add(src.at(1, 1), env.ruleID, CodeCost, "the condition has over %d parts, the limit: split it into rules, or use a list", exprMaxNodes)
			return nil
		}
		code, msg := exprProblem(fe.Message, lineOf(src.s, fe.Line), fe.Column, env)
		errs.add(src.at(fe.Line, fe.Column+1), env.ruleID, code, "%s", msg)
		return nil
	}
	// What checked is compiled again to charge a meter as it runs; the
	// first compile's errors are about what the author wrote.
	if prg, err = exprCompile(src.s, opts...); err != nil {
		errs.add(src.at(1, 1), env.ruleID, CodeType, "%v (a bug in leakdiag's metering of expr: please report it)", err)
		return nil
	}
	est := exprEstimate(prg.Node(), exprSizes{params: env.params, lists: env.lists})
	if est > exprCostLimit {
		errs.add(src.at(1, 1), env.ruleID, CodeCost, "estimated cost up to %s, over the limit of %d: avoid nested loops over lists", costString(est), exprCostLimit)
		return nil
	}
	return &exprProgram{prg: prg, envType: envType, proto: proto, process: env.scope == ScopeProcess, src: src.s, estimate: est}
}

// exprProblem turns an expr compile error at col (from 0) of line into a
// code and a message.
func exprProblem(msg, line string, col int, env ruleEnv) (string, string) {
	m := exprNoField().FindStringSubmatch(msg)
	if m == nil {
		switch {
		case strings.Contains(msg, "unexpected token") || strings.Contains(msg, "syntax"):
			return CodeSyntax, msg
		case strings.HasPrefix(msg, "unknown name process") && env.scope == ScopeSnapshot:
			return CodeType, "a snapshot-scope rule has no process: use scope: process"
		case strings.HasPrefix(msg, "unknown name "):
			name := strings.Fields(strings.TrimPrefix(msg, "unknown name "))[0]
			return CodeType, msg + suggest(name, []string{"process", "snapshot", "params", "lists"})
		}
		return CodeType, msg
	}
	name := m[2]
	r := []rune(line)
	before := string(r[:min(max(col, 0), len(r))])
	switch {
	case strings.HasSuffix(before, "params."):
		return CodeUnknownParam, fmt.Sprintf("unknown param %q%s", name, suggest(name, env.params.names()))
	case strings.HasSuffix(before, "lists."):
		return CodeUnknownList, fmt.Sprintf("unknown list %q%s", name, suggest(name, keysOf(env.lists)))
	}
	return CodeType, fmt.Sprintf("%s has no fact %q%s", strings.TrimPrefix(m[1], "*"), name, suggest(name, allFactFields()))
}
