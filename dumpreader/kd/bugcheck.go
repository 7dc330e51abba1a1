package kd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// bugcheckState is what `!analyze -v` says of the bugcheck, read for one
// verdict: Driver Verifier's bugcheck 0xC4 with parameter 1 0x60 or 0x62,
// a driver that unloaded without freeing its pool allocations. The rest of
// the analysis is not read.
type bugcheckState struct {
	active bool
	line   int64
	code   uint64 // "DRIVER_VERIFIER_DETECTED_VIOLATION (c4)", "BUGCHECK_CODE:  c4"
	p1, p4 uint64 // "Arg1: 00000062, ...", "BUGCHECK_P1: 62"
	haveP1 bool
	haveP4 bool
	image  string // "IMAGE_NAME:  Sample.sys"
	// bucketImage is the driver the analysis's failure bucket names,
	// "FAILURE_BUCKET_ID:  0xc4_62_VRF_LEAKED_POOL_IMAGE_Sample.sys",
	// taken where no IMAGE_NAME is.
	bucketImage string
	leaks       []facts.DriverPoolLeak
	verifierOf  string // the driver `!verifier 3 X.sys` asked about
	// fatal: the debugger's "*** Fatal System Error" line was read, its
	// parameters are the next line's.
	fatal bool
	// last is the bugcheck whose leak was recorded last (its code, first
	// and fourth parameters): the break-in and the `!analyze -v` after
	// it report one bugcheck, recorded once.
	last     [3]uint64
	haveLast bool
}

// verifierUnloadLeak are the values of parameter 1 of bugcheck 0xC4 that
// say a driver unloaded without freeing its pool allocations (0x60 from
// Windows 2000, 0x62 since Windows XP), parameter 4 counting them.
func verifierUnloadLeak(code, p1 uint64) bool {
	return code == 0xc4 && (p1 == 0x60 || p1 == 0x62)
}

// bugcheckCommand notes a command of the line: `!analyze` starts the
// analysis read, `!verifier 3 X.sys` names the driver it is asked about.
func (k *kdReader) bugcheckCommand(text []byte) {
	k.endBugcheck()
	// Each command of a chain, as a CI job's `cdb -z x.dmp -c ".symfix;
	// .reload; !analyze -v; q"` runs them: the analysis is the output
	// of one of them.
	for _, part := range splitCommands(string(text)) {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		switch strings.ToLower(f[0]) {
		case "!analyze":
			k.bc.active, k.bc.line = true, k.lineNo
		case "!verifier":
			if d := verifierDriver(f); d != "" && k.bc.verifierOf == "" {
				k.bc.verifierOf = d
			}
		}
	}
}

// verifierDriver returns the driver a `!verifier` command, split into its
// words, asks about: its first argument that is a driver's file name
// ("X.sys"), "" when none is.
func verifierDriver(f []string) string {
	for _, a := range f[1:] {
		if strings.HasSuffix(strings.ToLower(a), ".sys") {
			return a
		}
	}
	return ""
}

// bugcheckLine reads the lines of `!analyze -v` that say which bugcheck
// and parameters stopped the machine, and the driver it blames:
//
//	DRIVER_VERIFIER_DETECTED_VIOLATION (c4)
//	Arg1: 00000062, A driver has forgotten to free its pool allocations prior to unloading.
//	Arg4: 00000001, total # of (paged+nonpaged) allocations that weren't freed.
//	BUGCHECK_CODE:  c4
//	BUGCHECK_P1: 62
//	IMAGE_NAME:  Sample.sys
func (k *kdReader) bugcheckLine(line []byte) (scan.LineKind, bool) {
	bc := &k.bc
	line = scan.TrimSpace(line)
	if len(bytes.Trim(line, "-")) == 0 {
		return scan.Ignored, true // the rule under "Debugging Details:" or after "Followup:"
	}
	if code, ok := bugcheckTitle(line); ok {
		bc.code = code
		return scan.Parsed, true
	}
	key, value, ok := bytes.Cut(line, []byte(":"))
	if !ok {
		return 0, false
	}
	value = scan.TrimSpace(value)
	switch string(key) {
	case "Arg1", "Arg4", "BUGCHECK_P1", "BUGCHECK_P4", "BUGCHECK_CODE":
		n, ok := scan.ParseNumber(string(argValue(value)))
		if !ok {
			return 0, false
		}
		switch string(key) {
		case "Arg1", "BUGCHECK_P1":
			bc.p1, bc.haveP1 = n, true
		case "Arg4", "BUGCHECK_P4":
			bc.p4, bc.haveP4 = n, true
		default:
			bc.code = n
		}
		return scan.Parsed, true
	case "Followup":
		return scan.Ignored, true // "Followup: MachineOwner", the analysis's last line
	case "IMAGE_NAME":
		if len(value) > 0 && bytes.IndexByte(value, ' ') < 0 {
			bc.image = string(value)
			return scan.Parsed, true
		}
	case "FAILURE_BUCKET_ID", "DEFAULT_BUCKET_ID", "BUCKET_ID", "PRIMARY_PROBLEM_CLASS", "Value", "Failure Bucket":
		// "Value" under "Key  : Failure.Bucket" in the KEY_VALUES_STRING
		// of recent debuggers; "Failure Bucket" as a summary rewritten
		// by hand calls it.
		if d := leakBucketDriver(value); d != "" {
			bc.bucketImage = d
			return scan.Parsed, true
		}
	}
	return 0, false
}

// leakBucketPrefix starts the name of the driver in the failure bucket
// of a bugcheck 0xC4 for pool left at unload: "0xc4_62_VRF_LEAKED_POOL_IMAGE_Sample.sys",
// "0xc4_62_LEAKED_POOL_IMAGE_Sample.sys".
const leakBucketPrefix = "LEAKED_POOL_IMAGE_"

// leakBucketDriver returns the driver a failure bucket of a bugcheck
// 0xC4 for pool left at unload names ("X.sys", "" if the bucket is
// another's), the bucket as printed or quoted in a code span.
func leakBucketDriver(value []byte) string {
	value = bytes.Trim(value, "`'\"")
	_, d, ok := bytes.Cut(value, []byte(leakBucketPrefix))
	if !ok || len(d) <= len(".sys") || !bytes.EqualFold(d[len(d)-len(".sys"):], []byte(".sys")) ||
		bytes.ContainsAny(d, " \t`") {
		return ""
	}
	return string(d)
}

// argValue returns the number that starts a parameter's value: the
// debugger prints "00000062, A driver has forgotten...", a summary
// rewritten by hand "0x62 - A driver has forgotten...".
func argValue(value []byte) []byte {
	if i := bytes.IndexAny(value, ", \t"); i >= 0 {
		value = value[:i]
	}
	return value
}

// bugcheckTitle reads the bugcheck's name and code, "NAME_IN_CAPITALS
// (c4)"; every bugcheck's name has an underscore, which keeps other
// capitals in parentheses out.
func bugcheckTitle(line []byte) (uint64, bool) {
	name, rest, ok := bytes.Cut(line, []byte(" ("))
	if !ok || len(name) < 4 || len(rest) < 2 || len(rest) > 9 || rest[len(rest)-1] != ')' ||
		bytes.IndexByte(name, '_') < 0 {
		return 0, false
	}
	for _, c := range name {
		if !(c >= 'A' && c <= 'Z' || c == '_' || scan.IsDigit(c)) {
			return 0, false
		}
	}
	return scan.ParseHex(rest[:len(rest)-1])
}

// bugcheckStart starts the read of an analysis pasted without its
// `!analyze -v` command, at the bugcheck's title or, in an excerpt that
// starts further down, at its "BUGCHECK_CODE:  c4": the lines that
// follow are read as the command's output would be (Arguments,
// BUGCHECK_P1 and IMAGE_NAME read, the rest counted as ignored).
func (k *kdReader) bugcheckStart(line []byte) bool {
	if isAnalysisBanner(line) {
		// The box `!analyze -v` prints before the title.
		k.command([]byte("!analyze -v"), promptNone)
		return true
	}
	if isBugcheckArg(line) {
		// An excerpt that starts at the parameters: the bugcheck's
		// code is not in it, its parameters and help text are.
		k.command([]byte("!analyze -v"), promptNone)
		k.bugcheckLine(line)
		return true
	}
	if isAnalysisKey(line) {
		// An excerpt that starts in the key/value list recent debuggers
		// print under KEY_VALUES_STRING: the failure bucket among its
		// values, the keys after it (PROCESS_NAME, STACK_TEXT...) are
		// the analysis's too.
		k.command([]byte("!analyze -v"), promptNone)
		return true
	}
	code, ok := bugcheckTitle(line)
	if !ok {
		code, ok = bugcheckCodeLine(line)
	}
	if !ok {
		return false
	}
	k.command([]byte("!analyze -v"), promptNone)
	k.bc.code = code
	return true
}

// isBugcheckArg recognizes a parameter of the bugcheck as `!analyze -v`
// prints it, "Arg1: ffff8b8c4dc1c520, The calling address in the driver
// that locked the pages or if the": "Arg" and its number (1 to 4), the
// value in 8 or 16 hex digits, a comma and the help text.
func isBugcheckArg(line []byte) bool {
	if len(line) < len("Arg1: 00000000,") || !scan.HasPrefix(line, "Arg") || line[3] < '1' || line[3] > '4' ||
		line[4] != ':' || line[5] != ' ' {
		return false
	}
	v, _, ok := bytes.Cut(scan.TrimSpace(line[6:]), []byte(","))
	if !ok || len(v) != 8 && len(v) != 16 {
		return false
	}
	_, ok = scan.ParseHex(v)
	return ok
}

// isAnalysisKey recognizes a key of the list `!analyze -v` prints under
// KEY_VALUES_STRING, "Key  : Failure.Bucket", "Key  : Analysis.CPU.mSec":
// "Key", blanks, a colon and a name of words joined by dots, nothing after
// it (its value is on the next line, "Value: ..."). The dot keeps prose
// ("Key: press F5") out.
func isAnalysisKey(line []byte) bool {
	rest, ok := bytes.CutPrefix(line, []byte("Key"))
	if !ok {
		return false
	}
	rest, ok = bytes.CutPrefix(scan.TrimSpace(rest), []byte(":"))
	if !ok {
		return false
	}
	name := scan.TrimSpace(rest)
	if len(name) < 3 || len(name) > 128 || bytes.IndexByte(name, '.') <= 0 || name[len(name)-1] == '.' {
		return false
	}
	for _, c := range name {
		if !(isLetter(c) || scan.IsDigit(c) || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// isAnalysisBanner recognizes the middle of the box `!analyze` prints
// first, "*        Bugcheck Analysis        *".
func isAnalysisBanner(line []byte) bool {
	if len(line) < 20 || line[0] != '*' || line[len(line)-1] != '*' {
		return false
	}
	return string(scan.TrimSpace(line[1:len(line)-1])) == "Bugcheck Analysis"
}

// isBoxLine recognizes a blank line of a box of stars, "*      *", as
// `!analyze` draws around its banner.
func isBoxLine(line []byte) bool {
	return len(line) >= 20 && line[0] == '*' && line[len(line)-1] == '*' && len(scan.TrimSpace(line[1:len(line)-1])) == 0
}

// bugcheckCodeLine reads the code of "BUGCHECK_CODE:  c4", the key
// `!analyze -v` of recent debuggers prints the bugcheck's code under.
func bugcheckCodeLine(line []byte) (uint64, bool) {
	rest, ok := bytes.CutPrefix(line, []byte("BUGCHECK_CODE:"))
	if !ok {
		return 0, false
	}
	return scan.ParseNumber(string(argValue(scan.TrimSpace(rest))))
}

// endBugcheck ends the `!analyze` output being read, keeping the driver
// pool leak it reported, if any.
func (k *kdReader) endBugcheck() {
	bc := &k.bc
	if !bc.active {
		return
	}
	if verifierUnloadLeak(bc.code, bc.p1) && bc.haveP1 && bc.haveP4 && bc.p4 > 0 {
		key := [3]uint64{bc.code, bc.p1, bc.p4}
		switch {
		case bc.haveLast && key == bc.last && len(bc.leaks) > 0:
			// The same bugcheck again: its analysis after its break-in.
			if l := &bc.leaks[len(bc.leaks)-1]; l.Driver == "" {
				l.Driver = bc.named()
			}
		case len(bc.leaks) < facts.MemoryLimit:
			bc.leaks = append(bc.leaks, facts.DriverPoolLeak{Driver: bc.named(), Allocations: int64(min(bc.p4, 1<<40)),
				Source: facts.Position{Path: k.log.Path, Line: bc.line}})
			bc.last, bc.haveLast = key, true
		}
	}
	*bc = bugcheckState{leaks: bc.leaks, verifierOf: bc.verifierOf, last: bc.last, haveLast: bc.haveLast}
}

// named is the driver the analysis blames: its IMAGE_NAME, else the one
// its failure bucket names, "" if neither does.
func (bc *bugcheckState) named() string {
	if bc.image != "" {
		return bc.image
	}
	return bc.bucketImage
}

// fatalError reads the line the kernel debugger prints when the target
// bugchecks, "*** Fatal System Error: 0x000000c4"; the bugcheck's
// parameters follow on the next line (fatalArgs).
func (k *kdReader) fatalError(line []byte) {
	k.endBugcheck()
	rest := scan.TrimSpace(line[len(fatalErrorPrefix):])
	if code, ok := scan.ParseNumber(string(rest)); ok {
		k.bc.fatal, k.bc.code, k.bc.line = true, code, k.lineNo
	}
}

// fatalErrorPrefix starts the debugger's line at a bugcheck.
const fatalErrorPrefix = "*** Fatal System Error:"

// fatalArgs reads the parameters of the bugcheck a "*** Fatal System
// Error" line named, "(0x00000062,0x86A84EBC,0x86A2D4F8,0x00000001)", as
// `!analyze -v` would give them.
func (k *kdReader) fatalArgs(line []byte) {
	bc := &k.bc
	if !bc.fatal {
		return
	}
	bc.fatal = false
	line = scan.TrimSpace(line)
	args := bytes.Split(line[1:len(line)-1], []byte(","))
	if len(args) != 4 {
		return
	}
	p1, ok1 := parseHexArg(args[0])
	p4, ok4 := parseHexArg(args[3])
	if ok1 && ok4 {
		bc.active = true
		bc.p1, bc.p4, bc.haveP1, bc.haveP4 = p1, p4, true, true
	}
}

// finishBugchecks records the drivers' pool leaks, naming the driver
// `!verifier 3` was asked about where the analysis named none.
func (k *kdReader) finishBugchecks() {
	k.endBugcheck()
	k.endUnfreed()
	listed := k.vfLeaks()
	for _, l := range k.bc.leaks {
		if l.Driver == "" {
			l.Driver = k.bc.verifierOf
		}
		if l.Driver == "" && len(k.vf.leaks) == 1 {
			// The driver list names the one driver that unloaded
			// with allocations left.
			l.Driver = k.vf.leaks[0].Driver
		}
		l.Unfreed = k.uf.byDriver[strings.ToLower(l.Driver)]
		k.b.AddDriverPoolLeak(l)
	}
	for _, l := range listed {
		l.Unfreed = k.uf.byDriver[strings.ToLower(l.Driver)]
		k.b.AddDriverPoolLeak(l)
	}
}
