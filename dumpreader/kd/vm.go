package kd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// memState is what the reader knows while reading `!vm` and `!poolused`
// output.
type memState struct {
	// vm is set in `!vm` output: from its command, or from its first row
	// when a capture shows the output without the command.
	vm      bool
	vmStart int64 // the line the output starts at
	// vmExtra is set when the command's flags ask for sections leakdiag
	// does not read (thread stacks, terminal server usage, the page file
	// write log, kernel VA usage): their lines are ignored, with one note.
	vmExtra      uint64
	vmExtraNoted bool
	// np and nx are the "NonPagedPool Usage" and "NonPagedPoolNx Usage"
	// of the current output, -1 until printed: Windows 8 and later print
	// the no-execute nonpaged pool apart, and nonpaged pool is both.
	np, nx int64
	// npImplausible is set when the nonpaged pool in use exceeds physical
	// memory: nonpaged pool is resident, so the debugger misread the
	// figure (see vmNonPaged), and its warning about it is discounted.
	npImplausible bool
	// physKB is the physical memory this output printed, 0 until then.
	physKB int64

	pool poolState
}

// memCommand notes the `!vm` and `!poolused` commands of a command line,
// whose output the reader then reads; it ends the output of the previous
// command first. The command line may hold other commands, run in turn.
func (k *kdReader) memCommand(text []byte) {
	k.endMemory()
	if !scan.ContainsFold(text, "!vm") && !scan.ContainsFold(text, "!poolused") {
		return // most commands: no need to split the line
	}
	m := &k.mem
	for _, part := range splitCommands(string(text)) {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		var flags uint64
		if len(f) > 1 {
			flags, _ = scan.ParseNumber(f[1])
		}
		switch strings.ToLower(f[0]) {
		case "!vm":
			k.cmd.known = true
			if !m.vm {
				k.startVM()
			}
			m.vmExtra |= flags &^ 1
		case "!poolused":
			k.cmd.known = true
			l := facts.PoolListing{Command: strings.Join(f, " "), Flags: int64(flags & 0xffffffff),
				Verbose: flags&1 != 0, Session: flags&8 != 0, Sort: facts.PoolSortTag,
				Source: facts.Position{Path: k.log.Path, Line: k.lineNo}}
			switch {
			case flags&2 != 0:
				l.Sort = facts.PoolSortNonPaged
			case flags&4 != 0:
				l.Sort = facts.PoolSortPaged
			}
			if len(f) > 2 {
				l.TagFilter = f[2]
			}
			m.pool.pending = append(m.pool.pending, l)
		}
	}
	if len(m.pool.pending) > 0 {
		k.beginListing()
	}
}

// endMemory ends the `!vm` and `!poolused` output being read.
func (k *kdReader) endMemory() {
	k.endListing()
	k.mem = memState{}
}

func (k *kdReader) startVM() {
	m := &k.mem
	m.vm, m.vmStart, m.np, m.nx = true, k.lineNo, -1, -1
}

// vmStats is the snapshot's `!vm` summary, created when the first figure
// is read.
func (k *kdReader) vmStats() *facts.VM {
	return k.b.VM(facts.Position{Path: k.log.Path, Line: k.mem.vmStart})
}

// memLine reads the lines of `!vm` and `!poolused` output, and the kd
// cache messages that precede long outputs.
func (k *kdReader) memLine(line []byte) (scan.LineKind, bool) {
	if isCacheMessage(line) {
		return scan.Ignored, true
	}
	if kind, ok := k.poolLine(line); ok {
		return kind, true
	}
	if kind, ok := k.vmLine(line); ok {
		return kind, true
	}
	if m := &k.mem; m.vm && m.vmExtra != 0 {
		if !m.vmExtraNoted {
			m.vmExtraNoted = true
			k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeIgnoredCommand,
				"!vm flags 0x%x print sections leakdiag does not read (thread stacks, session usage, the page file write log, kernel VA usage): their lines are counted as ignored", m.vmExtra)
		}
		return scan.Ignored, true
	}
	return 0, false
}

// cacheMessages start the lines kd prints about its memory cache before a
// command that reads much of the target (`!poolused`, `!vm`).
var cacheMessages = []string{
	"*** CacheSize too low", "Max cache size is", "Total memory in cache", "Number of regions cached:",
	"** Transition PTEs are implicitly decoded", "** Prototype PTEs are implicitly decoded",
	"Using a machine size of",
}

func isCacheMessage(line []byte) bool {
	for _, m := range cacheMessages {
		if scan.HasPrefix(line, m) {
			return true
		}
	}
	// "2257 full reads broken into 2626 partial reads", and its
	// "counts: 2241 cached/385 uncached, 85.34% cached" and "bytes : ..."
	return bytes.Contains(line, []byte(" full reads broken into ")) ||
		(scan.HasPrefix(line, "counts:") || scan.HasPrefix(line, "bytes :")) && bytes.Contains(line, []byte(" cached/"))
}

// isVMTitle recognizes the title of `!vm`, "*** Virtual Memory Usage ***",
// also as markdown left it: bare (its stars taken for emphasis) or with
// the stars it did not take mixed with underscores ("**_ Virtual Memory
// Usage _*_", a translated page's converter turning "***" into bold and
// italics).
func isVMTitle(line []byte) bool {
	const title = "Virtual Memory Usage"
	t := bytes.Trim(line, "*_ ")
	return bytes.Equal(t, []byte(title)) && len(line)-len(t) <= 8
}

// vmLine reads the lines of `!vm` output, in the layouts of NT4 to
// Windows 11:
//
//	*** Virtual Memory Usage ***
//	        Physical Memory:     16268   (   65072 Kb)
//	        Page File: \??\C:\pagefile.sys
//	           Current:    147456Kb Free Space:     65988Kb
//	NonPagedPool Usage:          9111 (      36444 Kb)
//	********** 3 pool allocations have failed **********
//	         0c1c notepad.exe      123 (     492 Kb)
//	  Pid ImageName                        Commit   SharedCommit        Debt
//	  6b4 chrome.exe                     88540 Kb           0 Kb        0 Kb
//
// Pasted without its command, the output is taken from its first row that
// only `!vm` prints.
func (k *kdReader) vmLine(line []byte) (scan.LineKind, bool) {
	m := &k.mem
	if isVMTitle(line) || scan.HasPrefix(line, "Page File:") {
		if !m.vm {
			k.startVM()
		}
		return scan.Parsed, true
	}
	if label, pages, kb, ok := vmRow(line); ok && (m.vm || vmLabels[label]) {
		if !m.vm {
			k.startVM()
		}
		k.vmFigure(label, pages, kb)
		return scan.Parsed, true
	}
	if !m.vm {
		if c, ok := commitRow(line); ok && bytes.IndexByte(line, '(') < 0 {
			// A row of the per-process table of Windows 8 and later
			// (three Kb columns), with no title or header before it:
			// a long !vm pasted in pieces (an issue's comments each
			// hold as much as they may), the next piece starting in
			// the table.
			k.startVM()
			k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeMissing,
				"!vm's per-process commit table without its command, title or header (a piece of a longer paste): its rows are read, the figures above it are not in the capture")
			c.Source = k.pos()
			k.vmStats().AddProcessCommit(c)
			return scan.Parsed, true
		}
		return 0, false
	}
	if label, ok := vmWrappedRow(line); ok {
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeMissing,
			"!vm's %s is past 2^63: a figure below zero that the debugger printed unsigned (its parts add up to more than the whole); it is not used", label)
		return scan.Parsed, true
	}
	switch {
	case len(line) > 2 && line[0] == '*' && line[1] == '*':
		return k.vmWarning(line)
	case scan.HasPrefix(line, "Current:") || scan.HasPrefix(line, "Minimum:"):
		// The page file's sizes: "Current:   4193784 Kb  Free Space: ...".
		return scan.Parsed, bytes.Contains(line, []byte("Kb"))
	case scan.HasPrefix(line, "No Name for Paging File") || scan.HasPrefix(line, "Paging File Name paged out"),
		scan.HasPrefix(line, "Syspart SharedCommit"):
		return scan.Parsed, true
	case scan.HasPrefix(line, "Pid ") && bytes.Contains(line, []byte("ImageName")):
		return scan.Parsed, true // the header of the per-process table
	case bytes.Contains(line, []byte("Unable to get")) || bytes.Contains(line, []byte("could not be calculated")) ||
		bytes.Contains(line, []byte("Error reading")) || scan.HasPrefix(line, "Unimplemented error for"):
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeMissing, "the debugger could not read part of !vm's figures: %s", scan.QuoteLine(line))
		return scan.Parsed, true
	}
	if c, ok := commitRow(line); ok {
		c.Source = k.pos()
		k.vmStats().AddProcessCommit(c)
		return scan.Parsed, true
	}
	return 0, false
}

// vmLabels are the rows only `!vm` prints, by which its output is known
// when a capture shows it without the command.
var vmLabels = map[string]bool{
	"Physical Memory": true, "Available Pages": true, "ResAvail Pages": true, "Locked IO Pages": true,
	"Free System PTEs": true, "Available System PTEs": true, "Free NP PTEs": true, "Free Special NP": true,
	"Modified PF Pages": true, "Modified No Write Pages": true,
	"NonPagedPool Usage": true, "NonPagedPoolNx Usage": true, "NonPagedPool Max": true,
	"PagedPool Usage": true, "PagedPool Maximum": true, "PagedPool Commit": true, "NonPagedPool Commit": true,
	"Shared Commit": true, "Shared Process": true, "Driver Commit": true, "Boot Commit": true,
	"Processor Commit": true, "Session Commit": true, "Sum System Commit": true, "Misc/Transient Commit": true,
	"Committed pages": true, "Commit limit": true, "Total Private": true,
}

// vmRow reads a figure row, "Label:   pages   (   kb Kb)", and returns
// the label with its blanks collapsed ("PagedPool  0" is "PagedPool 0").
func vmRow(line []byte) (label string, pages, kb int64, ok bool) {
	c := bytes.IndexByte(line, ':')
	if c <= 0 || c > 48 {
		return "", 0, 0, false
	}
	rest := line[c+1:]
	if pages, rest, ok = leadingDec(rest); !ok {
		return "", 0, 0, false
	}
	rest = scan.TrimSpace(rest)
	if len(rest) == 0 || rest[0] != '(' {
		return "", 0, 0, false
	}
	if kb, rest, ok = leadingDec(rest[1:]); !ok {
		return "", 0, 0, false
	}
	rest = scan.TrimSpace(rest)
	if !scan.HasPrefixFold(rest, "kb") {
		return "", 0, 0, false
	}
	if rest = scan.TrimSpace(rest[2:]); len(rest) == 0 || rest[0] != ')' || !vmAnnotation(rest[1:]) {
		return "", 0, 0, false
	}
	var b strings.Builder
	for i, w := range bytes.Fields(line[:c]) {
		for _, ch := range w {
			if !(isLetter(ch) || scan.IsDigit(ch) || ch == '/' || ch == '_' || ch == '-') {
				return "", 0, 0, false
			}
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(w)
	}
	if b.Len() == 0 {
		return "", 0, 0, false
	}
	return b.String(), pages, kb, true
}

// vmAnnotation reports whether what follows a row's closing parenthesis
// may be dropped: nothing, or a note the person who pasted the output set
// apart by a column of blanks ("NonPagedPool Usage: 31369 ( 125476 Kb)
// <-- very high"). kd prints nothing there; text one blank away is taken
// for a joined line, not a note, and the row is not read.
func vmAnnotation(b []byte) bool {
	if len(scan.TrimSpace(b)) == 0 {
		return true
	}
	return len(b) > 2 && (b[0] == '\t' || b[0] == ' ' && (b[1] == ' ' || b[1] == '\t'))
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// leadingDec reads the decimal number at the start of b, after blanks.
func leadingDec(b []byte) (int64, []byte, bool) {
	b = scan.TrimSpace(b)
	i := 0
	for i < len(b) && scan.IsDigit(b[i]) {
		i++
	}
	v, ok := scan.ParseDec(b[:i])
	return v, b[i:], ok
}

// vmFigure records the figures of one row.
func (k *kdReader) vmFigure(label string, pages, kb int64) {
	m := &k.mem
	v := k.vmStats()
	set := func(p **int64, n int64) { *p = &n }
	switch strings.ToLower(label) {
	case "physical memory":
		set(&v.PhysicalKB, kb)
		m.physKB = kb
	case "available pages":
		set(&v.AvailableKB, kb)
	case "committed pages":
		set(&v.CommitKB, kb)
	case "commit limit":
		set(&v.CommitLimitKB, kb)
	case "nonpagedpool usage":
		m.np = kb
		k.vmNonPaged(v, kb+max(m.nx, 0))
	case "nonpagedpoolnx usage":
		m.nx = kb
		k.vmNonPaged(v, kb+max(m.np, 0))
	case "nonpagedpool max", "nonpagedpool maximum":
		set(&v.NonPagedPoolMaxKB, kb)
	case "pagedpool usage":
		set(&v.PagedPoolKB, kb)
	case "pagedpool maximum", "pagedpool max":
		set(&v.PagedPoolMaxKB, kb)
	case "free system ptes", "available system ptes":
		set(&v.FreeSystemPTEs, pages)
	}
}

// vmNonPaged records the nonpaged pool in use, unless it exceeds the
// physical memory the same output printed before it: nonpaged pool is never paged out, so
// such a figure is one the debugger misread (its symbols do not match the
// kernel: "Unimplemented error for MiSystemVaTypeCount" comes with it),
// and is left unknown rather than taken for exhaustion.
func (k *kdReader) vmNonPaged(v *facts.VM, kb int64) {
	m := &k.mem
	if m.npImplausible {
		return
	}
	if m.physKB > 0 && kb > m.physKB {
		m.npImplausible = true
		v.NonPagedPoolKB = nil
		k.log.Diag(k.lineNo, facts.SevWarning, facts.CodeMissing,
			"!vm's nonpaged pool in use, %d KB, exceeds physical memory (%d KB): nonpaged pool stays in memory, so the debugger misread the figure (symbols that do not match the kernel); it and the debugger's warning about it are not used",
			kb, m.physKB)
		return
	}
	v.NonPagedPoolKB = &kb
}

// vmWarning reads the debugger's starred warnings:
//
//	********** 3 pool allocations have failed **********
//	********** Excessive NonPaged Pool Usage *****
//	************ NO PAGING FILE *********************
func (k *kdReader) vmWarning(line []byte) (scan.LineKind, bool) {
	msg := scan.TrimSpace(bytes.Trim(line, "*"))
	if len(msg) == 0 || line[len(line)-1] != '*' {
		return 0, false
	}
	v := k.vmStats()
	if n, rest, ok := leadingDec(msg); ok {
		switch string(scan.TrimSpace(rest)) {
		case "pool allocations have failed":
			v.PoolFailures = n
			return scan.Parsed, true
		case "system PTE allocations have failed":
			v.PTEFailures = n
			return scan.Parsed, true
		case "commit requests have failed":
			v.CommitFailures = n
			return scan.Parsed, true
		}
	}
	if k.mem.npImplausible && scan.ContainsFold(msg, "nonpaged pool usage") {
		// The debugger's judgement of the figure vmNonPaged rejected.
		return scan.Parsed, true
	}
	v.AddWarning(string(msg))
	return scan.Parsed, true
}

// commitRow reads a row of the per-process commit table, in the layout
// before Windows 8, "0c1c notepad.exe   123 (   492 Kb)" (pages, then
// KB), or after it, "6b4 chrome.exe   88540 Kb   0 Kb   0 Kb" (commit,
// shared commit, debt). Image names may hold blanks ("Secure System").
func commitRow(line []byte) (facts.ProcessCommit, bool) {
	var c facts.ProcessCommit
	if !scan.IsHexDigit(line[0]) {
		return c, false
	}
	var toks [][]byte
	for _, t := range bytes.Fields(line) {
		if t = bytes.Trim(t, "()"); len(t) > 0 {
			toks = append(toks, t)
		}
	}
	n := len(toks)
	kbAt := func(i int) bool { return i > 0 && i < n && bytes.EqualFold(toks[i], []byte("Kb")) }
	var commit, nameEnd int
	switch {
	case bytes.IndexByte(line, '(') >= 0 && n >= 5 && kbAt(n-1):
		commit, nameEnd = n-2, n-3
		if _, ok := scan.ParseDec(toks[n-3]); !ok {
			return c, false
		}
	case n >= 8 && kbAt(n-1) && kbAt(n-3) && kbAt(n-5):
		commit, nameEnd = n-6, n-6
		for _, i := range []int{n - 2, n - 4} {
			if _, ok := scan.ParseDec(toks[i]); !ok {
				return c, false
			}
		}
	default:
		return c, false
	}
	kb, ok := scan.ParseDec(toks[commit])
	if !ok || len(toks[0]) > 8 || nameEnd < 2 {
		return c, false
	}
	pid, ok := scan.ParseHex(toks[0])
	if !ok {
		return c, false
	}
	c.PID, c.CommitKB, c.Image = pid, kb, string(bytes.Join(toks[1:nameEnd], []byte(" ")))
	return c, true
}
