package kd

import (
	"bytes"
	"io"
	"sort"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: text written by kd, WinDbg or cdb:
// `!process`, `!handle` in its kernel and user-mode layouts, `.process`,
// `!for_each_process`.
const Name = "kd"

// kdReader reads one kd/WinDbg/cdb text capture into a facts.Builder. It is
// a line-at-a-time state machine: each line is cleaned, matched against the
// layouts it may belong to in the current state, and accounted for.
type kdReader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner
	// damage collects what the cleaners undo on the line being read.
	damage scan.Damage
	toks   [][]byte
	// types and names intern object types and names; the caches make
	// the strings of kernel handle entries' values, but for those whose
	// repair the interners report (valuecache.go).
	types, names         *scan.Interner
	typeCache, nameCache *valueCache

	cmd     command
	cmdLine int64
	cmdText string // the command line as typed, bounded, for diagnostics
	// cmdSeen counts the lines (or a flattened line's pieces) that are
	// not blank since the current command began (nooutput.go); silent
	// is set once a diagnostic named a command without output, and
	// silentMore counts those after it.
	cmdSeen    int64
	silent     bool
	silentMore int64
	ignoring   bool // in the output of a command this reader does not read
	ignored    map[string]int64
	// ignoredMore counts the commands not read past maxIgnoredNames, the
	// first of them at ignoredMoreLine.
	ignoredMore, ignoredMoreLine int64
	// lastElision is the line of the latest author elision ("...") since
	// the current command started, 0 if none.
	lastElision int64

	// hdr is the process whose PROCESS block is being read; details is set
	// once its header is complete and `!process` detail lines may follow.
	hdr      *facts.ProcessBuilder
	hdrLine  int64
	hdrImage bool
	details  bool
	// hdrWrap is the label a header line of hdr ends with, its value
	// wrapped onto the next line by a reflowed page ("Peb:", "ParentCid:",
	// "HandleCount:"), "" if none; hdrWrapLine is that line, by the count
	// of lines read (linesRead: a double-spaced capture's spacing is not read,
	// and lineNo counts it), hdrWrapDir says it was the DirBase line.
	hdrWrap     string
	hdrWrapLine int64
	linesRead   int64
	hdrWrapDir  bool
	wrapBuf     []byte
	// flat holds the pieces of a PROCESS block flattened onto one line
	// (flattened.go), inFlat is set while they are read, flatNoted once
	// that was reported.
	flat      [][]byte
	inFlat    bool
	flatNoted bool
	// glueBuf holds a PROCESS block's header line with the blanks a page
	// dropped between its fields put back (glued.go), glueNoted once that
	// was reported.
	glueBuf   []byte
	glueNoted bool
	// modLoadExe is the program the first ModLoad line of a session
	// before any command names (modload.go), modLoadLine its line;
	// modLoadSeen is set by that line; prompted once a command with a
	// prompt was read, userPrompt once a user-mode one was.
	modLoadExe  string
	modLoadLine int64
	modLoadSeen bool
	prompted    bool
	userPrompt  bool
	// owner holds the handles that follow: the process of the latest
	// PROCESS header of the current command.
	owner   *facts.ProcessBuilder
	context string // process address set by .process
	// typeFilter is the type a type-filtered dump gives entries that print
	// none.
	typeFilter string
	orphaned   bool // a diagnostic was given for the current run of orphans

	table    tableState
	entry    pendingEntry
	htrace   htraceState
	um       umListing
	typeRows bool // reading rows of a user-mode "Type Count" summary
	// countRows is set while reading a summary that puts each count
	// before its type (um_countfirst.go).
	countRows bool
	// outLines counts the lines that are not blank since the last command.
	outLines int64
	// filteredInfo is set in a filtered dump after the "Object Specific
	// Information" line of an entry whose first line the filter dropped
	// (wrapped.go).
	filteredInfo bool
	// noise is set in a block of debugger messages leakdiag does not read
	// (an Application Verifier stop), until the next prompt.
	noise bool
	// starBox is set by a line of the box of stars the debugger frames a
	// warning in, while the next may continue it (noise.go).
	starBox bool
	// symbolLoad is set by the debugger's "Loading Kernel Symbols" and
	// the like, while the rows of dots it prints then follow (noise.go).
	symbolLoad bool
	// gallery is set by the first line of the Debugger Extensions
	// Gallery's preamble, while its settings follow (gallery.go).
	gallery bool
	// breakIn is set after the exception line or registers of a break-in,
	// until a blank line or a command: its symbol and disassembly follow.
	// breakBugcheck is set by the lines of a bugcheck's break-in, whose
	// paragraphs blank lines part: breakIn lasts until a command.
	breakIn       bool
	breakBugcheck bool
	// breakPID is the pid of the latest user-mode break-in's exception
	// line, "(109c.111c): Break instruction exception ...", 0 if none:
	// the debuggee's pid, for output that does not print it (noise.go).
	breakPID uint64
	threads  threadList // `~` output (noise.go)

	// notAccessible counts processes whose HandleCount the debugger could
	// not read; notAccessibleLine is the first of them.
	notAccessible     int
	notAccessibleLine int64

	mem memState // `!vm` and `!poolused` output (vm.go, pool.go)
	// poolListings counts the `!poolused` listings begun: a tag's trend
	// across them is kept by listing number (facts.PoolUsage.AddListedTag).
	poolListings int64

	verifier verifierState // an Application Verifier stop (verifier.go)
	// stopRefs are the stops' stack and owner DLL addresses a dps or du
	// may show, and stopDump the one being read (stopstack.go).
	stopRefs []stopRef
	stopDump stopDump
	// brk is the stop the debuggee stands at, whose stack a k shows
	// (breakstack.go).
	brk breakStop
	// commented has bit i set once commentMarkers[i] started a line
	// (comment.go).
	commented uint8
	// stopsNoted holds the codes of the stops reporting no leaked handle
	// that a diagnostic named (verifier.go).
	stopsNoted map[string]bool
	bc         bugcheckState // the bugcheck `!analyze -v` shows (bugcheck.go)
	zl         zombieState   // what mex's task list counts of zombies (zombiereport.go)
	mp         mexProcState  // the process row of mex's !mex.p (mexprocess.go)
	uf         unfreedTable  // the allocations !verifier 3 lists (unfreed.go)
	vf         vfTarget      // an entry of !verifier 3's driver list (vftarget.go)

	dx dxState // the output of a dx command (dx.go)
	// dxOrphaned is set once a diagnostic said dx handles have no named
	// process.
	dxOrphaned bool
	// cmdKind is the prompt of the current command.
	cmdKind promptKind
	// runNoted is the line of the command line whose run output a
	// diagnostic noted (runOutput).
	runNoted int64
	// ci counts the lines whose CI log timestamp was cut (cilog.go).
	ci ciStamps
	// stackRows says the rows of a k no stop reads follow its header
	// (stackLine).
	stackRows bool
	// goTest counts the `go test -json` events unwrapped (gotestjson.go).
	goTest goTestEvents
	// pids maps the pids PROCESS blocks showed to their processes, so
	// that a dx query naming a pid adds to the process a block showed
	// (dx.go).
	pids map[uint64]*facts.ProcessBuilder
}

func newKDReader(b *facts.Builder, log *facts.SourceLog) *kdReader {
	k := &kdReader{b: b, log: log, ignored: map[string]int64{}}
	k.types = scan.NewInterner(nil)
	k.names = scan.NewInterner(k.canonName)
	k.typeCache, k.nameCache = newValueCache(typeCacheSize, false), newValueCache(nameCacheSize, true)
	k.clean.Seen = &k.damage
	k.types.Seen, k.names.Seen = &k.damage, &k.damage
	return k
}

// Read reads kd/WinDbg/cdb text from r into b, accounting every line in
// log. The caller decodes the text and hands log to b.AddSource
// afterwards.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	return newKDReader(b, log).read(r)
}

// Sniff reports whether the kd reader parses any line of text (a
// prompt, a PROCESS block, a handle entry...): a support ticket with a
// capture pasted among prose is kd text, a README that mentions `!handle`
// is not. cut says text is the start of something longer, whose last line
// may be incomplete (text decoded from UTF-16 is shorter than the head
// it came from, so the caller says). It runs the one sniffing loop the
// text formats share (scan.SniffCut).
func Sniff(text []byte, cut bool) bool {
	k := newKDReader(facts.NewBuilder(), facts.NewSourceLog("", ""))
	return scan.SniffCut(text, cut, func(line []byte) bool {
		k.lineNo++
		return k.readLine(line) == scan.Parsed
	})
}

func (k *kdReader) read(r io.Reader) error {
	last, unterminated, err := scan.ReadLines(r, k.log, &k.lineNo, &k.clean, k.readLine)
	return k.end(last, unterminated, err)
}

// end finishes the reading, once the last line is read: last is its
// account, unterminated says it had no line break, err is the input's.
func (k *kdReader) end(last scan.LineKind, unterminated bool, err error) error {
	if unterminated && (last == scan.Unrecognized || k.entry.active || (k.hdr != nil && !k.hdrImage)) {
		// No line break at the end, and the last line leaves something
		// unfinished: the capture was most likely cut in the middle of it.
		k.log.Diag(k.lineNo, facts.SevWarning, facts.CodeTruncated, "the capture ends without a line break in the middle of a block: its last line may be cut")
		if k.entry.active && !k.entry.named {
			k.entry.cut = true
		}
	}
	k.noOutput(k.cmdSeen, "")
	k.endNoOutput()
	k.endTrace()
	k.endVerifier()
	k.endDX()
	k.endBlock()
	k.endMemory()
	k.finish()
	k.reportCIStamps()
	k.reportGoTest()
	return err
}

func (k *kdReader) pos() facts.Position { return facts.Position{Path: k.log.Path, Line: k.lineNo} }

// readLine accounts for one line as read. The lines that continue a
// kernel handle entry, most of a capture, are first tried as they are:
// only the type and name they carry are used, and those are repaired by
// the interners, once per distinct value. Other lines are cleaned first.
func (k *kdReader) readLine(raw []byte) scan.LineKind {
	k.linesRead++
	raw = k.cutCIStamp(raw)
	if out, ok := k.unwrapGoTest(raw); ok {
		if out == nil {
			return scan.Ignored // a test's start, pass or fail: no output
		}
		raw = out
	}
	line := scan.TrimSpace(raw)
	if len(line) == 0 {
		k.blank()
		return scan.Ignored
	}
	if isRunnerLine(line) {
		return scan.Ignored
	}
	if c := line[0]; c == '#' || c == '/' || c == '%' || c == '*' {
		if rest, marker, ok := k.uncomment(line); ok {
			if len(rest) == 0 {
				k.blank()
				return scan.Ignored
			}
			// Taken for a comment marker once what follows it reads as
			// the debugger's: a markdown heading ("# Notes") stays prose.
			kind := k.readTrimmed(raw, rest)
			if kind == scan.Parsed {
				k.noteComment(marker)
			}
			return kind
		}
	}
	return k.readTrimmed(raw, line)
}

// readTrimmed reads a line that is not blank, trimmed (and without a
// comment marker: comment.go); raw is the line as printed.
func (k *kdReader) readTrimmed(raw, line []byte) scan.LineKind {
	if isFence(line) {
		return scan.Ignored
	}
	if line = unglueFence(line); len(line) == 0 {
		return scan.Ignored
	}
	k.outLines++
	if k.dx.active {
		clean := line
		if scan.NeedsRepair(line) {
			clean = k.clean.Clean(line)
		}
		if len(clean) > 0 {
			if kind, ok := k.dxLine(raw, clean); ok {
				k.cmdSeen++
				return kind
			}
		}
	}
	kernelEntry := k.entry.active && !k.entry.um
	if kernelEntry {
		if kind, ok := k.entryLine(line); ok {
			return kind
		}
	}
	// An entry's first line is read as printed too, unless it holds HTML:
	// entryStart takes hex numbers and flags only where they are exact.
	if !k.ignoring && scan.IsHexDigit(line[0]) && bytes.IndexByte(line, '<') < 0 && bytes.IndexByte(line, '&') < 0 {
		if kind, ok := k.entryStart(line); ok {
			return kind
		}
	}
	if scan.NeedsRepair(line) {
		return k.line(k.clean.Clean(line), true)
	}
	return k.line(line, !kernelEntry)
}

// line accounts for one cleaned line; tryEntry is false when the line is
// known not to continue the current entry.
func (k *kdReader) line(line []byte, tryEntry bool) scan.LineKind {
	if len(line) == 0 {
		k.blank()
		return scan.Ignored
	}
	k.cmdSeen++
	// The lines of a handle entry come first: they are most of a capture.
	if k.entry.active && tryEntry {
		if kind, ok := k.entryLine(line); ok {
			return kind
		}
	}
	// Then the start of the next one. A prompt ("0: kd>", "0:000>") never
	// reads as an entry, which needs "Object:" or "free handle" after the
	// colon.
	if !k.ignoring && scan.IsHexDigit(line[0]) {
		if kind, ok := k.entryStart(line); ok {
			return kind
		}
	}
	// A PROCESS block flattened onto one line (flattened.go); tested
	// after the entries' lines, which are most of a capture and never one.
	if !k.inFlat && len(line) >= flatMinLen && bytes.Contains(line, []byte("PROCESS ")) {
		if k.flat = flattenedPieces(line, k.flat[:0]); len(k.flat) > 1 {
			k.inFlat = true
			kind := k.flattenedLine(k.flat)
			k.inFlat = false
			return kind
		}
	}
	if cmd, kind, ok := stripPrompt(line); ok {
		k.command(cmd, kind)
		return scan.Parsed
	}
	// A verifier stop breaks into the debugger in the output of the
	// command that ran the program ("g"), which is otherwise not read.
	if kind, ok := k.verifierLine(line); ok {
		return kind
	}
	if kind, ok := k.verifierBanner(line); ok {
		return kind
	}
	// A break-in names the debuggee's pid, mostly in the output of "g",
	// which is otherwise not read.
	if isExceptionLine(line) {
		if pid := exceptionPID(line); pid != 0 || line[0] == '(' {
			k.breakPID = pid
		}
	}
	if scan.HasPrefix(line, bugcheckSummaryPrefix) && k.bugcheckSummary(line) {
		return scan.Parsed
	}
	if k.bc.active && k.probablyCausedBy(line) {
		return scan.Parsed
	}
	switch {
	case k.bc.active && !strings.EqualFold(k.cmd.name, "!analyze") && isAnalysisBanner(line):
		// The break-in's bugcheck, then its analysis pasted without the
		// `!analyze -v` typed between them: read as if it were there.
		k.bugcheckStart(line)
		return scan.Parsed
	case k.bc.active:
		if kind, ok := k.bugcheckLine(line); ok {
			return kind
		}
	case k.bugcheckStart(line):
		return scan.Parsed
	}
	if kind, ok := k.zombieLine(line); ok {
		return kind
	}
	if kind, ok := k.mexProcLine(line); ok {
		return kind
	}
	if kind, ok := k.vfTargetLine(line); ok {
		return kind
	}
	if kind, ok := k.unfreedLine(line); ok {
		return kind
	}
	if kind, ok := k.stopDumpLine(line); ok {
		return kind
	}
	if kind, ok := k.stopStackLine(line); ok {
		return kind
	}
	if kind, ok := k.stackLine(line); ok {
		return kind
	}
	if k.cmd.help {
		// An extension's usage text ("!htrace -enable [max_traces]"):
		// its lines are not commands; the next prompt ends it.
		return scan.Ignored
	}
	if k.cmdKind == promptNone && k.cmdLine > 0 && isRunCommand(line) {
		// "g" between commands shown without prompts: the author let
		// the debuggee run, as the commands around it show.
		k.command(line, promptNone)
		return scan.Parsed
	}
	if k.ignoring && k.pebLine(line) {
		return scan.Parsed
	}
	if k.ignoring && !k.handleSummaryFirst(line) && !k.bannerAfterIgnored(line) {
		// A capture that shows its commands without prompts marks the
		// next one by its echo alone: that ends the ignored output.
		if isCommandEcho(line) && (k.cmdKind == promptNone || k.knownEcho(line)) {
			k.command(line, promptNone)
			return scan.Parsed
		}
		return scan.Ignored
	}
	if isCommandEcho(line) || dxCommandEcho(line) {
		k.command(line, promptNone)
		return scan.Parsed
	}
	if expr, ok := dxEchoAlone(line); ok {
		// dx output pasted without its command: the echo of the
		// expression names the query.
		k.command(append([]byte("dx "), expr...), promptNone)
		k.cmdSeen = 1 // the echo is the output's first line
		kind, _ := k.dxLine(line, line)
		return kind
	}
	if k.symbolLoad {
		if isLoadProgress(line) {
			// However many dots: as many as there are modules.
			return scan.Ignored
		}
		k.symbolLoad = false
	}
	if isProgressDots(line) {
		// The dots debuggers print while loading symbols, not an elision.
		return scan.Ignored
	}
	if kind, ok := k.galleryLine(line); ok {
		return kind
	}
	if kind, ok := k.memLine(line); ok {
		return kind
	}
	if scan.IsElision(line) {
		k.elision()
		return scan.Ignored
	}
	if kind, ok := k.noiseLine(line); ok {
		return kind
	}
	if verifierStatsLine(line) {
		return scan.Parsed
	}
	if kind, ok := k.htraceLine(line); ok {
		return kind
	}
	if kind, ok := k.processLine(line); ok {
		return kind
	}
	if kind, ok := k.tableLine(line); ok {
		return kind
	}
	if kind, ok := k.umLine(line); ok {
		return kind
	}
	if kind, ok := k.miscLine(line); ok {
		return kind
	}
	if k.details || k.noise {
		return scan.Ignored // `!process` detail output, or a block of debugger chatter
	}
	if k.cmd.filtered && k.isFilteredFragment(line) {
		return scan.Ignored
	}
	k.endEntry()
	if scan.IsSeparator(line) {
		// A rule of dashes no block claimed: the one before an !htrace
		// entry pasted alone, or an author's frame around the paste.
		return scan.Ignored
	}
	if k.cmd.runs {
		k.runOutput()
		return scan.Ignored
	}
	return scan.Unrecognized
}

// runOutput accounts for a line no reader claims in the output of a
// command line that let the debuggee run ("!htrace -enable;g;!htrace
// -diff"): the program's own output, said once per command line.
func (k *kdReader) runOutput() {
	if k.runNoted == k.cmdLine {
		return
	}
	k.runNoted = k.cmdLine
	k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeIgnoredCommand,
		"what the program printed while the command line at line %d let it run (g) is not read; its lines are counted as ignored", k.cmdLine)
}

// isCommandEcho recognizes a command a capture shows without its prompt:
// "!handle 0 3 0 Section" where a paste began after the prompt. Extension
// commands start with '!'; of the dot commands only .process is taken, as
// debuggers print lines that start with a dot and a word (".cache
// forcedecodeuser done").
func isCommandEcho(line []byte) bool {
	if line[0] == '!' {
		return len(line) > 1 && (scan.IsLower(line[1]) || line[1] == '_')
	}
	return scan.HasPrefix(line, ".process") && (len(line) == len(".process") || scan.IsSpace(line[len(".process")]))
}

// knownEcho reports whether line, in the output of a command leakdiag
// does not read, is the echo of one it reads that the author pasted
// without its prompt (`kd> !object \Device\X` then `!devhandles ...`).
// Not in a bugcheck's analysis, whose help text names commands to run.
func (k *kdReader) knownEcho(line []byte) bool {
	if k.bc.active {
		return false
	}
	c := parseCommand(line, promptNone)
	return c.known && c.wrapper == ""
}

// isFence recognizes a markdown code fence ("```", "```dbgcmd") around a
// pasted capture, a static site's Liquid tags that do the same ("{%
// highlight bash %}", "{% endhighlight %}", "{% raw %}"), or the lines
// that open and close a block comment of Ruby or Perl, where a script
// keeps a sample of the output ("=begin", "=end", POD's "=cut").
func isFence(line []byte) bool {
	switch string(line) {
	case "=begin", "=end", "=cut", "`":
		// The last: a code span's single backtick an author opened and
		// closed the paste with in place of a fence.
		return true
	}
	if scan.HasPrefix(line, "{%") && bytes.HasSuffix(line, []byte("%}")) {
		// "{%-" and "-%}" trim the whitespace around the tag.
		f := bytes.Fields(bytes.Trim(line[2:len(line)-2], "-"))
		if len(f) == 0 {
			return false
		}
		switch string(f[0]) {
		case "highlight", "endhighlight", "raw", "endraw":
			return true
		}
		return false
	}
	if !scan.HasPrefix(line, "```") {
		return false
	}
	for _, c := range line[3:] {
		if !scan.IsAlnum(c) && c != '-' && c != '_' && c != '+' {
			return false
		}
	}
	return true
}

// unglueFence returns line without a markdown fence glued to it: a paste
// whose "```" opens on the line of its first command ("```0: kd>
// !process -1 0") or closes on the line of its last output. No debugger
// output starts or ends with three backticks (an address has one).
func unglueFence(line []byte) []byte {
	if scan.HasPrefix(line, "```") {
		line = scan.TrimSpace(line[3:])
	}
	if len(line) > 3 && bytes.HasSuffix(line, []byte("```")) {
		line = scan.TrimSpace(line[:len(line)-3])
	}
	return line
}

// isProgressDots recognizes the rows of dots a debugger prints while it
// loads symbols or walks memory: longer than the "..." or "......" an
// author leaves, or shorter (the "." after a bugcheck's break-in, the
// ".." before !poolused's table), which no author writes for an elision.
func isProgressDots(line []byte) bool {
	if n := len(line); n > 2 && n < 16 {
		return false
	}
	for _, c := range line {
		if c != '.' {
			return false
		}
	}
	return true
}

// blank ends whatever a blank line ends: a handle entry, a summary table.
func (k *kdReader) blank() {
	k.endEntry()
	k.stackRows = false
	k.typeRows = false
	k.countRows = false
	k.filteredInfo = false
	k.breakIn = k.breakBugcheck
	k.threads.line = 0
	k.mem.pool.wrapped = false
	k.starBox = false
}

// handleSummaryFirst reads the output of a command leakdiag does not know
// as user-mode !handle's when its first line is a summary only !handle
// and the extensions that print its table print: "66316 Handles" (the
// command was misspelt or edited in the paste, "!hande 0 0"), or a row
// that puts a count before an object type ("1  Desktop").
func (k *kdReader) handleSummaryFirst(line []byte) bool {
	if k.outLines != 1 || k.cmdKind == promptKernel {
		return false
	}
	why := "a misspelt or edited command"
	switch {
	case isHandleTotal(line):
	case isCountFirstRow(line):
		why = "an extension that prints its table"
	default:
		return false
	}
	name := k.cmd.name
	if k.ignored[name] == k.cmdLine {
		delete(k.ignored, name)
	}
	k.log.Diag(k.cmdLine, facts.SevInfo, facts.CodeRepaired, "output of %q is read as !handle's: it begins with the summary only !handle prints (%s)", name, why)
	k.ignoring = false
	k.um = umListing{active: true, line: k.cmdLine}
	return true
}

// isHandleTotal recognizes !handle's total, "66316 Handles".
func isHandleTotal(line []byte) bool {
	n, ok := bytes.CutSuffix(line, []byte(" Handles"))
	if !ok {
		return false
	}
	_, ok = scan.ParseDec(n)
	return ok
}

// isCountFirstRow recognizes a summary row with the count first and a
// known object type after it, "   93  Key".
func isCountFirstRow(line []byte) bool {
	toks := scan.Fields(line, nil)
	if len(toks) < 2 {
		return false
	}
	if _, ok := scan.ParseDec(toks[0]); !ok {
		return false
	}
	return scan.IsObjectType(toks[1]) || (len(toks) >= 3 && scan.IsObjectType(bytes.Join(toks[1:3], []byte(" "))))
}

// command starts the output of a new debugger command.
func (k *kdReader) command(text []byte, kind promptKind) {
	text = unqualify(initialCommand(text))
	// The command's own line was counted in cmdSeen.
	k.noOutput(k.cmdSeen-1, commandName(text))
	k.cmdSeen = 0
	k.endDX()
	k.endTrace()
	k.endVerifier()
	k.htrace = htraceState{}
	k.noise = false
	k.stackRows = false
	k.breakIn, k.breakBugcheck = false, false
	k.threads.line = 0
	k.endBlock()
	k.endUM()
	k.owner = nil
	k.orphaned = false
	k.lastElision = 0
	k.cmdLine = k.lineNo
	k.cmdText = boundedCommand(text)
	k.outLines = 0
	k.cmdKind = kind
	if kind != promptNone {
		k.prompted = true
		k.userPrompt = k.userPrompt || kind == promptUser
	}
	k.cmd = parseCommand(text, kind)
	if k.cmd.dx != nil {
		k.dxCommand(*k.cmd.dx)
	}
	k.memCommand(text)
	k.bugcheckCommand(text)
	k.zombieCommand(text)
	k.mexProcNote(text)
	k.unfreedCommand(text)
	k.vf.active = false
	k.stopDumpCommand(text)
	k.stopStackCommand(text)
	k.typeFilter = k.cmd.typeFilter
	if k.cmd.context != "" {
		k.context = k.cmd.context
	}
	if k.cmd.wrapper != "" {
		k.wrapped()
	}
	k.ignoring = !k.cmd.known && len(text) > 0
	// A dps or du of a verifier stop's parameter is read for the stop
	// (stopstack.go): no diagnostic says its output is not.
	if k.ignoring && !k.cmd.help && !k.brk.reading && k.stopDump.ref == nil {
		name := k.cmd.name
		if k.bc.active {
			// A chain whose analysis is read (".symfix; !analyze -v"):
			// its output is the analysis's.
			name = "!analyze"
		}
		if _, seen := k.ignored[name]; !seen {
			if len(k.ignored) < maxIgnoredNames {
				k.ignored[name] = k.lineNo
			} else if k.ignoredMore++; k.ignoredMoreLine == 0 {
				k.ignoredMoreLine = k.lineNo
			}
		}
	}
	if k.cmd.known && (kind == promptUser || kind == promptNone) && strings.HasPrefix(strings.ToLower(k.cmd.name), "!handle") {
		k.um = umListing{active: true, line: k.lineNo, partial: k.cmd.partial()}
	}
}

// endBlock closes everything a new command or process ends.
func (k *kdReader) endBlock() {
	k.endEntry()
	k.endTable()
	k.endHeader()
	k.details = false
	k.typeRows = false
	k.countRows = false
	k.filteredInfo = false
}

// elision notes an author's "..." in the capture.
func (k *kdReader) elision() {
	k.endEntry()
	k.lastElision = k.lineNo
	k.table.elided = true
	k.um.elided = true
	k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeElision, "the capture omits output here (an elision by whoever pasted it)")
}

// finish reports what only the whole capture shows.
func (k *kdReader) finish() {
	k.endThreads()
	k.endModLoad()
	k.finishBugchecks()
	k.endZombies()
	if k.notAccessible > 0 {
		k.log.Diag(k.notAccessibleLine, facts.SevInfo, facts.CodeMissing,
			"%d process(es) show HandleCount <Data Not Accessible> (the debugger lacked symbols for the handle table): their counts are unknown, not zero", k.notAccessible)
	}
	names := make([]string, 0, len(k.ignored))
	for n := range k.ignored {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return k.ignored[names[i]] < k.ignored[names[j]] })
	for _, n := range names {
		if strings.EqualFold(n, "!analyze") {
			k.log.Diag(k.ignored[n], facts.SevInfo, facts.CodeIgnoredCommand, "output of %q is read only for the bugcheck it names and its parameters; its other lines are counted as ignored", n)
			continue
		}
		if mexProcCommand([]byte(n)) {
			k.log.Diag(k.ignored[n], facts.SevInfo, facts.CodeIgnoredCommand, "output of %q is read only for the process its table names (image, pid, handle count); its other lines are counted as ignored", n)
			continue
		}
		if strings.EqualFold(n, "!verifier") {
			k.log.Diag(k.ignored[n], facts.SevInfo, facts.CodeIgnoredCommand, "output of %q is read only for the allocations a driver's table lists as still in pool (`!verifier 3 X.sys`); its other lines are counted as ignored", n)
			continue
		}
		if strings.EqualFold(n, "!peb") {
			k.log.Diag(k.ignored[n], facts.SevInfo, facts.CodeIgnoredCommand, "output of %q is read only for the image file and command line of the process it is of (in a user-mode capture); its other lines are counted as ignored", n)
			continue
		}
		if zombieListCommand([]byte(n)) {
			k.log.Diag(k.ignored[n], facts.SevInfo, facts.CodeIgnoredCommand, "output of %q is read only for the zombie processes it counts (its warning's count, the rows of -z); its other lines are counted as ignored", n)
			continue
		}
		k.log.Diag(k.ignored[n], facts.SevInfo, facts.CodeIgnoredCommand, "output of %q is not read by leakdiag; its lines are counted as ignored", n)
	}
	if k.ignoredMore > 0 {
		k.log.Diag(k.ignoredMoreLine, facts.SevInfo, facts.CodeIgnoredCommand,
			"output of %d more commands leakdiag does not read, past the %d it names, is counted as ignored", k.ignoredMore, maxIgnoredNames)
	}
}

// maxIgnoredNames bounds the commands not read that the diagnostics name,
// each once; those past it are counted.
const maxIgnoredNames = 64
