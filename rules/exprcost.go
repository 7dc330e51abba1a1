package rules

import (
	"reflect"
	"strconv"

	"github.com/expr-lang/expr/ast"
)

// costCap is where estimates stop counting: far over any limit, far from
// overflowing.
const costCap = 1 << 50

// exprSizes tells the estimate how large the params and lists are, and
// assumes what CEL's estimate assumes of facts.
type exprSizes struct {
	params paramSet
	lists  map[string][]string
}

// exprEstimate is what a metered program (exprPatch) charges its meter
// in one evaluation, at most, found by walking it: loops multiply their
// body's cost by their list's items. Sizes that are not known when rules
// load are assumed as CEL's estimate assumes them (factListSize for the
// facts' lists, unknownSize for strings and computed lists); the meter
// stops what turns out larger.
func exprEstimate(n ast.Node, s exprSizes) int {
	switch x := n.(type) {
	case nil:
		return 0
	case *ast.CallNode:
		cost := 0
		for _, a := range x.Arguments {
			cost = addCapped(cost, exprEstimate(a, s))
		}
		if id, ok := x.Callee.(*ast.IdentifierNode); ok && len(x.Arguments) >= 2 {
			arg := x.Arguments[1]
			switch id.Value {
			case exprEach:
				return addCapped(cost, mulCost(s.items(arg)+1, intConst(x.Arguments, 2, 1)))
			case exprSize:
				return addCapped(cost, s.size(arg))
			case exprTimes:
				return addCapped(cost, mulCost(s.size(arg)+1, intConst(x.Arguments, 2, 1)))
			case exprRepeat:
				return addCapped(cost, mulCost(s.size(arg), intConst(x.Arguments, 2, 1024)))
			case exprReplace:
				return addCapped(cost, mulCost(s.size(arg), 2+s.bytes(argAt(x.Arguments, 3))))
			case exprJoin:
				return addCapped(cost, addCapped(s.size(arg), mulCost(s.items(arg), s.size(argAt(x.Arguments, 2)))))
			case exprMatches:
				return addCapped(cost, mulCost(s.size(arg)+1, s.bytes(argAt(x.Arguments, 2))+1))
			}
		}
		return addCapped(cost, exprEstimate(x.Callee, s))
	case *ast.BuiltinNode:
		if len(x.Arguments) >= 2 && exprLoops[x.Name] {
			if p, ok := x.Arguments[1].(*ast.PredicateNode); ok {
				// The list and the charge for its loop, then the body's
				// own charges, once per item.
				cost := exprEstimate(x.Arguments[0], s)
				cost = addCapped(cost, mulCost(s.items(x.Arguments[0]), exprEstimate(p.Node, s)))
				for _, a := range x.Arguments[2:] {
					cost = addCapped(cost, exprEstimate(a, s))
				}
				return cost
			}
		}
	}
	cost := 0
	forChildren(n, func(c ast.Node) { cost = addCapped(cost, exprEstimate(c, s)) })
	return cost
}

// unknownSize is the size assumed of a list, a map or a string whose size
// is not known when rules load, in items or bytes, as CEL's estimate
// assumes it.
const unknownSize = 1024

// size estimates what reading n's value costs, as exprSizeOf measures it.
func (s exprSizes) size(n ast.Node) int {
	switch x := n.(type) {
	case nil:
		return 0
	case *ast.StringNode:
		return strCost(len(x.Value))
	case *ast.ConstantNode:
		return exprSizeOf(x.Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode:
		return 0
	case *ast.ArrayNode:
		n := len(x.Nodes)
		for _, e := range x.Nodes {
			n = addCapped(n, s.size(e))
		}
		return n
	case *ast.CallNode:
		if id, ok := x.Callee.(*ast.IdentifierNode); ok && len(x.Arguments) >= 2 {
			switch id.Value {
			case exprEach, exprSize, exprTimes:
				return s.size(x.Arguments[1])
			}
		}
	case *ast.BuiltinNode:
		switch x.Name {
		case "filter", "map", "sortBy", "sort", "reverse", "uniq", "lower", "upper", "trim", "trimPrefix", "trimSuffix", "take":
			if len(x.Arguments) > 0 {
				return s.size(x.Arguments[0])
			}
		}
	case *ast.BinaryNode:
		switch x.Operator {
		case "..":
			lo, ok1 := x.Left.(*ast.IntegerNode)
			hi, ok2 := x.Right.(*ast.IntegerNode)
			if ok1 && ok2 {
				return max(0, hi.Value-lo.Value+1)
			}
		case "+":
			return addCapped(s.size(x.Left), s.size(x.Right))
		}
	case *ast.MemberNode:
		return s.member(x)
	case *ast.ChainNode:
		return s.size(x.Node)
	}
	if t := n.Type(); t != nil && t.Kind() == reflect.String {
		return strCost(unknownSize)
	}
	return unknownSize
}

// items estimates the items of a list or map n (or bytes of a string).
func (s exprSizes) items(n ast.Node) int {
	switch x := n.(type) {
	case *ast.ArrayNode:
		return len(x.Nodes)
	case *ast.ConstantNode:
		return exprLen(x.Value)
	case *ast.CallNode:
		if id, ok := x.Callee.(*ast.IdentifierNode); ok && len(x.Arguments) >= 2 {
			switch id.Value {
			case exprEach, exprSize, exprTimes:
				return s.items(x.Arguments[1])
			}
		}
	case *ast.BuiltinNode:
		switch x.Name {
		case "filter", "map", "sortBy", "sort", "reverse", "uniq", "take", "keys", "values":
			if len(x.Arguments) > 0 {
				return s.items(x.Arguments[0])
			}
		}
	case *ast.BinaryNode:
		if x.Operator == ".." {
			return s.size(x) // a range's size is its items
		}
	case *ast.MemberNode:
		if prop, ok := x.Property.(*ast.StringNode); ok {
			if id, ok := x.Node.(*ast.IdentifierNode); ok {
				switch id.Value {
				case "lists":
					return len(s.lists[prop.Value])
				case "params":
					if v, ok := s.params.get(prop.Value); ok {
						return exprLen(v)
					}
				}
			}
			if n, ok := factListSize(prop.Value); ok {
				return n
			}
		}
	case *ast.ChainNode:
		return s.items(x.Node)
	}
	return unknownSize
}

// bytes estimates the length of a string n in bytes.
func (s exprSizes) bytes(n ast.Node) int {
	if str, ok := n.(*ast.StringNode); ok {
		return len(str.Value)
	}
	return unknownSize
}

// member estimates the size of params.x, lists.y and the facts' lists.
func (s exprSizes) member(m *ast.MemberNode) int {
	prop, _ := m.Property.(*ast.StringNode)
	if prop == nil {
		return 1024
	}
	if id, ok := m.Node.(*ast.IdentifierNode); ok {
		switch id.Value {
		case "lists":
			return exprSizeOf(s.lists[prop.Value])
		case "params":
			if v, ok := s.params.get(prop.Value); ok {
				return exprSizeOf(v)
			}
		}
	}
	if n, ok := factListSize(prop.Value); ok {
		return n
	}
	return strCost(unknownSize) // a string fact
}

func argAt(args []ast.Node, i int) ast.Node {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// intConst is args[i] when it is a whole number written out, else def.
func intConst(args []ast.Node, i, def int) int {
	if i < len(args) {
		if n, ok := args[i].(*ast.IntegerNode); ok {
			return n.Value
		}
	}
	return def
}

// forChildren calls f on each child of n.
func forChildren(n ast.Node, f func(ast.Node)) {
	switch x := n.(type) {
	case *ast.UnaryNode:
		f(x.Node)
	case *ast.BinaryNode:
		f(x.Left)
		f(x.Right)
	case *ast.ChainNode:
		f(x.Node)
	case *ast.MemberNode:
		f(x.Node)
		f(x.Property)
	case *ast.SliceNode:
		f(x.Node)
		f(x.From)
		f(x.To)
	case *ast.BuiltinNode:
		for _, a := range x.Arguments {
			f(a)
		}
		f(x.Map)
	case *ast.PredicateNode:
		f(x.Node)
	case *ast.VariableDeclaratorNode:
		f(x.Value)
		f(x.Expr)
	case *ast.SequenceNode:
		for _, c := range x.Nodes {
			f(c)
		}
	case *ast.ConditionalNode:
		f(x.Cond)
		f(x.Exp1)
		f(x.Exp2)
	case *ast.ArrayNode:
		for _, c := range x.Nodes {
			f(c)
		}
	case *ast.MapNode:
		for _, c := range x.Pairs {
			f(c)
		}
	case *ast.PairNode:
		f(x.Key)
		f(x.Value)
	}
}

func addCapped(a, b int) int { return min(a+b, costCap) }

func mulCost(a, b int) int {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > costCap/b {
		return costCap
	}
	return a * b
}

// costString writes an estimate, or "more than 10^15" at the cap.
func costString(n int) string {
	if n >= costCap {
		return "more than 10^15"
	}
	return strconv.Itoa(n)
}
