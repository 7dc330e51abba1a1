package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// `!analyze -v` of a verifier stop prints the stack of the thread that
// hit the stop under STACK_TEXT, in k's columns (x86: ChildEBP, RetAddr,
// three arguments; x64: Child-SP, RetAddr, the arguments between colons):
//
//	STACK_TEXT:
//	0046fb14 5d7c7085 5d7d0c28 00000901 00000000 vrfcore!VerifierStopMessageEx+0x57b
//	0046fb7c 012203d9 00000000 0046fba0 0046fbc4 FabrikamHook!Plugin::Unload+0x19
//
// It is the stack a k at the stop's break-in shows (breakstack.go): the
// stop's BreakFrames, which name its component where the author pasted
// no other stack. A k pasted after the analysis is the same thread's
// stack and is not read again.

// stackTextLine reads the STACK_TEXT of a leak stop's analysis: its
// heading starts it; its rows are the stop's BreakFrames; once a row was
// read, a line that is no row or follows a blank one ends it (a warning
// about the unwind may come before the first). It reports false for any
// line outside it.
func (k *kdReader) stackTextLine(line []byte) (scan.LineKind, bool) {
	v := &k.verifier
	if bytes.Equal(scan.TrimSpace(line), []byte("STACK_TEXT:")) {
		v.stackText = len(v.stop.BreakFrames) == 0
		v.stackRow = 0
		return scan.Parsed, true
	}
	if !v.stackText {
		return 0, false
	}
	if v.stackRow != 0 && k.lineNo != v.stackRow+1 {
		v.stackText = false
		return 0, false
	}
	frame, ok := stackRow(line)
	switch {
	case ok:
		if len(v.stop.BreakFrames) < maxStopFrames {
			v.stop.BreakFrames = append(v.stop.BreakFrames, frame)
		}
		v.stackRow = k.lineNo
		return scan.Parsed, true
	case v.stackRow != 0:
		v.stackText = false
	}
	return 0, false
}
