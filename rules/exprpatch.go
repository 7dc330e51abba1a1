package rules

import (
	"reflect"

	"github.com/expr-lang/expr/ast"
)

// exprLoops are expr's builtins that run a closure over a list.
var exprLoops = map[string]bool{
	"all": true, "none": true, "any": true, "one": true, "filter": true, "map": true,
	"find": true, "findIndex": true, "findLast": true, "findLastIndex": true,
	"count": true, "sum": true, "groupBy": true, "sortBy": true, "reduce": true,
}

// exprMetered are the builtins that make more than they read; they are
// replaced by versions that charge for what they will make first.
var exprMetered = map[string]string{"repeat": exprRepeat, "replace": exprReplace, "join": exprJoin}

// exprPatch rewrites a type-checked expr program so that it charges an
// exprMeter as it runs (see exprMeter for what costs what). It runs as an
// expr patcher, after the types are known and before the optimizer and
// the compiler.
type exprPatch struct{}

func (exprPatch) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BuiltinNode:
		if to, ok := exprMetered[n.Name]; ok {
			call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: to}, Arguments: append([]ast.Node{meterNode()}, n.Arguments...)}
			call.Callee.SetLocation(n.Location())
			ast.Patch(node, call)
			return
		}
		if len(n.Arguments) >= 2 && exprLoops[n.Name] {
			if p, ok := n.Arguments[1].(*ast.PredicateNode); ok {
				wrap(&n.Arguments[0], exprEach, &ast.IntegerNode{Value: 1 + countNodes(p.Node)})
				return
			}
		}
		for i := range n.Arguments {
			if _, closure := n.Arguments[i].(*ast.PredicateNode); !closure && readsData(n.Arguments[i]) {
				wrap(&n.Arguments[i], exprSize)
			}
		}
	case *ast.BinaryNode:
		if n.Operator == "matches" {
			if pattern, ok := n.Right.(*ast.StringNode); ok {
				// A constant pattern stays one, compiled once; matching
				// is linear in the text times the pattern.
				wrap(&n.Left, exprTimes, &ast.IntegerNode{Value: len(pattern.Value)})
				return
			}
		}
		if n.Operator == "matches" {
			// A pattern made at run time is compiled each time, and
			// matching costs its size times the text's.
			call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: exprMatches}, Arguments: []ast.Node{meterNode(), n.Left, n.Right}}
			call.Callee.SetLocation(n.Location())
			ast.Patch(node, call)
			return
		}
		if readsData(n.Left) {
			wrap(&n.Left, exprSize)
		}
		if readsData(n.Right) {
			wrap(&n.Right, exprSize)
		}
	case *ast.MemberNode:
		// A map looked up with a computed key hashes the key.
		switch n.Property.(type) {
		case *ast.StringNode, *ast.IntegerNode:
		default:
			if readsData(n.Property) {
				wrap(&n.Property, exprSize)
			}
		}
	}
}

// wrap replaces *n with fn(__meter, *n, extra...).
func wrap(n *ast.Node, fn string, extra ...ast.Node) {
	call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: fn}, Arguments: append([]ast.Node{meterNode(), *n}, extra...)}
	loc := (*n).Location()
	call.SetLocation(loc)
	call.Callee.SetLocation(loc)
	*n = call
}

func meterNode() ast.Node { return &ast.IdentifierNode{Value: exprMeterVar} }

// readsData reports whether reading n's value can cost more than a step:
// a string, a list or a map, or a value whose type is known only when it
// runs.
func readsData(n ast.Node) bool {
	t := n.Type()
	if t == nil {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Slice, reflect.Array, reflect.Map, reflect.Interface:
		return true
	}
	return false
}

// countNodes counts the nodes of a tree.
func countNodes(n ast.Node) int {
	count := 0
	ast.Walk(&n, visitor(func(*ast.Node) { count++ }))
	return count
}
