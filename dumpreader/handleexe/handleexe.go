package handleexe

import (
	"bytes"
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: the text output of Sysinternals Handle (handle.exe,
// handle64.exe, nthandle.exe in its first versions): the per-process
// listing, name-search results, the `-s` type summary and the `-v`/`-vt`
// CSV forms, versions 3 to 5.
const Name = "handle"

// Diagnostic codes of the Handle reader, besides the facts.Code* ones.
const (
	// CodeToolError: Handle printed an error (initialization, access, an
	// unaccepted EULA, its usage text) instead of or amid its output.
	CodeToolError = "tool-error"
	// CodeNoMatch: a Handle search matched no handle.
	CodeNoMatch = "no-match"
	// CodeHeaderMismatch: a CSV header names other columns than its rows
	// hold (Handle 5.0 with -u -v); the rows were read by their shape.
	CodeHeaderMismatch = "csv-header-mismatch"
	// CodeValueSuffix: a handle value printed with Handle 5.0's "08X"
	// suffix in place of the ':' after it (`handle -u NAME`).
	CodeValueSuffix = "handle-value-08x"
	// CodeDuplicateType: a type summary lists one type on several rows;
	// their counts were added.
	CodeDuplicateType = "duplicate-type-row"
	// CodeSummaryScope: a type summary whose scope (one process or the
	// whole system) the capture does not show.
	CodeSummaryScope = "summary-scope"
	// CodeSummaries: a capture holds several type summaries of the
	// machine, or of one process; the last is read.
	CodeSummaries = "several-summaries"
	// CodeHeaderless: type summary rows shown without the "Handle type
	// summary:" line above them, after a summary of the same command:
	// read as another summary of it.
	CodeHeaderless = "summary-without-header"
	// CodeReplacedChars: file names hold '?', which no file name can:
	// characters were lost on the way (a console code page that lacks
	// them, a name Handle could not read).
	CodeReplacedChars = "replaced-characters"
)

// handleExeReader reads the output of Sysinternals Handle into a
// facts.Builder, one line at a time. Handle prints one line per handle,
// so the state between lines is small: the process of the current
// listing section, the type summary or CSV block being read, and the
// Handle command line the capture showed last.
type handleExeReader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner
	types  stringIntern
	names  stringIntern
	toks   [][]byte

	// trailingBlank says the raw line ended in a blank, which CSV rows of
	// Handle 5 do after every name.
	trailingBlank bool
	// prefixes are the comment markers stripped from lines so far.
	prefixes map[string]bool

	cmd handleExeCmd
	// cmdRun is set once a banner has started the run of cmd: a later
	// banner is another run, of a command the capture does not show.
	cmdRun bool
	// foreign is the command (not Handle) whose output follows a prompt,
	// "" when there is none; lines of its output that are not Handle's are
	// ignored rather than unrecognized.
	foreign     string
	foreignSeen map[string]bool
	usage       bool // inside Handle's usage text
	eula        bool // the EULA message was reported

	// owner is the process of the current listing section (the latest
	// "image pid: N" header), nil outside one.
	owner *facts.ProcessBuilder
	// orphaned is set once the current run of handles without a process
	// has been noted; pendingOrphan is the line of its first handle while
	// the run may still show it was `handle -c` (close.go).
	orphaned      bool
	pendingOrphan int64
	// closeEchoes counts runs of `handle -c` whose handles had no process
	// line, the first at closeEchoLine.
	closeEchoes   int
	closeEchoLine int64
	// images maps each pid shown to its image, to tell a `-s -p NAME`
	// summary's process.
	images map[uint64]string

	sum handleExeSummary
	// systems are the summaries of no process the capture names: the
	// machine's, or, without their command line, one process's
	// (unscoped.go).
	systems summaryRun
	// scopedSystem: a summary kept was shown run without -p; unscoped
	// counts those whose command line the capture does not show, the
	// first on unscopedLine; the least total among them (on leastLine)
	// tells their scope (unscoped.go).
	scopedSystem  bool
	unscoped      int
	unscopedLine  int64
	unscopedTotal bool
	leastUnscoped int64
	leastLine     int64
	csv           handleExeCSV
	// lastSummary is the line of the latest summary's header, 0 before
	// the first (headerless.go); processSums are the summaries of each
	// process, in the order of their first (processsummaries.go).
	lastSummary int64
	lastTypes   map[string]int64 // the types of the latest summary closed
	// headerless counts the summaries read without their header, the
	// first on headerlessLine after the one on headerlessAfter.
	headerless      int
	headerlessLine  int64
	headerlessAfter int64
	processSums     []processRun
	// namedScope holds the names of `-s -p NAME` summaries whose reading
	// was said.
	namedScope    map[string]bool
	processSumIdx map[*facts.ProcessBuilder]int

	// What the capture shows of its own completeness, reported at the end.
	shown [3]handleExeShown // by handleExeForm
	// runListed is what the current run of Handle listed, moved to
	// formClose when "Handle closed." shows the run was `handle -c`.
	runListed     handleExeShown
	allTypes      bool  // a command line with -a was shown
	suffixed      int64 // handle values with the "08X" suffix
	suffixLine    int64
	suffixExample string
	// replaced counts file names with a '?' in place of characters.
	replaced        int64
	replacedLine    int64
	replacedExample string

	// ev counts what Sniff weighs.
	ev handleExeEvidence
	// lastHandle is set when the line just read was a handle.
	lastHandle bool
	// flat holds the pieces of a flattened line (flattened.go);
	// flatNoted is set once one was reported.
	flat      [][]byte
	flatNoted bool
}

// handleExeForm is the form of Handle's output that shows a handle.
type handleExeForm uint8

const (
	// formListing: a listing of processes' handles, of every type with -a,
	// of File and Section handles without.
	formListing handleExeForm = iota
	// formSearch: the result of a name search.
	formSearch
	// formClose: the handle `handle -c` closes.
	formClose
)

// handleExeShown is what the capture showed in one form.
type handleExeShown struct {
	first int64 // the line of the first handle
	n     int64
	other bool // a type other than File and Section
}

func newHandleExeReader(b *facts.Builder, log *facts.SourceLog) *handleExeReader {
	return &handleExeReader{
		b: b, log: log,
		prefixes: map[string]bool{}, foreignSeen: map[string]bool{}, images: map[uint64]string{},
	}
}

// Read reads the output of Sysinternals Handle from r, UTF-8
// text (the caller decodes UTF-16 and strips byte-order marks), into b,
// accounting for every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	return newHandleExeReader(b, log).read(r)
}

// read consumes the whole capture.
func (h *handleExeReader) read(r io.Reader) error {
	last, unterminated, err := scan.ReadLines(r, h.log, &h.lineNo, &h.clean, h.readLine)
	return h.end(last, unterminated, err)
}

// end finishes a capture whose last line read was of kind last; err is
// the reading's.
func (h *handleExeReader) end(last scan.LineKind, unterminated bool, err error) error {
	if unterminated && (last == scan.Unrecognized || h.lastHandle || h.sum.active) {
		h.log.Diag(h.lineNo, facts.SevWarning, facts.CodeTruncated,
			"the capture ends without a line break: its last line may be cut")
		h.dropCutRow()
	}
	h.finish()
	return err
}

func (h *handleExeReader) pos() facts.Position {
	return facts.Position{Path: h.log.Path, Line: h.lineNo}
}

// readLine accounts for one raw line.
func (h *handleExeReader) readLine(raw []byte) scan.LineKind {
	h.lastHandle = false
	h.trailingBlank = len(raw) > 0 && (raw[len(raw)-1] == ' ' || raw[len(raw)-1] == '\t')
	line := h.clean.Clean(raw)
	line = h.stripCommentPrefix(line)
	if len(line) > len(summaryHeader) && !isFlatRow(line) {
		if h.flat = flattenedPieces(line, h.flat[:0]); len(h.flat) > 1 {
			return h.flattenedLine(h.flat)
		}
	}
	kind := h.line(line)
	if kind == scan.Unrecognized && (h.usage || h.foreign != "") {
		// Handle's usage text, or what a wrapper script printed around
		// Handle's output: a diagnostic said where it began.
		return scan.Ignored
	}
	return kind
}

// commentPrefixes are the markers of captures quoted in source comments,
// batch files or mail replies ("%% Handle type summary:" in an Erlang
// comment). No line of Handle's output starts with one of them. A marker
// of one character must stand alone or before a blank, so that
// "%SysInternals%\handle64 -s" keeps its '%'. The '>' of a mail reply or
// a markdown quote is taken off by the cleaner, for every text format.
var commentPrefixes = []string{"%%", "//", "::", "%", "#", ";"}

// stripCommentPrefix returns line without a comment marker and the
// blanks after it, and reports the first line that carried each marker.
func (h *handleExeReader) stripCommentPrefix(line []byte) []byte {
	if len(line) == 0 {
		return line
	}
	switch line[0] {
	case '%', '/', '#', ';', ':':
	default:
		return line
	}
	for _, p := range commentPrefixes {
		if !scan.HasPrefix(line, p) || (len(p) == 1 && len(line) > 1 && !scan.IsSpace(line[1])) {
			continue
		}
		if !h.prefixes[p] {
			h.prefixes[p] = true
			h.log.Diag(h.lineNo, facts.SevInfo, facts.CodeRepaired,
				"lines start with %q (a capture quoted in a comment or a reply): read without it", p)
		}
		return scan.TrimSpace(line[len(p):])
	}
	return line
}

// line accounts for one cleaned line.
func (h *handleExeReader) line(line []byte) scan.LineKind {
	if len(line) == 0 {
		h.endSummary()
		h.endCSV()
		return scan.Ignored
	}
	// Handle lines first: they are most of a capture.
	if scan.IsHexDigit(line[0]) {
		if kind, ok := h.listingLine(line); ok {
			return kind
		}
	}
	if h.sum.active {
		if kind, ok := h.summaryLine(line); ok {
			return kind
		}
		h.endSummary()
	}
	if scan.IsSeparator(line) {
		// The dashed line above each process of a listing.
		h.endSection()
		h.endCSV()
		h.ev.separator++
		return scan.Ignored
	}
	if kind, ok := h.bannerLine(line); ok {
		return kind
	}
	if cmd, ok := handleExePrompt(line); ok {
		h.command(cmd)
		return scan.Parsed
	}
	if cmd, ok := placeholderPromptCommand(line); ok {
		h.command(cmd)
		return scan.Parsed
	}
	if bytes.Equal(line, []byte("Handle type summary:")) {
		h.startSummary()
		return scan.Parsed
	}
	if kind, ok := h.processLine(line); ok {
		return kind
	}
	if kind, ok := h.csvLine(line); ok {
		return kind
	}
	if kind, ok := h.messageLine(line); ok {
		return kind
	}
	if scan.IsElision(line) {
		h.log.Diag(h.lineNo, facts.SevInfo, facts.CodeElision, "the capture omits output here (an elision by whoever pasted it)")
		return scan.Ignored
	}
	if isFence(line) {
		h.endSummary()
		h.endCSV()
		return scan.Ignored
	}
	if isHandleExeCommandEcho(line) {
		h.command(line)
		return scan.Parsed
	}
	if kind, ok := h.headerlessSummaryLine(line); ok {
		return kind
	}
	return scan.Unrecognized
}

// newRun starts the output of another run of Handle.
func (h *handleExeReader) newRun() {
	h.endSection()
	h.endSummary()
	h.endCSV()
	h.usage = false
	h.orphaned = false
	h.runListed = handleExeShown{}
}

// endSection ends the current process section of a listing.
func (h *handleExeReader) endSection() {
	h.flushOrphans()
	h.owner = nil
	h.orphaned = false
}

// finish reports what only the whole capture shows.
func (h *handleExeReader) finish() {
	h.endSummary()
	h.endCSV()
	h.flushOrphans()
	h.reportCloseEchoes()
	runs := h.readProcessSummaries()
	if r, ok := h.readSystem(); ok {
		runs = append(runs, r)
	}
	h.earlierCaptures(runs)
	h.reportHeaderless()
	if s := h.shown[formListing]; s.n > 0 && !s.other && !h.allTypes {
		h.log.Diag(s.first, facts.SevInfo, scan.CodePartial,
			"only File and Section handles are listed, as Handle shows without -a: the counts leave out every other type")
	}
	if s := h.shown[formSearch]; s.n > 0 {
		what := "handles"
		if !s.other && !h.allTypes {
			what = "File and Section handles"
		}
		h.log.Diag(s.first, facts.SevInfo, scan.CodePartial,
			"search results (`handle NAME`): only the %s whose names match are shown", what)
	}
	if s := h.shown[formClose]; s.n > 0 {
		h.log.Diag(s.first, facts.SevInfo, scan.CodePartial,
			"output of `handle -c`: only the handle it closes is shown")
	}
	if h.replaced > 0 {
		h.log.Diag(h.replacedLine, facts.SevInfo, CodeReplacedChars,
			"%d file name(s) hold '?', which file names cannot, the first %q: characters were lost on the way (a console code page that lacks them, or a name Handle could not read), so such names may not match the files",
			h.replaced, h.replacedExample)
	}
	if h.suffixed > 0 {
		h.log.Diag(h.suffixLine, facts.SevWarning, CodeValueSuffix,
			"%d handle value(s) printed with \"08X\" in place of the ':' after them (Handle 5.0's -u search), the first %q: read as the hex digits before it, which may be wrong",
			h.suffixed, h.suffixExample)
	}
}

// stringIntern turns byte slices into strings, one allocation per
// distinct value: type names and object names repeat from one handle to
// the next.
type stringIntern struct {
	m    map[string]string
	last string
	// limit, if above 0, is the most values kept: past it a value not
	// kept is made a string each time.
	limit int
}

func (in *stringIntern) get(b []byte) string {
	if string(b) == in.last {
		return in.last
	}
	s, ok := in.m[string(b)]
	if !ok {
		if in.m == nil {
			in.m = map[string]string{}
		}
		s = string(b)
		if in.limit <= 0 || len(in.m) < in.limit {
			in.m[s] = s
		}
	}
	in.last = s
	return s
}

// isFence recognizes a markdown code fence around a pasted capture:
// "```", with its info string if any ("```console", "```cmhg"), or
// "~~~". No line of Handle's output starts with either.
func isFence(line []byte) bool {
	var rest []byte
	switch {
	case scan.HasPrefix(line, "```"):
		rest = line[3:]
	case scan.HasPrefix(line, "~~~"):
		rest = line[3:]
	default:
		return false
	}
	for _, c := range rest {
		if !scan.IsAlnum(c) && c != '-' && c != '_' && c != '+' && c != '`' && c != '~' {
			return false
		}
	}
	return true
}
