package rules

import (
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// outline takes an expr condition apart at and/&&, or/|| and not/!, and
// lists the facts, params and lists it reads.
func (p *exprProgram) outline() (*Part, []string, error) {
	tree, err := parser.Parse(p.src)
	if err != nil {
		return nil, nil, err
	}
	var part func(n ast.Node) *Part
	part = func(n ast.Node) *Part {
		out := &Part{Source: n.String()}
		switch n := n.(type) {
		case *ast.BinaryNode:
			if op := exprLogical[n.Operator]; op == "and" || op == "or" {
				out.Op = op
				for _, c := range flattenExpr(n, op) {
					out.Parts = append(out.Parts, part(c))
				}
			}
		case *ast.UnaryNode:
			if exprLogical[n.Operator] == "not" {
				out.Op = "not"
				out.Parts = []*Part{part(n.Node)}
			}
		}
		return out
	}
	root := part(tree.Node)

	// The values read: chains of constant members from process,
	// snapshot, params or lists, longest first: a chain that is the
	// operand of a longer one is part of it.
	var chains []*ast.MemberNode
	inner := map[ast.Node]bool{}
	ast.Walk(&tree.Node, visitor(func(n *ast.Node) {
		m, ok := (*n).(*ast.MemberNode)
		if !ok || !exprChain(m) {
			return
		}
		inner[m.Node] = true
		chains = append(chains, m)
	}))
	var values []string
	for _, m := range chains {
		if !inner[m] {
			values = append(values, m.String())
		}
	}
	return root, values, nil
}

var exprLogical = map[string]string{"and": "and", "&&": "and", "or": "or", "||": "or", "not": "not", "!": "not"}

// flattenExpr lists the operands of a chain of one logical operator.
func flattenExpr(n ast.Node, op string) []ast.Node {
	b, ok := n.(*ast.BinaryNode)
	if !ok || exprLogical[b.Operator] != op {
		return []ast.Node{n}
	}
	return append(flattenExpr(b.Left, op), flattenExpr(b.Right, op)...)
}

// exprChain: m reads a constant member (field, map key) of a chain that
// starts at one of the rule's variables.
func exprChain(m *ast.MemberNode) bool {
	for {
		if m.Method || m.Optional {
			return false
		}
		switch m.Property.(type) {
		case *ast.StringNode, *ast.IntegerNode:
		default:
			return false
		}
		switch n := m.Node.(type) {
		case *ast.IdentifierNode:
			switch n.Value {
			case "process", "snapshot", "params", "lists":
				return true
			}
			return false
		case *ast.MemberNode:
			m = n
		default:
			return false
		}
	}
}

type visitor func(n *ast.Node)

func (v visitor) Visit(n *ast.Node) { v(n) }

// sub compiles a piece of a condition in its environment.
func (p *exprProgram) sub(src string) (evaluator, error) {
	prg, err := exprCompile(src, expr.Env(p.proto.Interface()))
	if err != nil {
		return nil, err
	}
	return &exprProgram{prg: prg, envType: p.envType, proto: p.proto, process: p.process, src: src}, nil
}
