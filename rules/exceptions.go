package rules

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/leakdiag/leakdiag/facts"
)

// Exception is a structured exception to a rule: when all of its
// comparisons hold, the rule does not fire, however its condition came
// out. Sites add them instead of ever-growing `&& !(...)` clauses:
//
//	exceptions:
//	  - name: exchange-store
//	    reason: STORE.EXE holds many Event handles by design
//	    match:
//	      - [image, "=", store.exe]
//	      - [dominant_type, "=", Event]
//	      - [handles, "<", 200000]
//
// A later file's override adds exceptions to the rule's; it never drops
// earlier ones.
type Exception struct {
	Name   string
	Reason string
	Pos    Pos
	Match  []Comparison
}

// Comparison is one (fact, operator, value) tuple of an exception.
type Comparison struct {
	Fact string // a fact of the rule's scope: image, handles, ...
	Op   string // =, !=, <, <=, >, >=, in, glob
	// Values are the values compared with (several for "in"), of the
	// fact's type: int64, float64, string or bool.
	Values []any
	Pos    Pos

	raw      []*yaml.Node
	field    []int // the fact's field index in its view type
	patterns []*Pattern
}

var exceptionOps = []string{"=", "!=", "<", "<=", ">", ">=", "in", "glob"}

func (d *decoder) exceptions(v *yaml.Node, ruleID string) []*Exception {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, ruleID, CodeBadValue, "exceptions must be a list, not %s", kindName(v))
		return nil
	}
	var out []*Exception
	for _, n := range v.Content {
		e := &Exception{Pos: d.pos(n)}
		d.mapping(n, ruleID, map[string]func(k, v *yaml.Node){
			"name":   func(_, v *yaml.Node) { e.Name = d.str(v, ruleID) },
			"reason": func(_, v *yaml.Node) { e.Reason = d.str(v, ruleID) },
			"match": func(_, v *yaml.Node) {
				if v.Kind != yaml.SequenceNode {
					d.errorf(v, ruleID, CodeBadValue, "an exception's match is a list of [fact, operator, value] tuples, not %s", kindName(v))
					return
				}
				for _, t := range v.Content {
					if t.Kind != yaml.SequenceNode || len(t.Content) != 3 {
						d.errorf(t, ruleID, CodeBadValue, "a comparison is [fact, operator, value], like [image, \"=\", store.exe]")
						continue
					}
					e.Match = append(e.Match, Comparison{
						Fact: t.Content[0].Value, Op: t.Content[1].Value, Pos: d.pos(t), raw: t.Content,
					})
				}
			},
		}, "exception")
		switch {
		case n.Kind != yaml.MappingNode:
		case e.Name == "":
			d.errorf(n, ruleID, CodeMissing, "an exception needs a name")
		case e.Reason == "":
			d.errorf(n, ruleID, CodeMissing, "exception %q needs a reason: say why the rule does not apply", e.Name)
		case len(e.Match) == 0:
			d.errorf(n, ruleID, CodeMissing, "exception %q needs a match: a list of [fact, operator, value]", e.Name)
		default:
			out = append(out, e)
		}
	}
	return out
}

// compileExceptions checks each comparison against the facts of the
// rule's scope and reads its values with the fact's type.
func compileExceptions(ruleID, scope string, excs []*Exception, errs *ErrorList) []*Exception {
	view := reflect.TypeOf(facts.ProcessFacts{})
	if scope == ScopeSnapshot {
		view = reflect.TypeOf(facts.SnapshotFacts{})
	}
	var out []*Exception
	for _, e := range excs {
		ce := *e
		ce.Match = nil
		ok := true
		for _, c := range e.Match {
			pos := func(n *yaml.Node) Pos { return Pos{File: c.Pos.File, Line: n.Line, Col: n.Column} }
			field, kind := factField(view, c.Fact)
			if field == nil {
				errs.add(pos(c.raw[0]), ruleID, CodeType, "%q is no %s fact an exception can compare%s", c.Fact, scope, suggest(c.Fact, scalarFacts(view)))
				ok = false
				continue
			}
			if !slices.Contains(exceptionOps, c.Op) {
				errs.add(pos(c.raw[1]), ruleID, CodeBadValue, "operator %q is not one of %s", c.Op, strings.Join(exceptionOps, ", "))
				ok = false
				continue
			}
			c.field = field
			vals := []*yaml.Node{c.raw[2]}
			if c.Op == "in" {
				if c.raw[2].Kind != yaml.SequenceNode {
					errs.add(pos(c.raw[2]), ruleID, CodeBadValue, "\"in\" compares with a list of values, like [a.exe, b.exe]")
					ok = false
					continue
				}
				vals = c.raw[2].Content
			}
			if (c.Op == "glob" && kind != reflect.String) || (strings.ContainsAny(c.Op, "<>") && kind != reflect.Int64 && kind != reflect.Float64) {
				errs.add(pos(c.raw[1]), ruleID, CodeType, "operator %q does not apply to %s, a %s", c.Op, c.Fact, kindWord(kind))
				ok = false
				continue
			}
			for _, n := range vals {
				v, err := valueOf(n, kind)
				if err != nil {
					errs.add(pos(n), ruleID, CodeType, "%s is a %s, and %s is not", c.Fact, kindWord(kind), err)
					ok = false
					continue
				}
				c.Values = append(c.Values, v)
				if c.Op == "glob" {
					p, err := compilePattern(v.(string))
					if err != nil {
						errs.add(pos(n), ruleID, CodeBadPattern, "%v", err)
						ok = false
						continue
					}
					c.patterns = append(c.patterns, p)
				}
			}
			ce.Match = append(ce.Match, c)
		}
		if ok {
			out = append(out, &ce)
		}
	}
	return out
}

func factField(view reflect.Type, name string) ([]int, reflect.Kind) {
	for i := 0; i < view.NumField(); i++ {
		f := view.Field(i)
		if f.Tag.Get("expr") == name && name != "" { // untagged fields are no facts
			switch k := f.Type.Kind(); k {
			case reflect.Int64, reflect.Float64, reflect.String, reflect.Bool:
				return f.Index, k
			}
			return nil, 0
		}
	}
	return nil, 0
}

func scalarFacts(view reflect.Type) []string {
	var out []string
	for i := 0; i < view.NumField(); i++ {
		if idx, _ := factField(view, view.Field(i).Tag.Get("expr")); idx != nil {
			out = append(out, view.Field(i).Tag.Get("expr"))
		}
	}
	return out
}

func kindWord(k reflect.Kind) string {
	switch k {
	case reflect.Int64:
		return "whole number"
	case reflect.Float64:
		return "number"
	case reflect.Bool:
		return "bool"
	}
	return "string"
}

func valueOf(n *yaml.Node, k reflect.Kind) (any, error) {
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%s", kindName(n))
	}
	s := strings.ReplaceAll(n.Value, "_", "")
	var v any
	var err error
	switch k {
	case reflect.Int64:
		v, err = strconv.ParseInt(s, 10, 64)
	case reflect.Float64:
		v, err = strconv.ParseFloat(s, 64)
	case reflect.Bool:
		v, err = strconv.ParseBool(n.Value)
	default:
		v = n.Value
	}
	if err != nil {
		return nil, fmt.Errorf("%q", n.Value)
	}
	return v, nil
}

// exceptedBy returns the first exception whose comparisons all hold for
// the facts, or nil.
func (r *Rule) exceptedBy(snap *facts.SnapshotFacts, proc *facts.ProcessFacts) *Exception {
	var view reflect.Value
	if r.Scope == ScopeSnapshot {
		view = reflect.ValueOf(snap).Elem()
	} else if proc != nil {
		view = reflect.ValueOf(proc).Elem()
	} else {
		return nil
	}
	for _, e := range r.Exceptions {
		if e.holds(view) {
			return e
		}
	}
	return nil
}

func (e *Exception) holds(view reflect.Value) bool {
	for i := range e.Match {
		if !e.Match[i].holds(view.FieldByIndex(e.Match[i].field).Interface()) {
			return false
		}
	}
	return true
}

func (c *Comparison) holds(got any) bool {
	switch c.Op {
	case "glob":
		return c.patterns[0].Match(got.(string))
	case "in":
		for _, v := range c.Values {
			if equal(got, v) {
				return true
			}
		}
		return false
	case "=":
		return equal(got, c.Values[0])
	case "!=":
		return !equal(got, c.Values[0])
	}
	a, b := number(got), number(c.Values[0])
	switch c.Op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	}
	return a >= b
}

// equal compares fact and value; strings case-insensitively, as Windows
// compares image and object names.
func equal(a, b any) bool {
	if s, ok := a.(string); ok {
		t, _ := b.(string)
		return strings.EqualFold(s, t)
	}
	return a == b
}

func number(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}
