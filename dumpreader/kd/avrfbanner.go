package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Application Verifier, enabled for a program (appverif -enable Handles
// -for contoso.exe), says so in the debugger as the program starts,
// before the initial break-in:
//
//	AVRF: contoso.exe: pid 0x2A10: flags 0x80643027: application verifier enabled
//	Page heap: pid 0x2A10: page heap enabled with flags 0x3.
//	AVRF: verifier.dll provider initialized for contoso.exe with flags 0x80643027
//
// The first names the process the verifier's stops will name by pid
// alone: its image is the debuggee's. The others are chatter.

// avrfEnabledPrefix starts the line that names the verified process.
const avrfEnabledPrefix = "AVRF: "

// avrfEnabled reads "AVRF: contoso.exe: pid 0x2A10: flags ...:
// application verifier enabled": the image and the pid.
func avrfEnabled(line []byte) (image string, pid uint64, ok bool) {
	rest, ok := bytes.CutPrefix(line, []byte(avrfEnabledPrefix))
	if !ok || !bytes.HasSuffix(rest, []byte(": application verifier enabled")) {
		return "", 0, false
	}
	name, rest, ok := bytes.Cut(rest, []byte(": pid "))
	if !ok || len(name) == 0 || len(name) > 260 || bytes.ContainsAny(name, ":\t") {
		return "", 0, false
	}
	num, _, _ := bytes.Cut(rest, []byte(":"))
	pid, ok = scan.ParseNumber(string(scan.TrimSpace(num)))
	if !ok || pid == 0 {
		return "", 0, false
	}
	return string(name), pid, true
}

// verifierBanner reads the lines Application Verifier prints as the
// verified program starts: the one that names it gives the process of
// that pid its image, the others are ignored.
func (k *kdReader) verifierBanner(line []byte) (scan.LineKind, bool) {
	if image, pid, ok := avrfEnabled(line); ok {
		p := k.b.Debuggee(k.pos())
		switch {
		case p.P.PID == 0:
			p.P.PID = pid
		case p.P.PID != pid:
			p = k.b.ProcessByPID(pid, k.pos())
		}
		if p.P.Image == "" {
			p.P.Image = image
		}
		return scan.Parsed, true
	}
	if scan.HasPrefix(line, "AVRF: verifier.dll provider initialized for ") ||
		scan.HasPrefix(line, "Page heap: pid ") && bytes.Contains(line, []byte("page heap enabled")) {
		return scan.Ignored, true
	}
	return 0, false
}
