package procfd

import (
	"bytes"
	"github.com/leakdiag/leakdiag/dumpreader/internal/filetable"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// fdLimit bounds a descriptor number: the kernel's own limit (fs.nr_open)
// is far below it, and fd*4 must fit a handle value.
const fdLimit = 1 << 40

// readLine accounts for one line.
func (z *reader) readLine(raw []byte) scan.LineKind {
	z.rowLast = false
	line := z.clean.Clean(raw)
	if len(line) == 0 {
		return scan.Ignored
	}
	line, _ = z.uncommented(line)
	if !z.inFlat && len(line) >= flatMinLen {
		if z.flat = flattenedPieces(line, z.flat[:0]); len(z.flat) > 1 {
			// The pieces may alias the cleaner's buffer, which cleaning
			// each of them may write: they are cut again from a copy.
			z.flatLine = append(z.flatLine[:0], line...)
			z.flat = flattenedPieces(z.flatLine, z.flat[:0])
			return z.flattenedLine(z.flat)
		}
	}
	if bytes.HasPrefix(line, []byte("```")) {
		// A markdown fence, often between a command and its output
		// ("Output of `lsof -p 42`:", then the fenced rows): what the
		// command line before it awaits is awaited after it still.
		return scan.Ignored
	}
	// Another program's output goes on while no line is read otherwise.
	foreign := z.foreign
	z.foreign = ""
	// Only the line right after a `| wc -l` command is its count.
	want, wantLsof, wantHeld, wantLsofAll := z.wantCount, z.wantLsof, z.wantHeld, z.wantLsofAll
	z.wantCount, z.wantLsof, z.wantHeld, z.wantLsofAll = nil, nil, nil, false
	bbOpen, numbersOpen := z.bbOpen, z.numbersOpen
	z.bbOpen, z.numbersOpen = false, false
	wantFileTable := z.wantFileTable
	z.wantFileTable = filetable.None
	if wantFileTable != filetable.None && filetable.Figures(line, wantFileTable, z.b, z.pos(z.lineNo)) {
		// What follows up to the next command is no output of the
		// command's (cat prints one line): notes, passed over as before.
		z.foreign = "cat"
		return scan.Parsed
	}
	if kind, ok := filetable.Line(line, z.b, z.pos(z.lineNo)); ok {
		return kind
	}
	if z.wantPwd {
		z.wantPwd = false
		if z.pwdLine(line) {
			return scan.Parsed
		}
	}
	if z.wantShell {
		z.wantShell = false
		if z.shellPIDLine(line) {
			return scan.Parsed
		}
	}
	if kind, ok := z.summaryLine(line); ok {
		return kind
	}
	if z.perProc {
		if isPerProcessOutput(line) {
			z.ev.rows++ // a listing's, though not read
			return scan.Ignored
		}
		z.perProc = false
	}
	if z.ps != nil {
		if kind, ok := z.psLine(line); ok {
			return kind
		}
		z.ps = nil
	}
	if z.pdir != nil {
		if kind, ok := z.procDirRow(line); ok {
			return kind
		}
	}
	if kind, ok := z.rowLine(line); ok {
		return kind
	}
	if kind, ok := z.bbRowLine(line, bbOpen); ok {
		return kind
	}
	if kind, ok := z.headingLine(line); ok {
		return kind
	}
	if isBarePrompt(line) {
		z.promptDir(line)
		return scan.Ignored // a prompt without a command
	}
	if z.twoLinePrompt(line) {
		return scan.Ignored
	}
	if isTotal(line) || scan.HasPrefix(line, "ls: ") || scan.HasPrefix(line, "[sudo] password for ") {
		// ls's "total 0", its complaints about a link it could not read
		// (the row that follows says so too), sudo's prompt.
		return scan.Ignored
	}
	if want != nil {
		if n, ok := wcLines(line); ok {
			return z.countLine(want, n)
		}
	}
	if wantHeld != nil {
		if n, ok := wcLines(line); ok {
			return z.heldLine(wantHeld, n)
		}
	}
	if wantLsof != nil {
		if n, ok := wcLines(line); ok {
			return z.lsofCountLine(wantLsof, n)
		}
	}
	if wantLsofAll {
		if n, ok := wcLines(line); ok {
			return z.lsofAllCountLine(n)
		}
	}
	if kind, ok := z.numbersLine(line, numbersOpen); ok {
		return kind
	}
	if scan.IsElision(line) {
		if z.cur != nil {
			z.cur.run.cut = true
		}
		z.log.Diag(z.lineNo, facts.SevInfo, facts.CodeElision, "the capture omits output here (an elision by whoever pasted it)")
		return scan.Ignored
	}
	for _, read := range [...]func([]byte) (scan.LineKind, bool){
		z.limitsLine, z.psHeader, z.limitsCommand, z.fileTableCommand, z.psCommand, z.commandLine, z.bbCommandLine,
	} {
		if kind, ok := read(line); ok {
			return kind
		}
	}
	if kind, ok := z.foreignCommand(line); ok {
		return kind
	}
	if foreign != "" {
		z.foreign = foreign
		return scan.Ignored
	}
	return scan.Unrecognized
}

// rowLine reads a row of ls -l: the link's mode, links, owner, group,
// size and time, then the descriptor (or /proc/PID/fd/N) and its link
// after " -> ". The mode of a descriptor's link is l, then the owner's
// r, w and x as the descriptor was opened, then six dashes (with a dot
// or plus where SELinux or ACLs mark it). The rows of "." and ".." of
// ls -la are ignored.
func (z *reader) rowLine(line []byte) (scan.LineKind, bool) {
	left, link, linked := bytes.Cut(line, []byte(" -> "))
	z.toks = scan.Fields(left, z.toks[:0])
	if len(z.toks) == 1 && linked && scan.AllDigits(z.toks[0]) {
		return z.bareRow(z.toks[0], scan.TrimSpace(link))
	}
	if len(z.toks) < 3 {
		return 0, false
	}
	mode, last := z.toks[0], z.toks[len(z.toks)-1]
	findLs := isFindLsRow(z.toks)
	if n := numberColumns(z.toks); n > 0 {
		mode = z.toks[n] // find -ls's inode and blocks, ls -i's inode, ls -s's blocks
	}
	if isDirMode(mode) && !linked && isDotEntry(last) {
		return scan.Ignored, true
	}
	if !isFDMode(mode) && !isUnreadableMode(mode) {
		return 0, false
	}
	w, fd, ok := fdName(last)
	if !ok {
		return 0, false
	}
	if findLs && w == nil {
		findLs = false // ls -lis: the inode and blocks, then the descriptor alone
	}
	if findLs {
		link = unescapeFindLs(link)
	}
	z.ev.rows++
	l := z.cur
	if w != nil && !z.adoptPID(*w) {
		// ls -l /proc/PID/fd/N: one descriptor, its process in the path.
		l = z.listingFor(*w)
	} else if l == nil {
		l = z.listingFor(who{pid: -1})
	}
	if l == nil {
		return scan.Parsed, true
	}
	z.add(l, fd, scan.TrimSpace(link), linked)
	l.numbered(fd)
	z.rowLast = true
	return scan.Parsed, true
}

// numberColumns returns how many numbers precede the mode of an ls -l row
// (toks, its fields before " -> "): the inode ls -i prints, the blocks of
// -s, both with -is, as find -ls prints them; 0 for a row that starts
// with its mode, or one that is no row.
func numberColumns(toks [][]byte) int {
	for n := 0; n < 3 && n+3 <= len(toks); n++ {
		if m := toks[n]; isFDMode(m) || isUnreadableMode(m) || isDirMode(m) {
			return n
		}
		if !scan.AllDigits(toks[n]) {
			return 0
		}
	}
	return 0
}

// bareRow reads a row that kept only the descriptor and its link, "3 ->
// 'socket:[23354]'", as a listing cut down with awk or printed by a
// script shows them. Only rows whose link is one the kernel gives a
// descriptor (a socket, a pipe, an anonymous inode, a device) count as
// evidence of the format: "2 -> usr/bin" could be anything's.
func (z *reader) bareRow(num, link []byte) (scan.LineKind, bool) {
	fd, ok := scan.ParseDec(num)
	if !ok || fd >= fdLimit || len(link) == 0 {
		return 0, false
	}
	if isKernelLink(unquote(link)) {
		z.ev.rows++
	}
	l := z.cur
	if l == nil {
		l = z.listingFor(who{pid: -1})
	}
	if l != nil {
		z.add(l, fd, link, true)
		l.numbered(fd)
	}
	z.rowLast = true
	return scan.Parsed, true
}

// isDotEntry recognizes the "." and ".." rows of ls -la ("./" and "../"
// with -F, as the ll alias gives).
func isDotEntry(name []byte) bool {
	switch string(name) {
	case ".", "..", "./", "../":
		return true
	}
	return false
}

// fdName reads the name a row ends with: a descriptor number, or the
// path /proc/PID/fd/N (with the process it names; /proc/self/fd/N names
// none).
func fdName(b []byte) (*who, int64, bool) {
	if scan.AllDigits(b) {
		fd, ok := scan.ParseDec(b)
		return nil, fd, ok && fd < fdLimit
	}
	rest, ok := bytes.CutPrefix(b, []byte("/proc/"))
	if !ok {
		return nil, 0, false
	}
	proc, num, ok := bytes.Cut(rest, []byte("/fd/"))
	if !ok || !scan.AllDigits(num) {
		return nil, 0, false
	}
	w, ok := procName(proc)
	if !ok {
		return nil, 0, false
	}
	fd, ok := scan.ParseDec(num)
	return &w, fd, ok && fd < fdLimit
}

// headingLine reads the heading ls prints before each directory it lists
// when given several: "/proc/1234/fd:".
func (z *reader) headingLine(line []byte) (scan.LineKind, bool) {
	body, ok := bytes.CutSuffix(line, []byte("/fd:"))
	if !ok {
		return 0, false
	}
	body, ok = bytes.CutPrefix(body, []byte("/proc/"))
	if !ok {
		return 0, false
	}
	w, ok := procName(body)
	if !ok {
		return 0, false
	}
	z.ev.commands++
	z.start(w, true)
	return scan.Parsed, true
}

// start begins a listing of w's descriptors; whole says the command lists
// the whole directory (no filter, no single descriptor). A later listing
// of a process listed before repeats its rows (again).
func (z *reader) start(w who, whole bool) {
	w = z.resolveShell(w)
	_, seen := z.all[w.key()]
	z.endCommand()
	z.cur = z.listingFor(w)
	if z.cur == nil {
		return
	}
	z.cur.again = z.cur.again || seen
	z.cur.startRun(whole)
}

// endCommand ends what the command before gave: its listing's run, the
// limits and ps rows it showed.
func (z *reader) endCommand() {
	if z.cur != nil {
		z.cur.endRun()
	}
	z.cur, z.limits, z.ps, z.pdir, z.bareLs = nil, nil, nil, nil, false
}

// wcLines returns the count of lines in what wc printed: the number
// `wc -l` prints, or the first of the counts plain wc (or wc -lc...)
// prints on one line, lines first; elvish's count prints it after "▶ ".
func wcLines(line []byte) ([]byte, bool) {
	line, _ = bytes.CutPrefix(line, []byte("▶ ")) // elvish prints values so
	f := bytes.Fields(line)
	if len(f) == 0 || len(f) > 4 {
		return nil, false
	}
	for _, n := range f {
		if !scan.AllDigits(n) {
			return nil, false
		}
	}
	return f[0], true
}

// countLine reads the count `| wc -l` printed for the listing before it.
func (z *reader) countLine(l *listing, line []byte) scan.LineKind {
	n, ok := scan.ParseDec(line)
	if !ok || n < z.wcAdjust || n-z.wcAdjust >= fdLimit {
		return scan.Unrecognized
	}
	l.setCount(n-z.wcAdjust, z.lineNo)
	z.ev.counts++
	return scan.Parsed
}

// isFDMode recognizes the mode of a descriptor's link: lrwx------,
// lr-x------, l-wx------, with an optional '.', '+' or '@' after it.
func isFDMode(m []byte) bool {
	if len(m) == 11 && (m[10] == '.' || m[10] == '+' || m[10] == '@') {
		m = m[:10]
	}
	if len(m) != 10 || m[0] != 'l' || (m[1] != 'r' && m[1] != '-') || (m[2] != 'w' && m[2] != '-') || (m[3] != 'x' && m[3] != '-') {
		return false
	}
	return string(m[4:]) == "------"
}

// isUnreadableMode recognizes the mode GNU ls prints for an entry it
// could not stat, "l?????????": the descriptor was closed while listed.
func isUnreadableMode(m []byte) bool {
	return len(m) == 10 && m[0] == 'l' && string(m[1:]) == "?????????"
}

// isDirMode recognizes a directory's mode (the "." and ".." rows).
func isDirMode(m []byte) bool {
	if len(m) == 11 && (m[10] == '.' || m[10] == '+' || m[10] == '@') {
		m = m[:10]
	}
	if len(m) != 10 || m[0] != 'd' {
		return false
	}
	for _, c := range m[1:] {
		if c != 'r' && c != 'w' && c != 'x' && c != '-' {
			return false
		}
	}
	return true
}

// totalWords are the words GNU ls -l prints before the blocks of the
// entries listed, by locale: English, French, Spanish and Portuguese
// "total", German "insgesamt", Chinese 总用量 (總用量), Japanese 合計,
// Korean 합계, Russian "итого", Italian "totale", Dutch "totaal", Polish
// "razem".
var totalWords = [...]string{"total", "insgesamt", "总用量", "總用量", "合計", "합계", "итого", "totale", "totaal", "razem"}

// isTotal recognizes ls -l's "total N" in the locales of totalWords, N
// a number of blocks (with -h a size: "4.0K").
func isTotal(line []byte) bool {
	word, n, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(n) == 0 || len(n) > 12 || !scan.IsDigit(n[0]) {
		return false
	}
	for _, c := range n[1:] {
		if !scan.IsDigit(c) && c != '.' && c != ',' && !bytes.ContainsRune([]byte("KMGTPE"), rune(c)) {
			return false
		}
	}
	for _, w := range totalWords {
		if string(word) == w {
			return true
		}
	}
	return false
}

// fileTableCommand reads a command that shows the kernel's file table
// (`cat /proc/sys/fs/file-nr`, `sysctl fs.file-max`): the next line is
// its figures.
func (z *reader) fileTableCommand(line []byte) (scan.LineKind, bool) {
	k := filetable.Command(line)
	if k == filetable.None {
		return 0, false
	}
	z.endCommand()
	z.wantFileTable = k
	return scan.Parsed, true
}
