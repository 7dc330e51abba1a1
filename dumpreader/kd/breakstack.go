package kd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A stop breaks into the debugger on the thread that hit the verifier's
// check, and the author, told to "use kb", pastes that thread's stack:
//
//	0:000> kb
//	 # ChildEBP RetAddr  Args to Child
//	00 0019f4c8 6eee2b1c 0000a00b 6ef01b70 000003e9 vrfcore!VerifierStopMessageEx+0x4bd
//	01 0019f520 6e9a45a1 0019f5d8 00000000 0019f5c0 vfprint!AVrfpOpenPrinterW+0x71
//	02 0019f5f0 00a42210 00c3e8a8 00000001 00000000 FabrikamLabels!LabelSpool::OpenQueue+0x9e
//
// Past the verifier's own frames is the code that made the call the stop
// is about: for A00B the one that opened a printer handle too many, for a
// leak stop the one that unloaded the DLL or ended the process. The stack
// is the stop's BreakFrames, which name its component where no dps of its
// stack trace parameter (nor !htrace) gives the stack that opened the
// handle. Only a k run while the debuggee still stands at the stop's
// break-in is its stack: a command that lets it run or moves to another
// thread or context ends that.
//
// The layouts read are k, kb, kn, kv, kp and their mixes, x86 (ChildEBP
// RetAddr, three Args to Child) and x64 (Child-SP RetAddr, kb's Args to
// Child between colons), with or without the frame numbers of n, with
// inline frames ("(Inline Function) --------`--------"), kp's parameters
// and source lines, and kv's FPO notes.

// breakStop is the stop the debuggee stands at, whose break-in a k shows.
type breakStop struct {
	pb   *facts.ProcessBuilder // nil when there is none
	stop int                   // index in pb.P.VerifierStops
	// reading says the output of a k at the stop is being read.
	reading bool
}

// stopStackCommand notes the command text: a k at the stop's break-in
// starts reading its stack; a command that runs the debuggee or changes
// the thread or context forgets the stop.
func (k *kdReader) stopStackCommand(text []byte) {
	k.brk.reading = false
	f := strings.Fields(string(text))
	if len(f) == 0 {
		return
	}
	verb := f[0]
	if leavesBreakIn(strings.ToLower(verb)) {
		k.brk.pb = nil
		return
	}
	if k.brk.pb == nil || !isStackVerb(verb) || strings.Contains(string(text), "=") {
		return
	}
	if s := &k.brk.pb.P.VerifierStops[k.brk.stop]; len(s.BreakFrames) == 0 {
		k.brk.reading = true
	}
}

// isStackVerb recognizes the stack trace commands: k with its options
// (b, c, n, p, P, v, f, L in any mix).
func isStackVerb(verb string) bool {
	if len(verb) == 0 || verb[0] != 'k' || len(verb) > 6 {
		return false
	}
	for _, c := range verb[1:] {
		if !strings.ContainsRune("bcnpPvfL", c) {
			return false
		}
	}
	return true
}

// leavesBreakIn reports whether verb lets the debuggee run or moves the
// debugger to another thread or context, after which a k shows no stop's
// break-in.
func leavesBreakIn(verb string) bool {
	switch verb {
	case "g", "gc", "gh", "gn", "gu", "p", "pa", "pc", "pt", "t", "ta", "tc", "tt", "wt",
		"q", "qd", "qq", ".detach", ".kill", ".restart", ".thread", ".cxr", ".ecxr", ".trap", ".process", ".context":
		return true
	}
	// ~Ns and ~~[tid]s switch threads.
	return strings.HasPrefix(verb, "~") && strings.HasSuffix(verb, "s")
}

// stopStackLine reads a frame of the stop's break-in stack; other lines
// of k's output (its header, warnings about symbols) are left to the
// reader, which ignores them.
func (k *kdReader) stopStackLine(line []byte) (scan.LineKind, bool) {
	if !k.brk.reading {
		return 0, false
	}
	frame, ok := stackRow(line)
	if !ok {
		return 0, false
	}
	if s := &k.brk.pb.P.VerifierStops[k.brk.stop]; len(s.BreakFrames) < maxStopFrames {
		s.BreakFrames = append(s.BreakFrames, frame)
	}
	return scan.Parsed, true
}

// isStackHeader recognizes the header of k's output: "Child-SP
// RetAddr Call Site", " # ChildEBP RetAddr  Args to Child", "Child-SP
// RetAddr : Args to Child : Call Site", or, where a tool dropped the
// first column, "RetAddr : Args to Child : Call Site".
func isStackHeader(line []byte) bool {
	f := bytes.Fields(line)
	if len(f) > 0 && string(f[0]) == "#" {
		f = f[1:]
	}
	switch {
	case len(f) >= 2 && (string(f[0]) == "Child-SP" || string(f[0]) == "ChildEBP") && string(f[1]) == "RetAddr":
	case len(f) >= 2 && string(f[0]) == "RetAddr" && string(f[1]) == ":":
	default:
		return false
	}
	return bytes.HasSuffix(line, []byte("Call Site")) || bytes.Contains(line, []byte("Args to Child"))
}

// stackLine reads k's header pasted without its command where no stop's
// break-in is being read, and the rows under it: a stack leakdiag has no
// use for (the thread of an exit, of a crash) but the debugger's, which
// names the text as its output. The header is read; its rows are counted as ignored, up to a
// blank line or the next command.
func (k *kdReader) stackLine(line []byte) (scan.LineKind, bool) {
	if k.cmdLine != 0 || k.details {
		// In a command's output (a k typed at a prompt, !vm's thread
		// stacks) or in !process's details, a stack is read or ignored
		// with the rest of it.
		return 0, false
	}
	if isStackHeader(line) {
		k.stackRows = true
		return scan.Parsed, true
	}
	if k.stackRows {
		if _, ok := stackRow(line); ok {
			return scan.Ignored, true
		}
	}
	return 0, false
}

// stackRow reads a row of k's output and returns its call site as a
// frame ("module!function+0xoff"), or false for any other line.
func stackRow(line []byte) (string, bool) {
	toks := bytes.Fields(line)
	i := 0
	if len(toks) > 2 && len(toks[0]) <= 4 && isHexToken(toks[0]) && (isStackAddr(toks[1]) || isInline(toks[1])) {
		i = 1 // the frame number of kn
	}
	switch {
	case i < len(toks) && isInline(toks[i]):
		// (Inline Function) --------`-------- or (Inline) --------
		for i < len(toks) && len(bytes.Trim(toks[i], "-`")) > 0 {
			i++
		}
		i++
	case i+1 < len(toks) && isStackAddr(toks[i]) && isStackAddr(toks[i+1]):
		i += 2 // ChildEBP or Child-SP, RetAddr
	case i+1 < len(toks) && isStackAddr(toks[i]) && string(toks[i+1]) == ":":
		i++ // RetAddr alone, before x64 kb's arguments
	default:
		return "", false
	}
	if i < len(toks) && string(toks[i]) == ":" {
		// x64 kb: the arguments, between colons.
		for i++; i < len(toks) && string(toks[i]) != ":"; i++ {
		}
		i++
	} else {
		// x86 kb: three arguments.
		for n := 0; n < 3 && i+1 < len(toks) && isStackAddr(toks[i]); n++ {
			i++
		}
	}
	if i >= len(toks) {
		return "", false
	}
	start := bytes.Index(line, toks[i])
	if start < 0 {
		return "", false
	}
	site := callSite(line[start:])
	if len(site) == 0 || isStackAddr(site) {
		return "", false
	}
	return frameText(site), true
}

// callSite returns the frame of a row's call site: the symbol and offset,
// without kp's parameters ("f(int a = 0n1)+0x9e" is "f+0x9e"), the
// source line kp and kn print after it or kv's notes ("(FPO: ...)").
func callSite(s []byte) []byte {
	open := bytes.IndexByte(s, '(')
	sp := bytes.IndexAny(s, " \t")
	if open <= 0 || sp >= 0 && sp < open {
		if sp >= 0 {
			return s[:sp]
		}
		return s
	}
	// kp: the parameters in parentheses, then the offset.
	depth := 0
	for j := open; j < len(s); j++ {
		switch s[j] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				rest := s[j+1:]
				off := rest
				if e := bytes.IndexAny(off, " \t"); e >= 0 {
					off = off[:e]
				}
				if !bytes.HasPrefix(off, []byte("+0x")) {
					off = nil
				}
				return append(append([]byte(nil), s[:open]...), off...)
			}
		}
	}
	return s[:open]
}

// isStackAddr recognizes a stack address or argument as k prints it: 8
// or 16 hex digits, or 8 and 8 parted by a backquote.
func isStackAddr(t []byte) bool {
	switch len(t) {
	case 8, 16:
		return isHexToken(t)
	case 17:
		return t[8] == '`' && isHexToken(t[:8]) && isHexToken(t[9:])
	}
	return false
}

func isHexToken(t []byte) bool {
	_, ok := scan.ParseHex(t)
	return ok && len(t) > 0
}

func isInline(t []byte) bool { return bytes.HasPrefix(t, []byte("(Inline")) }
