package poolmon

import (
	"bytes"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: PoolMon's display or log.
const Name = "poolmon"

// tagLimit bounds the tags one capture may hold: hostile text could
// list millions, and each is kept until the end.
const tagLimit = 1 << 16

// reader reads PoolMon's output one line at a time.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner

	command string // the poolmon command line, "" when not shown
	sort    string
	header  int64 // the line of the latest table header, 0 before one
	// npKB and pKB are the header's "Pool N:" and "P:", -1 when not shown.
	npKB, pKB int64
	tags      map[string]*facts.PoolTag
	order     []string // the tags in the order first shown
	rows      int64
	dropped   int64 // rows past tagLimit
	ev        evidence

	// A screen is one display of the table (a refresh, a screen pasted
	// after another): a tag's figures are compared from one to the next.
	// screen numbers the current one from 0; shown are the tags and pools
	// its rows show, in the order shown; screenRows counts its rows,
	// firstRow is the line of its first. at is where the latest screen
	// started: its header, else its first row.
	screen     int64
	shown      map[string]facts.PoolsShown
	shownOrder []string
	screenRows int64
	firstRow   int64
	at         int64
	// session: the screen shows session pool (/s). Its figures are not
	// the system pool's, so they give no tag a trend (next to a system
	// pool screen they would look like growth or a fall).
	session bool
}

// evidence counts what Sniff weighs.
type evidence struct {
	memory, header, rows int
	// named counts the lines that name PoolMon without being its command
	// line ("poolmon.exe shows the following:"), console the rows of its
	// console's shape (row.console).
	named, console int
}

// decisive reports whether the lines read so far are PoolMon's: its
// table header or memory line, and a row whose Diff is Allocs minus
// Frees; or a row of its console's shape under a line that names
// PoolMon, as a post quotes the one row that grows.
func (e *evidence) decisive() bool {
	return (e.header > 0 || e.memory > 0) && e.rows > 0 || e.named > 0 && e.console > 0
}

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log, npKB: -1, pKB: -1, sort: facts.PoolSortTag, tags: map[string]*facts.PoolTag{},
		shown: map[string]facts.PoolsShown{}}
}

// Read reads PoolMon's output from r, UTF-8 text, into b, accounting for
// every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	p := newReader(b, log)
	_, _, err := scan.ReadLines(r, log, &p.lineNo, &p.clean, p.readLine)
	p.finish()
	return err
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// PoolMon's output.
func Sniff(text []byte) bool {
	p := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		p.lineNo++
		p.readLine(line)
		return p.ev.decisive()
	})
}

// readLine accounts for one raw line.
func (p *reader) readLine(raw []byte) scan.LineKind {
	line := p.clean.Clean(raw)
	if kind, ok := proctable.Noise(line, p.log, p.lineNo); ok {
		return kind
	}
	switch {
	case scan.HasPrefixFold(line, "Memory:"):
		p.endScreen()
		p.ev.memory++
		return scan.Parsed
	case scan.HasPrefixFold(line, "Commit:"):
		if i := bytes.Index(line, []byte("Pool N:")); i >= 0 {
			if n, ok := kbAfter(line[i:], "Pool N:"); ok {
				p.npKB = n
				if n, ok := kbAfter(line[i:], " P:"); ok {
					p.pKB = n
				}
			}
		}
		return scan.Parsed
	case bytes.EqualFold(line, []byte("System pool information")):
		p.endScreen()
		return scan.Parsed
	case isSessionTitle(line):
		p.endScreen()
		p.session = true
		p.log.Diag(p.lineNo, facts.SevInfo, facts.CodeMissing, "PoolMon shows session pool here (/s): its tags are read with the system pool's")
		return scan.Parsed
	case isHeader(line):
		p.endScreen()
		p.header = p.lineNo
		p.ev.header++
		return scan.Parsed
	}
	if cmd, ok := command(line); ok {
		p.endScreen()
		p.command = cmd
		p.sort = sortOf(cmd)
		return scan.Parsed
	}
	if r, ok := parseRow(line); ok {
		p.add(r)
		p.ev.rows++
		if r.console {
			p.ev.console++
		}
		return scan.Parsed
	}
	if scan.ContainsFold(line, "poolmon") {
		p.ev.named++ // prose about PoolMon: still a line to report
	}
	return scan.Unrecognized
}

// isSessionTitle recognizes the title of a display of session pool
// (/s): "Session pool information", "All sessions pool information",
// "Session 0 pool information".
func isSessionTitle(line []byte) bool {
	if len(line) > 64 || !scan.ContainsFold(line, "pool information") {
		return false // most lines: tested before they are split and lowered
	}
	f := strings.Fields(strings.ToLower(string(line)))
	if len(f) < 3 || len(f) > 4 || f[len(f)-2] != "pool" || f[len(f)-1] != "information" {
		return false
	}
	switch {
	case len(f) == 3:
		return f[0] == "session"
	case f[0] == "all":
		return f[1] == "sessions"
	default:
		_, ok := scan.ParseDec([]byte(f[1]))
		return f[0] == "session" && ok
	}
}

// isHeader recognizes the table's header: "Tag Type Allocs Frees Diff
// Bytes Per Alloc", after a markdown "##" where notes made one of it.
func isHeader(line []byte) bool {
	if !scan.HasPrefixFold(bytes.TrimLeft(line, "# "), "tag") {
		return false // most lines: nothing to split
	}
	f := strings.Fields(strings.ToLower(string(bytes.TrimLeft(line, "# "))))
	want := []string{"tag", "type", "allocs", "frees", "diff", "bytes"}
	if len(f) < len(want) || len(f) > 12 {
		return false
	}
	for i, w := range want {
		if f[i] != w {
			return false
		}
	}
	return true
}

// command returns the poolmon command line, after a prompt ("C:\>",
// "$ ") where there is one.
func command(line []byte) (string, bool) {
	if !scan.ContainsFold(line, "poolmon") {
		return "", false // most lines: nothing to split
	}
	f := strings.Fields(string(line))
	if len(f) == 0 || len(f) > 8 {
		return "", false
	}
	first := strings.ToLower(f[0])
	if i := strings.LastIndexAny(first, `>\`); i >= 0 {
		first = first[i+1:]
	}
	if first == "" && len(f) > 1 {
		f = f[1:]
		first = strings.ToLower(f[0])
	}
	if first != "poolmon" && first != "poolmon.exe" {
		return "", false
	}
	if len(f) > 1 && !strings.HasPrefix(f[1], "/") && !strings.HasPrefix(f[1], "-") {
		// Prose that begins with the tool's name ("poolmon.exe shows
		// the following:"): its options begin with / or -.
		return "", false
	}
	return strings.Join(f, " "), true
}

// sortOf is the order a poolmon command line asks for: /b by bytes, /p
// and /t by tag; PoolMon sorts by tag unless told.
func sortOf(cmd string) string {
	for _, a := range strings.Fields(strings.ToLower(cmd))[1:] {
		if a == "/b" || a == "-b" {
			return facts.PoolSortBytes
		}
	}
	return facts.PoolSortTag
}

// kbAfter reads the "NNNK" after label in line.
func kbAfter(line []byte, label string) (int64, bool) {
	i := bytes.Index(line, []byte(label))
	if i < 0 {
		return 0, false
	}
	n, rest, ok := number(line[i+len(label):])
	if !ok && len(rest) > 0 {
		// "Pool N:294336K": the K ends the number.
		b := scan.TrimSpace(line[i+len(label):])
		j := 0
		for j < len(b) && scan.IsDigit(b[j]) {
			j++
		}
		if j == 0 || j >= len(b) || (b[j] != 'K' && b[j] != 'k') {
			return 0, false
		}
		return scan.ParseDec(b[:j])
	}
	return n, ok
}

// add records a row: a tag shown again (a later refresh) takes its latest
// figures for that pool.
func (p *reader) add(r row) {
	p.rows++
	p.screenRows++
	if p.firstRow == 0 {
		p.firstRow = p.lineNo
	}
	t := p.tags[r.tag]
	if t == nil {
		if len(p.tags) >= tagLimit {
			p.dropped++
			return
		}
		t = &facts.PoolTag{Tag: r.tag, Source: facts.Position{Path: p.log.Path, Line: p.lineNo}}
		p.tags[r.tag] = t
		p.order = append(p.order, r.tag)
	}
	shows, seen := p.shown[r.tag]
	if !seen {
		// Where the screen shows the tag first: as `!poolused` rows are,
		// a tag is quoted from the latest listing that shows it.
		p.shownOrder = append(p.shownOrder, r.tag)
		t.Source.Line = p.lineNo
	}
	if r.paged {
		t.PagedAllocs, t.PagedBytes = r.allocs, r.bytes
		p.shown[r.tag] = shows | facts.ShowsPaged
	} else {
		t.NonPagedAllocs, t.NonPagedBytes = r.allocs, r.bytes
		p.shown[r.tag] = shows | facts.ShowsNonPaged
	}
	if r.mapped != "" {
		t.Binary, t.Description = mapped(r.mapped)
	}
}

// mapped reads what poolmon -g prints of a tag, "[dxgkrnl.sys - Unknown]"
// or "[ntoskrnl.exe - Thread objects]", as its binary and description.
func mapped(s string) (binary, desc string) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "[]"))
	binary, desc, _ = strings.Cut(s, " - ")
	binary, desc = strings.TrimSpace(binary), strings.TrimSpace(desc)
	if strings.EqualFold(desc, "Unknown") || strings.EqualFold(desc, "Unknown Driver") {
		desc = ""
	}
	return binary, desc
}

// finish gives the snapshot the tags and the pools' totals.
func (p *reader) finish() {
	if p.dropped > 0 {
		p.log.Diag(p.lineNo, facts.SevWarning, facts.CodeMissing, "%d rows past the first %d tags are not read", p.dropped, tagLimit)
	}
	p.endScreen()
	if p.rows == 0 {
		return
	}
	u := p.b.PoolUsage()
	var sums facts.PoolTotals
	for _, tag := range p.order {
		t := p.tags[tag]
		sums.NonPagedAllocs += t.NonPagedAllocs
		sums.NonPagedBytes += t.NonPagedBytes
		sums.PagedAllocs += t.PagedAllocs
		sums.PagedBytes += t.PagedBytes
	}
	if p.npKB >= 0 && p.pKB >= 0 {
		// The header's pool totals cover every tag, those scrolled out
		// of a console's window too.
		tot := sums
		tot.NonPagedBytes = max(sums.NonPagedBytes, p.npKB*1024)
		tot.PagedBytes = max(sums.PagedBytes, p.pKB*1024)
		u.AddTotals(tot, true)
	} else {
		u.AddTotals(sums, false)
		p.log.Diag(p.at, facts.SevInfo, facts.CodeMissing,
			"PoolMon's output without its header's pool totals (Pool N: and P:): pool totals are at least the sum of the %d rows shown", p.rows)
	}
}

// endScreen gives the snapshot the screen read, if it has rows: its tags,
// each with its latest figures (those of both pools, though the screen
// may show one), and its listing.
func (p *reader) endScreen() {
	if p.screenRows == 0 {
		return
	}
	p.at = p.header // where the listing starts: its header, else its first row
	if p.at == 0 || p.at > p.firstRow {
		p.at = p.firstRow
	}
	u := p.b.PoolUsage()
	for _, tag := range p.shownOrder {
		shown := p.shown[tag]
		if p.session {
			shown = 0
		}
		p.b.AddPoolTag(*p.tags[tag], p.screen, shown)
	}
	u.AddListing(facts.PoolListing{Command: p.command, Sort: p.sort, Rows: p.screenRows,
		Source: facts.Position{Path: p.log.Path, Line: p.at}})
	p.screen++
	p.screenRows, p.firstRow, p.header, p.session = 0, 0, 0, false
	p.shownOrder = p.shownOrder[:0]
	clear(p.shown)
}
