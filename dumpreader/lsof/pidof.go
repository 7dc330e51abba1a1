package lsof

import (
	"strings"
	"unicode/utf8"
)

// `lsof -p $(pidof cilium-agent)` lists a process whose command name lsof
// cuts to nine characters ("cilium-ag"), yet the command line names the
// program whole: pidof takes a program's name. Where the name lsof shows
// is the start of the one pidof was given, the process's image is pidof's
// name, and the name is not said to be possibly cut.

// uncutName gives p, listed under an lsof command that selects its pid by
// $(pidof NAME), the image NAME where lsof's is NAME cut.
func (r *lsofReader) uncutName(p *lsofProc) {
	name := pidofName(r.cmd.pidExpr)
	img := p.pb.P.Image
	if name == "" || utf8.RuneCountInString(img) != lsofNameWidth || !strings.HasPrefix(name, img) {
		return
	}
	p.pb.P.Image = name
}

// pidofName returns the program name of a pidof substitution ("$(pidof
// app)", "`pidof -s app`"), "" for any other or for several names.
func pidofName(expr string) string {
	switch {
	case strings.HasPrefix(expr, "$(") && strings.HasSuffix(expr, ")"):
		expr = expr[2 : len(expr)-1]
	case len(expr) > 1 && expr[0] == '`' && expr[len(expr)-1] == '`':
		expr = expr[1 : len(expr)-1]
	default:
		return ""
	}
	f := strings.Fields(expr)
	if len(f) < 2 || (f[0] != "pidof" && !strings.HasSuffix(f[0], "/pidof")) {
		return ""
	}
	name := ""
	for _, w := range f[1:] {
		switch {
		case strings.HasPrefix(w, "-"):
			if w == "-o" {
				return "" // -o omits a pid: its value would read as a name
			}
		case name != "":
			return "" // several programs
		default:
			name = w
		}
	}
	if strings.ContainsAny(name, "/$`'\"|;&") {
		return ""
	}
	return name
}

// isCutName reports whether name is image cut to lsofNameWidth
// characters, as lsof prints a longer command name.
func isCutName(name []byte, image string) bool {
	return utf8.RuneCount(name) == lsofNameWidth && len(image) > len(name) && strings.HasPrefix(image, string(name))
}
