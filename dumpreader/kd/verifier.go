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
	if scan.HasPrefix(line, "VERIFIER STOP ") {
		k.endVerifier()
		k.endEntry()
		k.noise = true
		code, pid, msg, ok := parseVerifierStop(line)
		if !ok {
			return scan.Ignored, true
		}
		typ, leak := facts.IsVerifierHandleLeak(code)
		if !leak {
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
			stop:  &facts.VerifierStop{Code: code, Message: msg, Type: typ, Pos: k.pos()},
			owner: owner,
		}
		return scan.Parsed, true
	}
	v := &k.verifier
	if v.stop == nil {
		return 0, false
	}
	// "0000000000000808 : Value of the leaked handle." names the handle;
	// HKEY stops say "Value of the leaked HKEY.".
	value, rest, ok := bytes.Cut(line, []byte(" : "))
	if !ok {
		return 0, false
	}
	if bytes.HasPrefix(rest, []byte("Value of the leaked")) {
		if h, ok := scan.ParseNumber(string(scan.TrimSpace(value))); ok && v.stop.Handle == 0 {
			v.stop.Handle = h
		}
		return scan.Parsed, true
	}
	return scan.Ignored, true
}

// endVerifier records the stop being read, if any.
func (k *kdReader) endVerifier() {
	if v := &k.verifier; v.stop != nil {
		v.owner.AddVerifierStop(*v.stop)
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
