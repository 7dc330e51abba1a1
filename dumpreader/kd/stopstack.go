package kd

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A leak stop of Application Verifier gives, besides the handle, the
// address of the stack that opened it and, for a handle a DLL leaked as
// it was unloaded (901), the address of that DLL's name:
//
//	03BA0FE0 : Address to the allocation stack trace. Run dps <address> to view the allocation stack.
//	03BB1FE2 : Address of the owner dll name. Run du <address> to dump it.
//
// and an author who follows the advice pastes the answers:
//
//	0:000> dps 03BA0FE0
//	03ba0fe0  6d0b1a2c vfbasics!AVrfpCreateEventW+0x5c
//	03ba0fe4  1b2c3d4e contosohook!TelemetryQueue::Open+0x3a
//	0:000> du 03BB1FE2
//	03bb1fe2  "contosohook.dll"
//
// which are the stop's Frames and Owner: the code behind the leak.

// stopRef is a stop's parameter that a later dps or du may show.
type stopRef struct {
	addr  uint64
	owner bool // the owner DLL's name (du), else the stack (dps)
	pb    *facts.ProcessBuilder
	stop  int // index in pb.P.VerifierStops
}

// maxStopRefs bounds the parameters remembered: a capture of many stops
// keeps the first ones'.
const maxStopRefs = 64

// maxStopFrames bounds the frames a stop keeps, and maxOwnerName the
// length of an owner DLL's name (MAX_PATH): a longer one is no DLL's
// name and is not kept.
const (
	maxStopFrames = 64
	maxOwnerName  = 260
)

// stopDump is the dps or du of a stop's parameter being read.
type stopDump struct {
	ref *stopRef
	// done says a dps reached the stack's end (a zero), or that the
	// stop has what this dump shows already (the same dps or du pasted
	// twice): its lines are read, not added again.
	done bool
	// lines counts the dps lines read; header says the first was the
	// head of a stack trace record (see recordHeader).
	lines  int
	header bool
}

// stopParam notes a parameter of the stop being read that names its
// stack or its owner DLL's name by address.
func (v *verifierState) stopParam(value, meaning string) bool {
	m := strings.ToLower(meaning)
	var at *uint64
	switch {
	case strings.Contains(m, "stack trace"):
		at = &v.stackAddr
	case strings.Contains(m, "owner dll name"):
		at = &v.ownerAddr
	default:
		return false
	}
	if a, ok := scan.ParseNumber(strings.TrimSpace(value)); ok && a != 0 && *at == 0 {
		*at = a
	}
	return true
}

// rememberStopRefs keeps the addresses of the stop just recorded, the
// last of pb's stops, for a dps or du that shows them.
func (k *kdReader) rememberStopRefs(v *verifierState) {
	i := len(v.owner.P.VerifierStops) - 1
	for _, r := range []stopRef{{addr: v.stackAddr}, {addr: v.ownerAddr, owner: true}} {
		if r.addr != 0 && len(k.stopRefs) < maxStopRefs {
			r.pb, r.stop = v.owner, i
			k.stopRefs = append(k.stopRefs, r)
		}
	}
}

// stopDumpCommand starts reading a dps (dds, dqs) or du whose address is
// a stop's parameter; any other command ends the one being read.
func (k *kdReader) stopDumpCommand(text []byte) {
	k.stopDump = stopDump{}
	f := strings.Fields(string(text))
	if len(f) < 2 || len(k.stopRefs) == 0 {
		return
	}
	owner := strings.EqualFold(f[0], "du")
	if !owner && !isStackDump(f[0]) {
		return
	}
	a, ok := scan.ParseNumber(f[1])
	if !ok {
		return
	}
	for i := range k.stopRefs {
		if r := &k.stopRefs[i]; r.addr == a && r.owner == owner {
			stop := &r.pb.P.VerifierStops[r.stop]
			k.stopDump.ref = r
			k.stopDump.done = owner && stop.Owner != "" || !owner && len(stop.Frames) > 0
			return
		}
	}
}

// stopDumpLine reads a line of the dps or du of a stop's parameter:
// "03ba0fe4  1b2c3d4e contosohook!TelemetryQueue::Open+0x3a" (a frame;
// an address without a symbol is kept as such; a zero ends the stack)
// or `03bb1fe2  "contosohook.dll"` (the owner's name, continued on the
// next lines when long).
func (k *kdReader) stopDumpLine(line []byte) (scan.LineKind, bool) {
	d := &k.stopDump
	if d.ref == nil {
		return 0, false
	}
	addr, rest, ok := bytes.Cut(scan.TrimSpace(line), []byte(" "))
	if _, isAddr := scan.ParseHex(addr); !ok || !isAddr {
		return 0, false
	}
	rest = scan.TrimSpace(rest)
	stop := &d.ref.pb.P.VerifierStops[d.ref.stop]
	if d.ref.owner {
		name, ok := quotedText(rest)
		if !ok {
			return 0, false
		}
		switch {
		case d.done:
		case len(stop.Owner)+len(name) > maxOwnerName:
			// Cut, the name would name another DLL.
			d.done, stop.Owner = true, ""
			k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeCapped,
				"the owner DLL name du shows is longer than %d bytes: not kept", maxOwnerName)
		default:
			stop.Owner += name // a long name goes on over lines
		}
		return scan.Parsed, true
	}
	value, sym, _ := bytes.Cut(rest, []byte(" "))
	v, ok := scan.ParseHex(value)
	if !ok {
		return 0, false
	}
	sym = withoutSource(scan.TrimSpace(sym))
	if d.done || len(stop.Frames) >= maxStopFrames || d.recordHeader(v, sym) {
		return scan.Parsed, true
	}
	if frame, end := dumpFrame(v, sym); end {
		d.done = true
	} else {
		stop.Frames = append(stop.Frames, frame)
	}
	return scan.Parsed, true
}

// recordHeader reports whether a line of the dps of a stop's stack is
// the head of the stack trace record the stop's address points at, not a
// frame. Recent verifiers point at the record itself, whose first slot
// links it to the next record of its hash chain (zero) and whose second
// holds its use count, index and depth, neither with a symbol:
//
//	00000287`8b6a4f30  00000000`00000000
//	00000287`8b6a4f38  00100000`00009801
//	00000287`8b6a4f40  00007ffb`4277d10c contoso!StartWorker+0x19c
//
// The zero that ends a stack would otherwise end it before its first
// frame. Older ones point at the frames, which the first line shows.
func (d *stopDump) recordHeader(value uint64, sym []byte) bool {
	n := d.lines
	d.lines++
	switch {
	case n == 0 && value == 0 && len(sym) == 0:
		d.header = true
		return true
	case n == 1 && d.header && len(sym) == 0:
		return true
	}
	return false
}

// withoutSource drops the source file and line dps prints after a symbol
// once line numbers are loaded (.lines): "contoso!Open+0x3a
// [c:\src\open.c @ 205]" is the frame "contoso!Open+0x3a".
func withoutSource(sym []byte) []byte {
	if len(sym) == 0 || sym[len(sym)-1] != ']' {
		return sym
	}
	i := bytes.LastIndex(sym, []byte(" ["))
	if i <= 0 || !bytes.Contains(sym[i:], []byte(" @ ")) {
		return sym
	}
	return scan.TrimSpace(sym[:i])
}

// dumpFrame is a dps line's value and symbol as a stack frame: the
// symbol, or the value where the debugger had none; end is set for a
// zero without a symbol, which ends the stack.
func dumpFrame(value uint64, sym []byte) (frame string, end bool) {
	switch {
	case len(sym) > 0:
		return frameText(sym), false
	case value == 0:
		return "", true
	}
	return "0x" + strconv.FormatUint(value, 16), false
}

// isStackDump reports whether verb dumps memory as pointers with their
// symbols, as a stop's stack trace is shown.
func isStackDump(verb string) bool {
	switch strings.ToLower(verb) {
	case "dps", "dds", "dqs":
		return true
	}
	return false
}

// quotedText returns the text between the double quotes du prints.
func quotedText(s []byte) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	return string(s[1 : len(s)-1]), true
}

// flatStackDump reads the dps of the stop's stack that a page flattened
// onto the stop's line after its closing rule, as Application Verifier's
// documentation shows it: "0:000> dps 02946F50 02946f50 0243527a
// vfPrint!CItemTracker(void *)::Init+0x6a 02946f54 ... --------- this is
// the routine that is suspected ...". A frame is an address and a value,
// then the symbol's words up to the next address and value; a run of
// dashes ends the dump (the author's comment follows).
func (v *verifierState) flatStackDump(words []string) {
	if len(words) < 3 || !strings.HasSuffix(words[0], ">") || !isStackDump(words[1]) || v.stackAddr == 0 {
		return
	}
	if a, ok := scan.ParseNumber(words[2]); !ok || a != v.stackAddr {
		return
	}
	pair := func(i int) bool { return i+1 < len(words) && isParamValue(words[i]) && isParamValue(words[i+1]) }
	for i := 3; pair(i) && len(v.stop.Frames) < maxStopFrames; {
		value := words[i+1]
		j := i + 2
		for j < len(words) && !pair(j) && strings.Trim(words[j], "-") != "" {
			j++
		}
		val, _ := scan.ParseHexString(value)
		frame, end := dumpFrame(val, []byte(strings.Join(words[i+2:j], " ")))
		if end {
			return
		}
		v.stop.Frames = append(v.stop.Frames, frame)
		i = j
	}
}
