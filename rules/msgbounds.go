package rules

import (
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/facts"
)

// messageCostLimit bounds the steps a message may take: every node of
// the template, times the items of each range around it. text/template
// has no step limit of its own, so ranges are bounded at load: each over
// a list whose size is known then (a fact's list, a list or table param,
// a number), and all of them together under this limit. A message over
// a process's ten top names takes a few hundred steps.
const messageCostLimit = 10_000

// factListSize is the most items a list or map fact holds, as the cost
// estimates assume it (see celSizes).
func factListSize(name string) (int, bool) {
	switch name {
	case "top_names", "zombie_images":
		return facts.TopNamesLimit, true
	case "by_type", "unnamed_by_type", "type_growth", "socket_states":
		return 256, true
	}
	return 0, false
}

// messageBounds checks, at load, that a message's work is bounded by its
// text: one template (no define, block or template: a message calling
// itself twice doubles with each level of recursion), ranges only over
// lists of known size, and an estimated cost within messageCostLimit.
// It returns the estimate, and false with the problems in errs.
func messageBounds(key string, t text, tmpl *template.Template, r *Rule, errs *ErrorList) (int, bool) {
	if len(tmpl.Templates()) > 1 {
		for _, sub := range tmpl.Templates() {
			if sub.Name() != tmpl.Name() {
				errs.add(messagePos(t, sub.Tree.Root), r.ID, CodeTemplate, "%s: {{define}} and {{block}} are not allowed: a %s is one template", key, key)
				return 0, false
			}
		}
	}
	mb := &msgBounds{key: key, t: t, r: r, errs: errs}
	cost := mb.cost(tmpl.Tree.Root, 1)
	if mb.bad {
		return 0, false
	}
	if cost > messageCostLimit {
		errs.add(t.at(1, 1), r.ID, CodeCost, "%s: estimated cost up to %s steps, over the limit of %d: avoid ranges in ranges", key, costString(cost), messageCostLimit)
		return 0, false
	}
	return cost, true
}

type msgBounds struct {
	key  string // "message" or "component", as errors name it
	t    text
	r    *Rule
	errs *ErrorList
	bad  bool
}

// cost is the steps n takes, run mult times.
func (mb *msgBounds) cost(n parse.Node, mult int) int {
	switch x := n.(type) {
	case nil:
		return 0
	case *parse.ListNode:
		if x == nil {
			return 0
		}
		c := 0
		for _, e := range x.Nodes {
			c = addCapped(c, mb.cost(e, mult))
		}
		return c
	case *parse.RangeNode:
		items := mb.rangeSize(x)
		c := addCapped(mb.nodes(x.Pipe, mult), mulCost(mult, items+1))
		c = addCapped(c, mb.cost(x.List, mulCost(mult, items)))
		return addCapped(c, mb.cost(x.ElseList, mult))
	case *parse.IfNode:
		return mb.branch(&x.BranchNode, mult)
	case *parse.WithNode:
		return mb.branch(&x.BranchNode, mult)
	case *parse.TemplateNode:
		mb.fail(x, mb.key+": {{template}} is not allowed: a "+mb.key+" is one template")
		return 0
	}
	return mb.nodes(n, mult)
}

func (mb *msgBounds) branch(b *parse.BranchNode, mult int) int {
	c := addCapped(mb.nodes(b.Pipe, mult), mb.cost(b.List, mult))
	return addCapped(c, mb.cost(b.ElseList, mult))
}

// nodes counts the nodes of an action or text, each a step.
func (mb *msgBounds) nodes(n parse.Node, mult int) int {
	count := 0
	walkTemplate(n, func(parse.Node) { count++ })
	return mulCost(count, mult)
}

// rangeSize is the most items a range runs over: a fact's list
// (.process.top_names), a list or table param (.params.x), or a number.
// Anything else is refused.
func (mb *msgBounds) rangeSize(x *parse.RangeNode) int {
	if x.Pipe != nil && len(x.Pipe.Cmds) == 1 && len(x.Pipe.Cmds[0].Args) == 1 {
		var path []string
		switch a := x.Pipe.Cmds[0].Args[0].(type) {
		case *parse.NumberNode:
			if a.IsInt && a.Int64 >= 0 {
				return int(min(a.Int64, costCap))
			}
		case *parse.FieldNode:
			path = a.Ident
		case *parse.VariableNode:
			if len(a.Ident) > 1 && a.Ident[0] == "$" {
				path = a.Ident[1:]
			}
		}
		if len(path) == 2 {
			switch path[0] {
			case "process", "snapshot":
				if n, ok := factListSize(path[1]); ok {
					return n
				}
			case "params":
				if v, ok := mb.r.params.get(path[1]); ok {
					return exprLen(v)
				}
			}
		}
	}
	mb.fail(x, fmt.Sprintf("%s: range over %s: a %s may range only over a list fact (.process.top_names), a list or table param (.params.NAME) or a number", mb.key, x.Pipe, mb.key))
	return 0
}

func (mb *msgBounds) fail(n parse.Node, msg string) {
	mb.errs.add(messagePos(mb.t, n), mb.r.ID, CodeTemplate, "%s", msg)
	mb.bad = true
}

// messagePos is where in the file node n of a message is.
func messagePos(t text, n parse.Node) Pos {
	off := min(max(int(n.Position()), 0), len(t.s))
	before := t.s[:off]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]) + 1
	return t.at(line, col)
}
