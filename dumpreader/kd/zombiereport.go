package kd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// zombieState is what mex's task list says of the zombie processes
// (exited, their objects still referenced) it does not list as !process
// does:
//
//	1: kd> !tl
//	Warning! Zombie process(es) detected (not displayed). Count: 87 [zombie report]
//	1: kd> !mex.tl -z
//	Count Name                       Ses Thd Obj Handles Obj Pointers
//	===== ========================== === === =========== ============
//	    1 notepad.exe                  1   0           1            1
//	   27 POWERPNT.EXE                 1   0           1            1
//	===== ========================== === === =========== ============
//	Count Name                       Ses Thd Obj Handles Obj Pointers
//	87
//
// The warning's count, or the table's rows summed by image, become a
// facts.ZombieReport.
type zombieState struct {
	active bool // in the output of !tl (!mex.tl, !tasklist)
	table  bool // under the heading of its -z table
	line   int64
	warned int64 // the warning's count, -1 for none
	rows   int64 // zombies the table's rows count
	images map[string]*zombieImage
}

// zombieImage is the zombies the table's rows count of one image, and the
// line of its first row.
type zombieImage struct {
	count, line int64
}

// zombieCountLimit bounds the counts the rows add up to, as every count
// of a snapshot is bounded.
const zombieCountLimit = 1 << 40

// zombieListCommand reports whether text runs mex's task list, which
// counts zombie processes.
func zombieListCommand(text []byte) bool {
	f := strings.Fields(strings.ToLower(string(text)))
	if len(f) == 0 {
		return false
	}
	switch strings.TrimPrefix(f[0], "!mex.") {
	case "!tl", "tl", "!tasklist", "tasklist":
		return true
	}
	return false
}

// zombieCommand notes a command: it ends the task list being read, and
// starts one.
func (k *kdReader) zombieCommand(text []byte) {
	k.endZombies()
	if zombieListCommand(text) {
		k.zl = zombieState{active: true, line: k.lineNo, warned: -1}
	}
}

// zombieWarning reads mex's warning "Zombie process(es) detected (not
// displayed). Count: 87", wherever it is: its words are mex's own.
func zombieWarning(line []byte) (int64, bool) {
	const head = "Warning! Zombie process(es) detected"
	if !bytes.HasPrefix(line, []byte(head)) {
		return 0, false
	}
	_, rest, ok := bytes.Cut(line[len(head):], []byte("Count:"))
	if !ok {
		return 0, false
	}
	rest = scan.TrimSpace(rest)
	end := 0
	for end < len(rest) && scan.IsDigit(rest[end]) {
		end++
	}
	return scan.ParseDec(rest[:end])
}

// zombieLine reads a line of the task list's zombie output.
func (k *kdReader) zombieLine(line []byte) (scan.LineKind, bool) {
	line = scan.TrimSpace(line)
	if n, ok := zombieWarning(line); ok {
		if !k.zl.active {
			k.zl = zombieState{active: true, line: k.lineNo, warned: -1}
		}
		k.zl.warned = max(k.zl.warned, min(n, zombieCountLimit))
		return scan.Parsed, true
	}
	zl := &k.zl
	if !zl.active {
		return 0, false
	}
	switch {
	case isZombieHeading(line):
		zl.table = true
		return scan.Parsed, true
	case zl.table && len(bytes.Trim(line, "= ")) == 0:
		return scan.Parsed, true
	case !zl.table:
		return 0, false
	}
	f := bytes.Fields(line)
	if len(f) == 1 {
		if _, ok := scan.ParseDec(f[0]); ok {
			return scan.Parsed, true // the total under the closing heading
		}
		return 0, false
	}
	if len(f) < 6 {
		return 0, false
	}
	count, ok := scan.ParseDec(f[0])
	if !ok || count <= 0 {
		return 0, false
	}
	for _, n := range f[len(f)-4:] {
		if _, ok := scan.ParseDec(n); !ok {
			return 0, false
		}
	}
	name := string(bytes.Join(f[1:len(f)-4], []byte(" ")))
	if zl.images == nil {
		zl.images = map[string]*zombieImage{}
	}
	count = min(count, zombieCountLimit)
	if im := zl.images[name]; im != nil {
		im.count = min(im.count+count, zombieCountLimit)
	} else if len(zl.images) < facts.MemoryLimit*4 {
		zl.images[name] = &zombieImage{count: count, line: k.lineNo}
	}
	zl.rows = min(zl.rows+count, zombieCountLimit)
	return scan.Parsed, true
}

// isZombieHeading recognizes the heading of !tl -z's table, "Count Name
// Ses Thd Obj Handles Obj Pointers".
func isZombieHeading(line []byte) bool {
	f := bytes.Fields(line)
	return len(f) >= 4 && string(f[0]) == "Count" && string(f[1]) == "Name" && string(f[2]) == "Ses" && string(f[3]) == "Thd"
}

// endZombies ends the task list being read, recording the zombies it
// counted.
func (k *kdReader) endZombies() {
	zl := k.zl
	k.zl = zombieState{}
	if !zl.active || (zl.warned < 0 && zl.rows == 0) {
		return
	}
	r := facts.ZombieReport{Count: max(zl.warned, zl.rows), Source: facts.Position{Path: k.log.Path, Line: zl.line}}
	for name, im := range zl.images {
		r.Images = append(r.Images, facts.NameCount{Name: name, Type: "Process", Count: im.count,
			First: facts.Position{Path: k.log.Path, Line: im.line}})
	}
	k.b.AddZombieReport(r)
}
