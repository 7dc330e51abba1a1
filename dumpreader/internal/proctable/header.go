package proctable

import (
	"bytes"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// Role is what a column of a process or handle table holds, as far as
// facts care.
type Role uint8

// The roles of columns. Other is a column the vocabulary knows but
// facts have no use for (NPM(K), CPU(s), Status...).
const (
	Other Role = iota
	PID
	// Image is the image's file name as shown (csrss.exe; Process
	// Explorer's Process, System Informer's Name).
	Image
	// ImageNoExt is a name without its extension, as Get-Process's
	// ProcessName gives it (csrss); see ImageName.
	ImageNoExt
	Handles
	Session
	Threads
	// Created is when the process was created (StartTime, CreationDate).
	Created
	Path
	// Host is the machine the row is of (wmic /format:csv's Node).
	Host
	// PPID is the parent's process id.
	PPID
	// Cmdline is the process's command line.
	Cmdline
	// Services are the Windows services the process hosts, listed with
	// commas (tasklist /svc's Services).
	Services
	// HandleType is a handle's object type (a handle table's Type).
	HandleType
	// ObjectName is a handle's object name (a handle table's Name).
	ObjectName
	// HandleValue is a handle's value (a handle table's Handle, 0x1A4).
	HandleValue
	// NonPagedKB, NonPagedMB and NonPagedBytes are the nonpaged pool
	// charged to the process, in KB (Windows PowerShell's NPM(K)), in MB
	// with two decimals (PowerShell 7's NPM(M)) or in bytes (the NPM and
	// NonpagedSystemMemorySize64 properties).
	NonPagedKB
	NonPagedMB
	NonPagedBytes

	numRoles
)

// Vocab maps the column names a tool prints, as Key gives them (lower
// case, blanks collapsed), to their roles.
type Vocab map[string]Role

// vocabIndex is what header detection asks of a vocabulary before it
// looks up runs of words: whether any name starts with a word, and how
// many words the longest has.
type vocabIndex struct {
	first Vocab // the first word of every name
	words int
	// of is the vocabulary, held so that its address, the index's key,
	// is never another map's.
	of Vocab
}

// vocabIndexes holds each vocabulary's index, by the map's identity: a
// vocabulary is not changed once it is used (the tools' are package
// variables).
var vocabIndexes sync.Map // uintptr -> *vocabIndex

func (v Vocab) index() *vocabIndex {
	id := reflect.ValueOf(v).Pointer()
	if ix, ok := vocabIndexes.Load(id); ok {
		return ix.(*vocabIndex)
	}
	ix := &vocabIndex{first: Vocab{}, of: v}
	for name := range v {
		words := strings.Split(name, " ")
		ix.first[words[0]] = Other
		ix.words = max(ix.words, len(words))
	}
	ix.words = min(ix.words, maxWords)
	actual, _ := vocabIndexes.LoadOrStore(id, ix)
	return actual.(*vocabIndex)
}

// lookup returns the role of name and whether the vocabulary knows it.
func (v Vocab) lookup(name string) (Role, bool) { return lookupIn(v, name) }

// lookupIn is Vocab.lookup of a string or bytes. Detection tries every
// run of words of every line of a capture's head: a short ASCII name is
// lowered into a buffer on the stack and looked up without a string
// made for it.
func lookupIn[S ~string | ~[]byte](v Vocab, name S) (Role, bool) {
	var buf [64]byte
	if len(name) <= len(buf) {
		n := 0
		for ; n < len(name); n++ {
			c, ok := keyByte(name, n)
			if !ok {
				break
			}
			buf[n] = c
		}
		if n == len(name) {
			r, ok := v[string(buf[:n])]
			return r, ok
		}
	}
	r, ok := v[Key(name)]
	return r, ok
}

// Column is one column of a header: its name as printed, its role, and
// for a fixed-width table the rune columns [Start, End) its header (or
// the dashes under it) spans.
type Column struct {
	Name       string
	Role       Role
	Known      bool
	Start, End int
}

// Header is the header of a table: its columns, and the delimiter of
// its rows (0 for a fixed-width table).
type Header struct {
	Cols []Column
	Sep  byte
	// Line is the header's line number.
	Line int64
	// Underlined says a line of dashes under it gave the column widths.
	Underlined bool
	// Spill is the index of the column of a delimited table that may
	// hold the delimiter unquoted (wmic's /format:csv quotes nothing, and
	// a CommandLine has commas), -1 if none: a row with more cells than
	// the header has them in that column.
	Spill int
	// Cut says the header's line was cut inside a name (ParseDelimited):
	// a row's cells after its last column, under the names cut off, are
	// passed over.
	Cut bool
	// Implied says the header is none the capture shows: the command
	// line before the rows says which table they are (Tool.Implied).
	Implied bool
}

// spillNames are the columns that hold free text, the one that takes a
// row's extra cells first.
var spillNames = []string{"commandline", "mainwindowtitle", "description", "caption", "executablepath", "path"}

// Index returns the index of the first column of role r, -1 if none.
func (h *Header) Index(r Role) int {
	for i, c := range h.Cols {
		if c.Role == r && c.Known {
			return i
		}
	}
	return -1
}

// Has reports whether h has a column of role r.
func (h *Header) Has(r Role) bool { return h.Index(r) >= 0 }

// Known counts the columns the vocabulary knows.
func (h *Header) Known() int {
	n := 0
	for _, c := range h.Cols {
		if c.Known {
			n++
		}
	}
	return n
}

// MaxCols bounds the columns of a header: Export-Csv of a process
// object has about 70.
const MaxCols = 256

// maxWords bounds the words of a column name ("Memory (active private
// working set)" has five).
const maxWords = 6

// token is a run of non-blank characters of a line, at rune columns
// [start, end).
type token struct {
	start, end int
	text       []byte
}

// tokens splits line at blanks, with rune positions; a tab moves to the
// next multiple of 8, as the editors that turned a table's runs of
// blanks into tabs counted them. It returns nil past MaxCols*4 tokens
// (no table row is so).
func tokens(line []byte, dst []token) []token {
	toks, more := firstTokens(line, dst, MaxCols*4)
	if more {
		return nil
	}
	return toks
}

// firstTokens is tokens of line up to the n-th, and whether more follow.
func firstTokens(line []byte, dst []token, n int) ([]token, bool) {
	dst = dst[:0]
	col, i := 0, 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			if line[i] == '\t' {
				col = (col/8 + 1) * 8
			} else {
				col++
			}
			i++
		}
		if i >= len(line) {
			break
		}
		if len(dst) >= n {
			return dst, true
		}
		start, startCol := i, col
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			_, w := utf8.DecodeRune(line[i:])
			i += w
			col++
		}
		dst = append(dst, token{start: startCol, end: col, text: line[start:i]})
	}
	return dst, false
}

// ParseFixed reads line as the header of a fixed-width table: names
// separated by blanks, a name of several words taken whole where the
// vocabulary knows it ("User name"). It returns false when the line has
// fewer than two names or a name the vocabulary does not know and
// unknownOK is false.
func ParseFixed(line []byte, v Vocab, unknownOK bool) (Header, bool) {
	// A table's first heading is one the tool prints (Handles, Name,
	// ProcessId...): a line whose first words the vocabulary does not
	// know is refused before all of it is split. Detection tries every
	// line of a capture's head with every table format's vocabulary.
	var first [maxWords]token
	head, _ := firstTokens(line, first[:0], maxWords)
	if n, _ := knownRun(v, head); len(head) < 2 || n == 0 {
		return Header{}, false
	}
	toks := tokens(line, nil)
	if len(toks) < 2 || len(toks) > MaxCols {
		return Header{}, false
	}
	h := Header{Spill: -1}
	for i := 0; i < len(toks); {
		// The longest run of words, one space apart, the vocabulary knows.
		n, role, known := 1, Other, false
		if k, r := knownRun(v, toks[i:min(len(toks), i+maxWords)]); k > 0 {
			n, role, known = k, r, true
		}
		if !known && !unknownOK {
			return Header{}, false
		}
		h.Cols = append(h.Cols, Column{Name: joinTokens(toks[i : i+n]), Role: role, Known: known, Start: toks[i].start, End: toks[i+n-1].end})
		i += n
	}
	return h, true
}

// knownRun is the number of words of the longest run at the start of
// toks, one space apart, that the vocabulary knows, and its role; 0 if
// none is known.
func knownRun(v Vocab, toks []token) (int, Role) {
	if len(toks) == 0 {
		return 0, Other
	}
	ix := v.index()
	if _, ok := lookupIn(ix.first, toks[0].text); !ok {
		return 0, Other // no name of v starts with this word: most lines
	}
	for j := min(len(toks), ix.words); j > 0; j-- {
		if j > 1 && !singleSpaced(toks[:j]) {
			continue
		}
		if r, ok := v.lookupTokens(toks[:j]); ok {
			return j, r
		}
	}
	return 0, Other
}

func singleSpaced(toks []token) bool {
	for k := 1; k < len(toks); k++ {
		if toks[k].start != toks[k-1].end+1 {
			return false
		}
	}
	return true
}

// lookupTokens is lookup of the tokens joined by single spaces, without
// making the string when they are short.
func (v Vocab) lookupTokens(toks []token) (Role, bool) {
	var buf [64]byte
	b := buf[:0]
	for k, t := range toks {
		if k > 0 {
			b = append(b, ' ')
		}
		b = append(b, t.text...)
	}
	return lookupIn(v, b)
}

func joinTokens(toks []token) string {
	var b strings.Builder
	for k, t := range toks {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.Write(t.text)
	}
	return b.String()
}

// Underline applies a line of dashes (or equals signs, as tasklist
// prints) under a fixed-width header ("-------  ------") to h, whose column widths it gives exactly, and
// reports whether line is one. Dashes that do not match the columns one
// for one are still an underline, but leave the widths as the names
// gave them.
func (h *Header) Underline(line []byte) bool {
	toks := tokens(line, nil)
	if len(toks) == 0 {
		return false
	}
	for _, t := range toks {
		// Dashes; tasklist and cmd's tools underline with equals signs.
		if len(bytes.Trim(t.text, "-")) != 0 && len(bytes.Trim(t.text, "=")) != 0 {
			return false
		}
	}
	if len(toks) == len(h.Cols) {
		for i, t := range toks {
			h.Cols[i].Start, h.Cols[i].End = t.start, t.end
		}
	}
	h.Underlined = true
	return true
}

// commandChars are characters no tool's column name holds but a command
// line does: a pipe, a script block or hash table (Select-Object's
// calculated property "@{Name='Threads';Expression={...}}"), a variable.
// A command whose property list has commas is no CSV header.
const commandChars = "|{}$=;"

// ParseDelimited reads line as the header of a table whose cells sep
// separates (a CSV header, quoted or not; a tab-separated copy). It
// returns false when a name is empty, or unknown and unknownOK is false.
//
// A quoted header whose line ends inside a name was cut where it was
// pasted (Export-Csv's header of 60 names, "...","Synchroni): its names
// before the cut one are read, and its rows' further cells, under the
// names cut off, are passed over (none spills into another's).
func ParseDelimited(line []byte, sep byte, v Vocab, unknownOK bool) (Header, bool) {
	cells, ok := SplitDelimited(line, sep, nil)
	cut := !ok && len(cells) < MaxCols && cutInQuote(line, sep)
	if (!ok && !cut) || len(cells) < 2 || len(cells) > MaxCols {
		return Header{}, false
	}
	h := Header{Sep: sep, Spill: -1}
	for _, c := range cells {
		name := strings.TrimSpace(c)
		if name == "" || strings.ContainsAny(name, commandChars) {
			return Header{}, false
		}
		role, known := v.lookup(name)
		if !known && !unknownOK {
			return Header{}, false
		}
		h.Cols = append(h.Cols, Column{Name: name, Role: role, Known: known})
	}
	if cut {
		h.Cut = true
		return h, true
	}
	for _, want := range spillNames {
		for i, c := range h.Cols {
			if strings.EqualFold(c.Name, want) {
				h.Spill = i
				return h, true
			}
		}
	}
	return h, true
}

// cutInQuote says whether line, a CSV line, ends inside a quoted cell:
// an odd number of quotes (a doubled one inside a cell is two).
func cutInQuote(line []byte, sep byte) bool {
	return (sep == ',' || sep == ';') && bytes.Count(line, []byte{'"'})%2 == 1
}
