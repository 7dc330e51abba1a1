package findzombie

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// The sentences the tool prints besides its counts, by words each holds
// (a paste may curl the apostrophe of "Can't"), and whether each is a
// note on its own result (a diagnostic) or help.
var sentences = []struct {
	words string
	note  string // the diagnostic's words, "" for help text
	sev   facts.Severity
}{
	{"enable debug privilege", "FindZombieHandles ran without the debug privilege (not as administrator): the zombies of some processes may be missing", facts.SevWarning},
	{"No zombies found", "FindZombieHandles found no zombies (it says its count may have failed)", facts.SevInfo},
	{"handle leak in a driver", "FindZombieHandles accounted for too few zombies among the processes: a driver may hold the rest", facts.SevInfo},
	{"for more details on handle leaks", "", ""},
	{"Pass -verbose to get full zombie names", "", ""},
	{"Press any key to continue", "", ""},
}

// readLine accounts for one line.
func (z *reader) readLine(raw []byte) scan.LineKind {
	line := z.clean.Clean(raw)
	if len(line) == 0 {
		return scan.Ignored
	}
	if bytes.HasPrefix(line, []byte("```")) {
		// A markdown fence, perhaps with a prompt glued to it.
		line = scan.TrimSpace(line[3:])
		if len(line) == 0 || isInfoString(line) {
			return scan.Ignored
		}
	}
	if scan.IsDigit(line[0]) {
		if kind, ok := z.countLine(line); ok {
			return kind
		}
	}
	if isDots(line) || scan.IsElision(line) {
		z.elision()
		return scan.Ignored
	}
	if kind, ok := z.promptLine(line); ok {
		return kind
	}
	for _, s := range sentences {
		if len(line) > 300 || !scan.Contains(line, s.words) {
			continue
		}
		z.ev.notes++
		if s.note == "" {
			return scan.Ignored
		}
		z.log.Diag(z.lineNo, s.sev, CodeToolNote, "%s", s.note)
		return scan.Parsed
	}
	return scan.Unrecognized
}

// countLine reads the lines that start with a count: "N total zombie
// processes.", "N zombies held by IMAGE(PID)", "N zombies of IMAGE ...",
// "X of Y process zombies accounted for.".
func (z *reader) countLine(line []byte) (scan.LineKind, bool) {
	i := 0
	for i < len(line) && scan.IsDigit(line[i]) {
		i++
	}
	n, ok := scan.ParseDec(line[:i])
	if !ok || i == len(line) || line[i] != ' ' {
		return 0, false
	}
	rest := line[i+1:]
	switch {
	case scan.HasPrefix(rest, "total zombie processes") || scan.HasPrefix(rest, "total zombie threads"):
		z.ev.totals++
		return scan.Parsed, true
	case scan.HasPrefix(rest, "zombies ") || scan.HasPrefix(rest, "zombie "):
		rest = rest[bytes.IndexByte(rest, ' ')+1:]
		if r, ok := bytes.CutPrefix(rest, []byte("held by ")); ok {
			return z.holderLine(n, r), true
		}
		if r, ok := bytes.CutPrefix(rest, []byte("of ")); ok {
			return z.imageLine(n, r), true
		}
	case scan.HasPrefix(rest, "of "):
		return z.accountedLine(n, rest[len("of "):])
	}
	return 0, false
}

// holderLine reads the rest of "N zombies held by IMAGE(PID)": the image
// (a full path with -verbose, "Unknown" when the tool could not name it)
// and the pid in parentheses at the end.
func (z *reader) holderLine(n int64, rest []byte) scan.LineKind {
	z.endHolder()
	open := bytes.LastIndexByte(rest, '(')
	if open < 0 || rest[len(rest)-1] != ')' {
		return scan.Unrecognized
	}
	pid, ok := scan.ParseDec(rest[open+1 : len(rest)-1])
	if !ok {
		return scan.Unrecognized
	}
	image := unescapeName(string(scan.TrimSpace(rest[:open])))
	z.ev.holders++
	z.heldLine, z.stated, z.listed, z.elided = z.lineNo, n, 0, false
	switch {
	case z.holders[uint64(pid)]:
		z.log.Diag(z.lineNo, facts.SevWarning, CodeRepeatedHolder,
			"pid %d is listed as a holder again (another run of the tool?): the first listing is kept, this one skipped", pid)
		z.skipping = true
		return scan.Parsed
	case len(z.holders) >= holderLimit:
		z.log.Diag(z.lineNo, facts.SevWarning, facts.CodeCapped, "more than %d holders: the rest are not read", holderLimit)
		z.skipping = true
		return scan.Parsed
	}
	z.holders[uint64(pid)] = true
	z.holder = z.b.ProcessByPID(uint64(pid), z.pos())
	if image != "Unknown" {
		z.holder.SetImage(baseName(image), z.pos())
		if image != baseName(image) {
			z.holder.P.Path = image
		}
	}
	z.holder.ReportZombiesHeld(n)
	return scan.Parsed
}

// imageLine reads the rest of a zombie image line under a holder, in the
// layout of each generation:
//
//	IMAGE
//	IMAGE (process: P - thread: T)
//	IMAGE - process handle count: P - thread handle count: T
func (z *reader) imageLine(n int64, rest []byte) scan.LineKind {
	image := rest
	var procs, threads int64
	counted := false
	if i := bytes.Index(rest, []byte(" - process handle count: ")); i >= 0 {
		p, t, ok := twoCounts(rest[i+len(" - process handle count: "):], " - thread handle count: ", "")
		if !ok {
			return scan.Unrecognized
		}
		image, procs, threads, counted = rest[:i], p, t, true
	} else if i := bytes.LastIndex(rest, []byte(" (process: ")); i >= 0 {
		p, t, ok := twoCounts(rest[i+len(" (process: "):], " - thread: ", ")")
		if !ok {
			return scan.Unrecognized
		}
		image, procs, threads, counted = rest[:i], p, t, true
	}
	image = scan.TrimSpace(image)
	if len(image) == 0 {
		return scan.Unrecognized
	}
	z.ev.images++
	switch {
	case z.skipping:
		return scan.Parsed
	case z.holder == nil:
		if !z.orphaned {
			z.log.Diag(z.lineNo, facts.SevWarning, facts.CodeNoProcess,
				"zombies listed before any \"held by\" line: their holder is not in the capture")
			z.orphaned = true
		}
		return scan.Parsed
	}
	z.listed += n
	name := unescapeName(string(image))
	z.holder.HoldZombies(baseName(name), n, procs, threads, counted, z.pos())
	return scan.Parsed
}

// twoCounts reads "P<sep>T<end>".
func twoCounts(b []byte, sep, end string) (int64, int64, bool) {
	b, ok := bytes.CutSuffix(b, []byte(end))
	if !ok {
		return 0, 0, false
	}
	ps, ts, ok := bytes.Cut(b, []byte(sep))
	if !ok {
		return 0, 0, false
	}
	p, ok1 := scan.ParseDec(ps)
	t, ok2 := scan.ParseDec(ts)
	return p, t, ok1 && ok2
}

// accountedLine reads the rest of "X of Y process zombies accounted for."
// (and the thread one), which the tool prints when it finds the holders
// of fewer than half the zombies.
func (z *reader) accountedLine(x int64, rest []byte) (scan.LineKind, bool) {
	i := 0
	for i < len(rest) && scan.IsDigit(rest[i]) {
		i++
	}
	y, ok := scan.ParseDec(rest[:i])
	if !ok {
		return 0, false
	}
	what := scan.TrimSpace(rest[i:])
	if !bytes.HasSuffix(what, []byte("zombies accounted for.")) {
		return 0, false
	}
	z.ev.notes++
	z.log.Diag(z.lineNo, facts.SevInfo, CodeToolNote, "FindZombieHandles found the holders of %d of %d %s", x, y, bytes.TrimSuffix(what, []byte(" accounted for.")))
	return scan.Parsed, true
}

// promptLine reads a command prompt with the command that ran the tool:
// "C:\tools>FindZombieHandles.exe", "PS C:\> .\FindZombieHandles.exe
// -verbose". A prompt with another command is ignored: its output is not
// the tool's.
func (z *reader) promptLine(line []byte) (scan.LineKind, bool) {
	rest := line
	if r, ok := bytes.CutPrefix(rest, []byte("PS ")); ok {
		rest = r
	}
	if len(rest) < 3 || !isLetter(rest[0]) || rest[1] != ':' || rest[2] != '\\' {
		return 0, false
	}
	gt := bytes.IndexByte(rest, '>')
	if gt < 0 {
		return 0, false
	}
	z.endHolder()
	if bytes.Contains(bytes.ToLower(rest[gt+1:]), []byte("findzombiehandles")) {
		return scan.Parsed, true
	}
	return scan.Ignored, true
}

// endHolder checks the zombies listed under the holder against its total.
func (z *reader) endHolder() {
	if z.holder != nil && z.listed != z.stated {
		switch {
		case z.listed > z.stated:
			z.log.Diag(z.heldLine, facts.SevWarning, facts.CodeCountMismatch,
				"the zombies listed under this holder add up to %d, more than the %d it states", z.listed, z.stated)
		case z.elided:
			z.log.Diag(z.heldLine, facts.SevInfo, facts.CodeCountMismatch,
				"the capture lists %d of the %d zombies this holder holds (an elision cuts the list): its images are partial", z.listed, z.stated)
		default:
			z.log.Diag(z.heldLine, facts.SevInfo, facts.CodeCountMismatch,
				"the zombies listed under this holder add up to %d of the %d it states: its images are partial", z.listed, z.stated)
		}
	}
	z.holder, z.skipping = nil, false
}

// elision notes an author's cut, which may cut the current holder's
// list; a run of elision lines (". . ." one dot a line) is one cut.
func (z *reader) elision() {
	z.elided = true
	if z.lastElision == z.lineNo-1 && z.lastElision > 0 {
		z.lastElision = z.lineNo
		return
	}
	z.lastElision = z.lineNo
	z.log.Diag(z.lineNo, facts.SevInfo, facts.CodeElision, "the capture omits output here (an elision by whoever pasted it)")
}

// isDots recognizes an author's elision of dots alone: ".", ". . .".
func isDots(line []byte) bool {
	for _, c := range line {
		if c != '.' && c != ' ' {
			return false
		}
	}
	return true
}

// isInfoString recognizes the language word after a markdown fence
// ("```text", "```console").
func isInfoString(b []byte) bool {
	for _, c := range b {
		if !isLetter(c) && !scan.IsDigit(c) && c != '-' && c != '_' && c != '+' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// unescapeName undoes the markdown escapes a path pasted outside a code
// block carries (`C:\\Tools\\agent\.exe` for C:\Tools\agent.exe): the
// cleaner leaves backslashes in paths alone. A path holds no `\\` but at
// its start (\\server\share), and no `\.` but in a rare folder name.
func unescapeName(s string) string {
	prefix := ""
	switch {
	case strings.HasPrefix(s, `\\\\`):
		prefix, s = `\\`, s[4:] // an escaped UNC prefix
	case strings.HasPrefix(s, `\\`):
		prefix, s = `\\`, s[2:]
	}
	if !strings.Contains(s, `\\`) && !strings.Contains(s, `\.`) && !strings.Contains(s, `\_`) && !strings.Contains(s, `\-`) {
		return prefix + s
	}
	return prefix + strings.NewReplacer(`\\`, `\`, `\.`, `.`, `\_`, `_`, `\-`, `-`).Replace(s)
}

// baseName is the file name of a path the tool prints with -verbose.
func baseName(s string) string {
	if i := bytesLastSlash(s); i >= 0 {
		return s[i+1:]
	}
	return s
}

func bytesLastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\\' || s[i] == '/' {
			return i
		}
	}
	return -1
}
