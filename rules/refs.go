package rules

import (
	"iter"
	"regexp"
	"strings"
	"sync"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	celast "github.com/google/cel-go/common/ast"
)

// refs are the params and lists an expression names. A rule's condition
// is compiled in an environment that declares only these: declaring every
// param and list of every file for each rule made loading grow with
// rules times params (4,000 rules over 4,000 params took minutes).
type refs struct {
	names map[string]bool // "params.x", "lists.y"
	// all is set when the expression uses params or lists other than by
	// name (expr's params[key], $env), so it is given every one.
	all bool
}

// named yields the names r has under kind ("params", "lists").
func (r refs) named(kind string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for ref := range r.names {
			if k, name, _ := strings.Cut(ref, "."); k == kind && !yield(name) {
				return
			}
		}
	}
}

// onlyLists returns the lists r names, or all of them when r says so.
func onlyLists(r refs, lists map[string][]string) map[string][]string {
	if r.all {
		return lists
	}
	out := map[string][]string{}
	for name := range r.named("lists") {
		if v, ok := lists[name]; ok {
			out[name] = v
		}
	}
	return out
}

// celRefs finds params.x and lists.y in a parsed CEL expression. CEL has
// no other way to reach them: params and lists are not variables.
func celRefs(e celast.Expr) refs {
	r := refs{names: map[string]bool{}}
	celast.PreOrderVisit(e, celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() != celast.SelectKind {
			return
		}
		sel := e.AsSelect()
		if op := sel.Operand(); op.Kind() == celast.IdentKind && (op.AsIdent() == "params" || op.AsIdent() == "lists") {
			r.names[op.AsIdent()+"."+sel.FieldName()] = true
		}
	}))
	return r
}

// exprRefs finds params.x, params["x"], lists.y and lists["y"] in an expr
// source. Any other use of params, lists or $env gets every one; so does
// a source that does not parse, whose error the compiler reports.
func exprRefs(src string) refs {
	tree, err := parser.Parse(src)
	if err != nil {
		return refs{all: true}
	}
	r := refs{names: map[string]bool{}}
	named := map[ast.Node]bool{} // identifiers used as params.x
	ast.Walk(&tree.Node, visitor(func(n *ast.Node) {
		switch x := (*n).(type) {
		case *ast.MemberNode:
			id, ok := x.Node.(*ast.IdentifierNode)
			prop, isStr := x.Property.(*ast.StringNode)
			if ok && isStr && (id.Value == "params" || id.Value == "lists") {
				r.names[id.Value+"."+prop.Value] = true
				named[id] = true
			}
		case *ast.IdentifierNode:
			if x.Value == "$env" {
				r.all = true
			}
		}
	}))
	// Walk visits children first: a second pass sees every identifier
	// with what it knows of its parent.
	ast.Walk(&tree.Node, visitor(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok && (id.Value == "params" || id.Value == "lists") && !named[id] {
			r.all = true
		}
	}))
	return r
}

// textRefRE finds params.x, lists.y and params["x"] in conditions and
// messages ({{.params.x}}), for lint; compiled when lint first needs it,
// not at every start.
var textRefRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(params|lists)(?:\.(\w+)\b|\[\s*["'](\w+)["']\s*\])`)
})

// textRefs returns every kind.name that text refers to, in one pass.
func textRefs(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range textRefRE().FindAllStringSubmatch(text, -1) {
		name := m[2]
		if name == "" {
			name = m[3]
		}
		out[m[1]+"."+name] = true
	}
	return out
}
