package rules

import (
	"strings"

	"github.com/google/cel-go/cel"
	celast "github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
)

// outline takes a CEL condition apart at &&, || and !, and lists the
// facts, params and lists it reads.
func (p *celProgram) outline() (*Part, []string, error) {
	native := p.ast.NativeRep()
	info := native.SourceInfo()
	var err error
	source := func(e celast.Expr) string {
		s, uerr := cel.ExprToString(e, info)
		if uerr != nil && err == nil {
			err = uerr
		}
		return s
	}
	var part func(e celast.Expr) *Part
	part = func(e celast.Expr) *Part {
		out := &Part{Source: source(e)}
		if e.Kind() != celast.CallKind {
			return out
		}
		switch fn := e.AsCall().FunctionName(); fn {
		case operators.LogicalAnd, operators.LogicalOr:
			out.Op = map[string]string{operators.LogicalAnd: "and", operators.LogicalOr: "or"}[fn]
			for _, a := range flattenCEL(e, fn) {
				out.Parts = append(out.Parts, part(a))
			}
		case operators.LogicalNot:
			out.Op = "not"
			out.Parts = []*Part{part(e.AsCall().Args()[0])}
		}
		return out
	}
	tree := part(native.Expr())

	// The values read: the longest chain of fields (and constant map
	// keys) from process or snapshot, and params and lists. A chain whose
	// operand is itself a chain is part of that chain, not another value.
	var values []string
	inner := map[int64]bool{}
	celast.PreOrderVisit(native.Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if inner[e.ID()] {
			if op := celOperand(e); op != nil {
				inner[op.ID()] = true
			}
			return
		}
		if celRoot(e) == "" {
			return
		}
		values = append(values, source(e))
		if op := celOperand(e); op != nil {
			inner[op.ID()] = true
		}
	}))
	return tree, values, err
}

// flattenCEL lists the operands of a chain of one logical operator: a &&
// b && c is one "and" of three.
func flattenCEL(e celast.Expr, fn string) []celast.Expr {
	if e.Kind() != celast.CallKind || e.AsCall().FunctionName() != fn {
		return []celast.Expr{e}
	}
	var out []celast.Expr
	for _, a := range e.AsCall().Args() {
		out = append(out, flattenCEL(a, fn)...)
	}
	return out
}

// celOperand is what a field selection or constant-key index reads from.
func celOperand(e celast.Expr) celast.Expr {
	switch e.Kind() {
	case celast.SelectKind:
		return e.AsSelect().Operand()
	case celast.CallKind:
		c := e.AsCall()
		if c.FunctionName() == operators.Index && len(c.Args()) == 2 && c.Args()[1].Kind() == celast.LiteralKind {
			return c.Args()[0]
		}
	}
	return nil
}

// celRoot is the variable a chain of selections reads from, if it is one
// of the rule's: process, snapshot, params.* or lists.*.
func celRoot(e celast.Expr) string {
	for {
		switch e.Kind() {
		case celast.IdentKind:
			name := e.AsIdent()
			if name == "process" || name == "snapshot" || strings.HasPrefix(name, "params.") || strings.HasPrefix(name, "lists.") {
				return name
			}
			return ""
		case celast.SelectKind, celast.CallKind:
			op := celOperand(e)
			if op == nil {
				return ""
			}
			if e.Kind() == celast.SelectKind && op.Kind() == celast.IdentKind && (op.AsIdent() == "params" || op.AsIdent() == "lists") {
				return op.AsIdent() + "." + e.AsSelect().FieldName()
			}
			e = op
		default:
			return ""
		}
	}
}

// sub compiles a piece of a condition in its environment.
func (p *celProgram) sub(src string) (evaluator, error) {
	ast, iss := p.env.Compile(src)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	prg, err := p.env.Program(ast, celProgramOptions()...)
	if err != nil {
		return nil, err
	}
	return &celProgram{prg: prg, vars: p.vars, env: p.env, ast: ast}, nil
}
