package rules

import (
	"text/template/parse"
)

// walkTemplate calls f on every node of a template's tree, parents first.
func walkTemplate(n parse.Node, f func(parse.Node)) {
	if n == nil {
		return
	}
	f(n)
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return
		}
		for _, c := range x.Nodes {
			walkTemplate(c, f)
		}
	case *parse.ActionNode:
		walkTemplate(x.Pipe, f)
	case *parse.PipeNode:
		if x == nil {
			return
		}
		for _, v := range x.Decl {
			walkTemplate(v, f)
		}
		for _, c := range x.Cmds {
			walkTemplate(c, f)
		}
	case *parse.CommandNode:
		for _, a := range x.Args {
			walkTemplate(a, f)
		}
	case *parse.ChainNode:
		walkTemplate(x.Node, f)
	case *parse.IfNode:
		walkBranch(&x.BranchNode, f)
	case *parse.RangeNode:
		walkBranch(&x.BranchNode, f)
	case *parse.WithNode:
		walkBranch(&x.BranchNode, f)
	case *parse.TemplateNode:
		walkTemplate(x.Pipe, f)
	}
}

func walkBranch(b *parse.BranchNode, f func(parse.Node)) {
	walkTemplate(b.Pipe, f)
	if b.List != nil {
		walkTemplate(b.List, f)
	}
	if b.ElseList != nil {
		walkTemplate(b.ElseList, f)
	}
}

// templateRefs finds the params a message reads as .params.x or
// $.params.x. Any other use of .params (index .params "x", range .params)
// reads them all.
func templateRefs(root parse.Node) refs {
	r := refs{names: map[string]bool{}}
	walkTemplate(root, func(n parse.Node) {
		var ident []string
		switch x := n.(type) {
		case *parse.FieldNode:
			ident = x.Ident
		case *parse.VariableNode:
			if len(x.Ident) > 0 && x.Ident[0] == "$" {
				ident = x.Ident[1:]
			}
		}
		switch {
		case len(ident) == 0 || ident[0] != "params":
		case len(ident) == 1:
			r.all = true
		default:
			r.names["params."+ident[1]] = true
		}
	})
	return r
}
