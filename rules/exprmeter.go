package rules

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/vm"
)

// exprCostLimit is what one evaluation of an expr condition or score may
// cost, in the units of exprMeter: the counterpart of CEL's cost limit,
// and the same number. A condition over a process's top names costs a
// few hundred.
const exprCostLimit = 100_000

// errExprCost is the error of an evaluation over exprCostLimit.
var errExprCost = errors.New("evaluation cost over the limit")

// exprMeter counts what one evaluation of an expr program costs. expr
// (v1.17) counts neither steps nor time, and its VM cannot be stopped
// from outside without a goroutine left spinning: the loader rewrites each
// program (exprPatch) so that it charges the meter as it runs, and the
// meter stops it with an error once over its limit.
//
// What costs: each run of a loop (all, any, filter, map, ...) its items
// times the size of its body, in nodes; each string, list or map that an
// operator or a function reads, a unit per item and per 10 bytes
// (exprSizeOf); what repeat, replace, join and matches would make or
// take, before they do it. Everything else runs once per node per
// iteration, which the loops pay for. The VM's own memory budget, which
// counts the lists a program makes (1..n, literals), is set to the same
// limit.
type exprMeter struct {
	used, limit int
}

func (m *exprMeter) charge(n int) error {
	if n < 0 || n > m.limit-m.used {
		m.used = m.limit
		return fmt.Errorf("%w of %d", errExprCost, m.limit)
	}
	m.used += n
	return nil
}

// The functions the rewritten program calls; each takes the meter (the
// environment's __meter) first.
const (
	exprMeterVar = "__meter"
	exprEach     = "__each"  // __each(meter, list, weight): a loop's list
	exprSize     = "__size"  // __size(meter, value): an operand
	exprTimes    = "__times" // __times(meter, value, n): an operand read n times
	exprRepeat   = "__repeat"
	exprReplace  = "__replace"
	exprJoin     = "__join"
	exprMatches  = "__matches" // __matches(meter, text, pattern): matches with a pattern made at run time
)

// exprSizeOf is what reading v costs: a unit per item of a list or map,
// and per 10 bytes of a string (as CEL prices strings).
func exprSizeOf(v any) int {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return strCost(len(x))
	case []string:
		n := len(x)
		for _, s := range x {
			n += strCost(len(s))
		}
		return n
	case []any:
		n := len(x)
		for _, e := range x {
			if s, ok := e.(string); ok {
				n += strCost(len(s))
			}
		}
		return n
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		return rv.Len()
	}
	return 0
}

// strCost is what reading a string of n bytes costs.
func strCost(n int) int { return (n + 9) / 10 }

// exprLen is the number of items of a list or map (or bytes of a string).
func exprLen(v any) int {
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		return rv.Len()
	}
	return 0
}

func meterOf(args []any, want int) (*exprMeter, error) {
	if len(args) < want {
		return nil, fmt.Errorf("internal: %d arguments, want %d", len(args), want)
	}
	m, ok := args[0].(*exprMeter)
	if !ok {
		return nil, fmt.Errorf("internal: no meter")
	}
	return m, nil
}

func toInt(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case int64:
		return int(x)
	case float64:
		return int(x)
	}
	return 0
}

var exprMeterFuncs = []*builtin.Function{
	{
		Name: exprEach,
		Func: func(args ...any) (any, error) {
			m, err := meterOf(args, 3)
			if err != nil {
				return nil, err
			}
			return args[1], m.charge(mulCost(exprLen(args[1])+1, toInt(args[2])))
		},
		Validate: passThrough(3),
	},
	{
		Name: exprSize,
		Func: func(args ...any) (any, error) {
			m, err := meterOf(args, 2)
			if err != nil {
				return nil, err
			}
			return args[1], m.charge(exprSizeOf(args[1]))
		},
		Validate: passThrough(2),
	},
	{
		Name: exprTimes,
		Func: func(args ...any) (any, error) {
			m, err := meterOf(args, 3)
			if err != nil {
				return nil, err
			}
			return args[1], m.charge(mulCost(exprSizeOf(args[1])+1, toInt(args[2])))
		},
		Validate: passThrough(3),
	},
	{
		Name: exprRepeat,
		Func: func(args ...any) (any, error) {
			m, err := meterOf(args, 3)
			if err != nil {
				return nil, err
			}
			s, _ := args[1].(string)
			if err := m.charge(strCost(mulCost(len(s), toInt(args[2])))); err != nil {
				return nil, err
			}
			out, _, err := builtinFunc("repeat").Safe(args[1:]...)
			return out, err
		},
		Validate: stringResult("repeat", 2, 2),
	},
	{
		Name: exprReplace,
		Func: func(args ...any) (any, error) {
			m, err := meterOf(args, 4)
			if err != nil {
				return nil, err
			}
			s, _ := args[1].(string)
			old, _ := args[2].(string)
			repl, _ := args[3].(string)
			if err := m.charge(strCost(len(s))); err != nil { // counting is a pass over s
				return nil, err
			}
			grow := 0
			if n := strings.Count(s, old); len(repl) > len(old) {
				grow = mulCost(n, len(repl)-len(old))
			}
			if err := m.charge(strCost(len(s) + grow)); err != nil {
				return nil, err
			}
			return builtinFunc("replace").Func(args[1:]...)
		},
		Validate: stringResult("replace", 3, 4),
	},
	{
		Name: exprJoin,
		Func: func(args ...any) (any, error) {
			m, err := meterOf(args, 2)
			if err != nil {
				return nil, err
			}
			glue := ""
			if len(args) > 2 {
				glue, _ = args[2].(string)
			}
			n := exprLen(args[1])
			if err := m.charge(exprSizeOf(args[1]) + strCost(mulCost(n, len(glue)))); err != nil {
				return nil, err
			}
			return builtinFunc("join").Func(args[1:]...)
		},
		Validate: stringResult("join", 1, 2),
	},
	{
		Name: exprMatches,
		Func: func(args ...any) (any, error) {
			m, err := meterOf(args, 3)
			if err != nil {
				return nil, err
			}
			text, ok1 := args[1].(string)
			pattern, ok2 := args[2].(string)
			if !ok1 || !ok2 {
				return false, nil // as expr's matches, for nil
			}
			if err := m.charge(strCost(mulCost(len(text)+1, len(pattern)+1))); err != nil {
				return nil, err
			}
			return regexp.MatchString(pattern, text)
		},
		Validate: func(args []reflect.Type) (reflect.Type, error) {
			if len(args) != 3 {
				return nil, fmt.Errorf("internal: %d arguments, want 3", len(args))
			}
			return reflect.TypeOf(true), nil
		},
	},
}

func builtinFunc(name string) *builtin.Function {
	return builtin.Builtins[builtin.Index[name]]
}

// passThrough types a metering function as its second argument: the
// value it returns unchanged.
func passThrough(n int) func(args []reflect.Type) (reflect.Type, error) {
	return func(args []reflect.Type) (reflect.Type, error) {
		if len(args) != n {
			return nil, fmt.Errorf("internal: %d arguments, want %d", len(args), n)
		}
		return args[1], nil
	}
}

// stringResult types a metered builtin (repeat, replace, join) that takes
// min to max arguments after the meter and returns a string; the
// arguments themselves were checked as the builtin's before the rewrite.
func stringResult(name string, min, max int) func(args []reflect.Type) (reflect.Type, error) {
	return func(args []reflect.Type) (reflect.Type, error) {
		if n := len(args) - 1; n < min || n > max {
			return nil, fmt.Errorf("invalid number of arguments for %s (expected %d to %d, got %d)", name, min, max, n)
		}
		return reflect.TypeOf(""), nil
	}
}

// withExprMeter registers the metering functions.
func withExprMeter(c *conf.Config) {
	for _, f := range exprMeterFuncs {
		c.Functions[f.Name] = f
	}
}

// exprVMs are reused: a VM is not safe for concurrent use, a program is.
var exprVMs = sync.Pool{New: func() any { return &vm.VM{MemoryBudget: exprCostLimit} }}

// runExpr runs prg over env, a pointer to an environment whose meter is
// set for this run.
func runExpr(prg *vm.Program, env reflect.Value) (any, error) {
	machine := exprVMs.Get().(*vm.VM)
	defer exprVMs.Put(machine)
	out, err := machine.Run(prg, env.Interface())
	if err != nil && (errors.Is(err, errExprCost) || strings.Contains(err.Error(), "memory budget exceeded")) {
		return nil, fmt.Errorf("%w of %d (expr counts loop iterations and the strings and lists each operation reads)", errExprCost, exprCostLimit)
	}
	return out, err
}
