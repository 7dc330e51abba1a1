package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// The debugger sums up the bugcheck of a kernel dump when it opens it,
// and `!analyze` without -v ends with the same lines:
//
//	Use !analyze -v to get detailed debugging information.
//
//	BugCheck C4, {62, 9707712c, 9c1faf70, 3}
//
//	Probably caused by : MyDriver.sys ( MyDriver!DeviceControlDispatch+4c )
//
//	Followup: MachineOwner
//
// The code and parameters are the bugcheck's, as the break-in's "***
// Fatal System Error" line gives them; the module "Probably caused by"
// names is the analysis's verdict, its IMAGE_NAME.

// bugcheckSummaryPrefix starts the line that sums up a bugcheck.
const bugcheckSummaryPrefix = "BugCheck "

// bugcheckSummary reads "BugCheck C4, {62, 9707712c, 9c1faf70, 3}": a
// bugcheck, with its first and fourth parameters, is being read.
func (k *kdReader) bugcheckSummary(line []byte) bool {
	code, p1, p4, ok := parseBugcheckSummary(line)
	if !ok {
		return false
	}
	k.endBugcheck()
	bc := &k.bc
	bc.active, bc.line, bc.code = true, k.lineNo, code
	bc.p1, bc.p4, bc.haveP1, bc.haveP4 = p1, p4, true, true
	return true
}

// parseBugcheckSummary parses "BugCheck C4, {62, 9707712c, 9c1faf70,
// 3}", numbers in hex without 0x (or with it).
func parseBugcheckSummary(line []byte) (code, p1, p4 uint64, ok bool) {
	rest, found := bytes.CutPrefix(scan.TrimSpace(line), []byte(bugcheckSummaryPrefix))
	if !found {
		return 0, 0, 0, false
	}
	codeText, params, found := bytes.Cut(rest, []byte(", {"))
	if !found || !bytes.HasSuffix(params, []byte("}")) {
		return 0, 0, 0, false
	}
	if code, ok = parseHexArg(codeText); !ok {
		return 0, 0, 0, false
	}
	args := bytes.Split(params[:len(params)-1], []byte(","))
	if len(args) != 4 {
		return 0, 0, 0, false
	}
	var vals [4]uint64
	for i, a := range args {
		if vals[i], ok = parseHexArg(a); !ok {
			return 0, 0, 0, false
		}
	}
	return code, vals[0], vals[3], true
}

// parseHexArg parses a parameter as the summary prints it: a debugger
// number, hex without 0x.
func parseHexArg(b []byte) (uint64, bool) { return scan.ParseNumber(string(scan.TrimSpace(b))) }

// probablyCausedBy reads "Probably caused by : MyDriver.sys (
// MyDriver!DeviceControlDispatch+4c )" under a bugcheck being read: the
// module the analysis blames, as its IMAGE_NAME gives it.
func (k *kdReader) probablyCausedBy(line []byte) bool {
	rest, found := bytes.CutPrefix(scan.TrimSpace(line), []byte("Probably caused by"))
	if !found {
		return false
	}
	rest = scan.TrimSpace(bytes.TrimLeft(scan.TrimSpace(rest), ":"))
	f := bytes.Fields(rest)
	if len(f) == 0 {
		return false
	}
	if k.bc.image == "" && bytes.IndexByte(f[0], '.') > 0 {
		k.bc.image = string(f[0])
	}
	return true
}
