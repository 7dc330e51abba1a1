package kd

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// verifierState is the Application Verifier stop being read.
type verifierState struct {
	// stop is the stop being read when it reports a leaked handle, nil
	// otherwise; owner is its process.
	stop  *facts.VerifierStop
	owner *facts.ProcessBuilder
	// msgLine is the line the stop's message ends on so far: a line
	// under it without parameters continues it.
	msgLine int64
	// wraps counts the lines the message was continued on.
	wraps int
	// stackAddr and ownerAddr are the addresses of the stop's stack and
	// of its owner DLL's name, 0 when it gives none (stopstack.go).
	stackAddr, ownerAddr uint64
	// analyzed says the stop is `!analyze -v`'s ("APPLICATION_VERIFIER_
	// LEAK_HANDLE (901)"), whose next line is its message and whose
	// parameters are "Arg1: value, meaning" lines.
	analyzed bool
	// stackText says the analysis's STACK_TEXT is being read
	// (stacktext.go), and stackRow is the line of its last row read, 0
	// before the first.
	stackText bool
	stackRow  int64
	// recorded says stop is one recorded already, the break-in an
	// `!analyze -v` analyses: it is completed, not added again.
	recorded bool
}

// verifierLine reads an Application Verifier stop:
//
//	VERIFIER STOP 0000000000000901: pid 0x4D38: A HANDLE was leaked.
//		0000000000000808 : Value of the leaked handle. Run !htrace <handle> ...
//		0000000D6AC92360 : Address to the allocation stack trace. ...
//
// A stop that reports a leaked handle is recorded on its process; the
// rest of the stop's block (its other parameters, the "continuable"
// notes) is debugger chatter, ignored until the next prompt.
func (k *kdReader) verifierLine(line []byte) (scan.LineKind, bool) {
	if scan.HasPrefix(line, analyzedStopPrefix) {
		if code, ok := bugcheckTitle(line); ok {
			return k.analyzedStop(line, strconv.FormatUint(code, 16)), true
		}
	}
	if stop, ok := ruledStop(line); ok {
		line = stop
	}
	if scan.HasPrefix(line, "VERIFIER STOP ") {
		k.endVerifier()
		k.endEntry()
		k.noise = true
		code, pid, msg, ok := parseVerifierStop(line)
		if !ok {
			return scan.Ignored, true
		}
		msg, inline, after := splitInlineParams(msg)
		typ, leak := facts.IsVerifierHandleLeak(code)
		if _, tooMany := facts.IsVerifierTooManyHandles(code); !leak && !tooMany {
			k.otherStop(code, msg)
			return scan.Parsed, true
		}
		owner := k.b.Debuggee(k.pos())
		switch {
		case owner.P.PID == 0:
			owner.P.PID = pid
		case owner.P.PID != pid:
			owner = k.b.ProcessByPID(pid, k.pos())
		}
		k.verifier = verifierState{
			stop:    &facts.VerifierStop{Code: code, Message: msg, Type: typ, Pos: k.pos()},
			owner:   owner,
			msgLine: k.lineNo,
		}
		for _, p := range inline {
			if h, ok := leakedHandleParam(p.value, p.meaning); ok && k.verifier.stop.Handle == 0 {
				k.verifier.stop.Handle = h
			}
			k.verifier.openCount(p.value, p.meaning)
			k.verifier.stopParam(p.value, p.meaning)
		}
		k.verifier.flatStackDump(after)
		if len(inline) > 0 {
			k.verifier.msgLine = 0 // the parameters follow the message on its line
		}
		return scan.Parsed, true
	}
	v := &k.verifier
	if v.stop == nil {
		return 0, false
	}
	if v.analyzed {
		return k.analyzedStopLine(line)
	}
	// "0000000000000808 : Value of the leaked handle." names the handle;
	// HKEY stops say "Value of the leaked HKEY.", PrintAPI stops
	// "03320FE8 : PrintTicket provider handle being leaked.".
	value, rest, ok := bytes.Cut(line, []byte(" : "))
	if !ok {
		if v.msgLine == k.lineNo-1 && len(line) <= maxStopWrap && v.wraps < maxStopWraps {
			// The stop's message, wrapped by a page onto the line under
			// it ("Leaked PrintTicket provider" / "handle detected").
			v.stop.Message += " " + string(line)
			v.msgLine = k.lineNo
			v.wraps++
			return scan.Parsed, true
		}
		return 0, false
	}
	if h, ok := leakedHandleParam(string(scan.TrimSpace(value)), string(rest)); ok {
		if v.stop.Handle == 0 {
			v.stop.Handle = h
		}
		return scan.Parsed, true
	}
	if v.openCount(string(value), string(rest)) || v.stopParam(string(value), string(rest)) {
		return scan.Parsed, true
	}
	return scan.Ignored, true
}

// leakedHandleParam reads a stop's parameter that names the leaked
// handle: "0000000000000808 : Value of the leaked handle.", HKEY stops'
// "Value of the leaked HKEY.", PrintAPI stops' "03320FE8 : PrintTicket
// provider handle being leaked.".
func leakedHandleParam(value, meaning string) (uint64, bool) {
	if !strings.HasPrefix(meaning, "Value of the leaked") && !strings.Contains(meaning, "handle being leaked") {
		return 0, false
	}
	return scan.ParseNumber(value)
}

// openCount reads the parameter of a stop that warns of too many open
// handles that counts them: "000003EB : Number of currently open printer
// handles." (A00B; A00D and A013 say "opened"), and says whether it was
// one.
func (v *verifierState) openCount(value, meaning string) bool {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(meaning)), "number of currently open") {
		return false
	}
	// A process holds 2^24 handles at most: a count past 2^32 is no count.
	if n, ok := scan.ParseHexString(strings.TrimSpace(value)); ok && n < 1<<32 && v.stop.Open == 0 {
		v.stop.Open = n
	}
	return true
}

// ruledStop returns the stop a page flattened onto one line with the rule
// of '=' the debugger prints above it ("======= VERIFIER STOP 0000A001 :
// pid 0x13E4: ..."), false for any other line.
func ruledStop(line []byte) ([]byte, bool) {
	i := bytes.Index(line, []byte("VERIFIER STOP "))
	if i <= 0 || len(bytes.Trim(line[:i], "= ")) > 0 || !bytes.Contains(line[:i], []byte("===")) {
		return nil, false
	}
	return line[i:], true
}

// inlineParam is a stop parameter a flattened stop carries on its first
// line: its value and what the verifier says it is.
type inlineParam struct{ value, meaning string }

// maxInlineParams bounds the parameters read from one flattened stop; a
// stop has four.
const maxInlineParams = 8

// maxMeaningWords bounds the words of a flattened parameter's meaning
// kept: the verifier's are sentences of twenty words or so, and the
// words past them (a line of a million) are not what the parameter is.
const maxMeaningWords = 64

// splitInlineParams cuts a stop's message from the parameters a flattened
// page put after it ("Leaked printer change notification handle detected
// 00000040 : Printer change notification handle being leaked. 02946F50 :
// Initialization stack trace. ... =======") and returns both, and the
// words after the rule that ends the stop (after); a message without
// parameters is returned whole.
func splitInlineParams(msg string) (_ string, _ []inlineParam, after []string) {
	f := strings.Fields(msg)
	var params []inlineParam
	var words [maxInlineParams][]string // each parameter's meaning
	head := len(f)
	cur := -1
	for i := 0; i < len(f); i++ {
		if strings.Trim(f[i], "=") == "" && len(f[i]) >= 3 {
			after = f[i+1:] // the rule under the stop: what follows is not the stop's
			break
		}
		if i+1 < len(f) && f[i+1] == ":" && isParamValue(f[i]) && len(params) < maxInlineParams {
			if cur < 0 {
				head = i
			}
			params = append(params, inlineParam{value: f[i]})
			cur = len(params) - 1
			i++
			continue
		}
		if cur >= 0 && len(words[cur]) < maxMeaningWords {
			words[cur] = append(words[cur], f[i])
		}
	}
	if len(params) == 0 {
		return msg, nil, after
	}
	for i := range params {
		params[i].meaning = strings.Join(words[i], " ")
	}
	return strings.Join(f[:head], " "), params, after
}

// isParamValue recognizes a stop parameter's value: 8 or 16 hex digits.
func isParamValue(s string) bool {
	if len(s) != 8 && len(s) != 16 {
		return false
	}
	_, ok := scan.ParseHex([]byte(s))
	return ok
}

// maxStopWrap bounds the length of a line read as the rest of a stop's
// wrapped message, and maxStopWraps the lines: a page wraps a message of
// a line or two (the longest verifier messages are under 200 bytes);
// without a bound, each line of a long run of short ones copied the
// message so far, a time growing with the square of the run.
const (
	maxStopWrap  = 120
	maxStopWraps = 4
)

// otherStop notes a verifier stop that reports no leaked handle (an
// invalid handle, a heap leak, a use of a closed printer handle): its block is
// ignored, and one diagnostic per stop code says so, where the capture
// was silent about it.
func (k *kdReader) otherStop(code, msg string) {
	if k.stopsNoted == nil {
		k.stopsNoted = map[string]bool{}
	}
	if k.stopsNoted[code] || len(k.stopsNoted) >= maxStopsNoted {
		return
	}
	k.stopsNoted[code] = true
	k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeIgnoredCommand,
		"verifier stop %s (%q) reports no leaked handle: leakdiag reads the stops that do (901, 902, and the printer handle stops a000, a001, a012) and the warnings of too many open print handles (a00b, a00d, a013); its block is ignored", code, msg)
}

// maxStopsNoted bounds the stop codes otherStop names.
const maxStopsNoted = 32

// endVerifier records the stop being read, if any.
func (k *kdReader) endVerifier() {
	if v := &k.verifier; v.stop != nil && v.recorded {
		*v = verifierState{} // completed in place; the debuggee stands at it still
		return
	}
	if v := &k.verifier; v.stop != nil {
		v.owner.AddVerifierStop(*v.stop)
		k.rememberStopRefs(v)
		k.brk = breakStop{pb: v.owner, stop: len(v.owner.P.VerifierStops) - 1}
		*v = verifierState{}
	}
}

// parseVerifierStop reads "VERIFIER STOP 0000000000000901: pid 0x4D38: A
// HANDLE was leaked.".
func parseVerifierStop(line []byte) (code string, pid uint64, msg string, ok bool) {
	parts := strings.SplitN(string(line[len("VERIFIER STOP "):]), ":", 3)
	if len(parts) != 3 {
		return "", 0, "", false
	}
	c, err := strconv.ParseUint(strings.TrimSpace(parts[0]), 16, 64)
	if err != nil {
		return "", 0, "", false
	}
	p := strings.TrimSpace(parts[1])
	if !strings.HasPrefix(strings.ToLower(p), "pid ") {
		return "", 0, "", false
	}
	pid, ok = scan.ParseNumber(strings.ToLower(strings.TrimSpace(p[4:])))
	if !ok {
		return "", 0, "", false
	}
	return strconv.FormatUint(c, 16), pid, strings.TrimSpace(parts[2]), true
}

// analyzedStopPrefix starts the name `!analyze -v` gives an Application
// Verifier stop, the first line of its analysis:
//
//	APPLICATION_VERIFIER_LEAK_HANDLE (901)
//	A HANDLE was leaked.
//	...
//	Arguments:
//	Arg1: 00000000000001e4, Value of the leaked handle. Run !htrace ...
//
// The stop's code is the one "VERIFIER STOP" lines print; the analysis
// names no pid (the stop is the debuggee's).
const analyzedStopPrefix = "APPLICATION_VERIFIER_"

// analyzedStop starts reading the stop `!analyze -v` names on line, with
// code its code in hex. A stop that is no handle leak (a NULL or invalid
// handle, a heap leak) is read and kept nowhere; of a leak stop's analysis
// its message, arguments, image and STACK_TEXT are read, the rest (its
// buckets) is debugger chatter, ignored until the next prompt. The
// analysis of the stop the debuggee broke in at (its "VERIFIER STOP" block
// pasted above) completes that stop: one stop, not two.
func (k *kdReader) analyzedStop(line []byte, code string) scan.LineKind {
	k.endVerifier()
	k.endEntry()
	k.noise = true
	typ, leak := facts.IsVerifierHandleLeak(code)
	_, tooMany := facts.IsVerifierTooManyHandles(code)
	name, _, _ := bytes.Cut(line, []byte(" ("))
	if !leak && !tooMany {
		k.otherStop(code, string(name))
		return scan.Parsed
	}
	if b := k.brk; b.pb != nil && b.stop < len(b.pb.P.VerifierStops) && b.pb.P.VerifierStops[b.stop].Code == code {
		// The debuggee still stands at the break-in of a stop of this
		// code: the analysis is that stop's, which it completes.
		k.verifier = verifierState{stop: &b.pb.P.VerifierStops[b.stop], owner: b.pb, analyzed: true, recorded: true}
		return scan.Parsed
	}
	k.verifier = verifierState{
		stop:     &facts.VerifierStop{Code: code, Message: string(name), Type: typ, Pos: k.pos()},
		owner:    k.b.Debuggee(k.pos()),
		analyzed: true,
	}
	return scan.Parsed
}

// analyzedStopLine reads a line of a leak stop's analysis: the verifier's
// message under the stop's name ("A HANDLE was leaked."), which replaces
// the name, the argument that holds the leaked handle ("Arg1:
// 00000000000001e4, Value of the leaked handle.") and the debuggee's image
// ("PROCESS_NAME:  contoso.exe") and the stack under STACK_TEXT. Other
// lines are for the chatter the stop ends in.
func (k *kdReader) analyzedStopLine(line []byte) (scan.LineKind, bool) {
	s := k.verifier.stop
	if kind, ok := k.stackTextLine(line); ok {
		return kind, true
	}
	if name, ok := bytes.CutPrefix(line, []byte("PROCESS_NAME:")); ok {
		if name = scan.TrimSpace(name); len(name) > 0 && bytes.IndexByte(name, ' ') < 0 {
			k.verifier.owner.SetImage(string(name), k.pos())
			return scan.Parsed, true
		}
	}
	if arg, ok := analyzeArg(line); ok {
		value, meaning, _ := bytes.Cut(arg, []byte(","))
		if bytes.HasPrefix(scan.TrimSpace(meaning), []byte("Value of the leaked")) && s.Handle == 0 {
			if h, ok := scan.ParseHex(scan.TrimSpace(value)); ok {
				s.Handle = h
			}
		}
		if !k.verifier.openCount(string(value), string(meaning)) {
			k.verifier.stopParam(string(value), string(meaning))
		}
		return scan.Parsed, true
	}
	if s.Pos.Line == k.lineNo-1 && scan.HasPrefix(line, "A ") && bytes.HasSuffix(line, []byte(".")) {
		s.Message = string(line)
		return scan.Parsed, true
	}
	return 0, false
}

// analyzeArg returns what follows "ArgN:" on a line of `!analyze -v`'s
// arguments.
func analyzeArg(line []byte) ([]byte, bool) {
	if len(line) < 5 || !scan.HasPrefix(line, "Arg") || !scan.IsDigit(line[3]) || line[4] != ':' {
		return nil, false
	}
	return line[5:], true
}
