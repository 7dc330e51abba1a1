package tasklist

import (
	"bytes"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: tasklist's output.
const Name = "tasklist"

// tool is what the shared process-list reader needs to know of tasklist.
var tool = proctable.Tool{
	Vocab:   vocab,
	Table:   isTable,
	Delims:  []byte{','},
	Noise:   noise,
	Command: isCommand,
	// /fo list prints a block of "Key: Value" lines a process: Image
	// Name, PID and at least one more of tasklist's properties make one.
	ListSep:  ':',
	ListKeys: 3,
	ListKey:  listKey,
	// /svc's Services and /m's Modules wrap onto lines indented to them.
	WrapLast: true,
	Implied:  implied,
	NoHandles: "tasklist prints none, in any of its formats: on the same machine run Get-Process, " +
		"or wmic process get ProcessId,Name,HandleCount, or add the Handles column to Task Manager's Details tab",
}

// isTable takes a header of tasklist's tables: Image Name and PID, one
// of tasklist's own columns, every column one of tasklist's.
func isTable(h *proctable.Header) bool {
	if !h.Has(proctable.PID) || !h.Has(proctable.Image) || h.Known() != len(h.Cols) {
		return false
	}
	for _, c := range h.Cols {
		if own[strings.ToLower(c.Name)] {
			return true
		}
	}
	return false
}

// Read reads tasklist's output from r into b, accounting every line in
// log. The caller decodes the text and hands log to b.AddSource
// afterwards.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	return proctable.NewReader(tool, b, log).Read(r)
}

// Sniff reports whether text, the first bytes of a capture decoded to
// UTF-8 (up to 64 KiB is enough), is tasklist's output: a header of its
// tables and a row under it, or a /fo list block. When text fills the 64 KiB, its last line
// may be cut and is not read.
func Sniff(text []byte) bool {
	return proctable.Sniff(tool, Name, text, func(e *proctable.Evidence) bool { return e.Rows > 0 || e.Records > 0 })
}

// listKey splits a line of a /fo list block: the key, words of letters
// ("Image Name", "イメージ名", "Имя образа") with '#', '.' or '-' in them
// ("Session#", "Sitz.-Nr."), or a "№" before them, one the vocabulary
// knows where it is not ASCII, its colon right after it, the value after
// blanks ("PID:          4"); the colons of a value
// ("CPU Time:     0:01:12") stay in it.
func listKey(line []byte) (key, value []byte, ok bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 || i > maxListKey || (i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\t') {
		return nil, nil, false
	}
	key = line[:i]
	prevSpace, ascii := true, true // no blank first
	for j := 0; j < len(key); {
		c, w := utf8.DecodeRune(key[j:])
		ascii = ascii && c < utf8.RuneSelf
		switch {
		case c == ' ':
			if prevSpace {
				return nil, nil, false
			}
		case unicode.IsLetter(c), c == '#' || c == '.' || c == '-' || c == '№':
		default:
			return nil, nil, false
		}
		prevSpace = c == ' '
		j += w
	}
	if prevSpace {
		return nil, nil, false
	}
	if !ascii && !known(key) {
		// A translated key is one of tasklist's: a line of prose in the
		// language of the paste ("備考: ...") stays a line to report.
		return nil, nil, false
	}
	return key, scan.TrimSpace(line[i+1:]), true
}

// known says the vocabulary names key.
func known(key []byte) bool {
	_, ok := vocab[strings.Join(strings.Fields(strings.ToLower(string(key))), " ")]
	return ok
}

// maxListKey bounds a /fo list key in bytes: "ウィンドウ タイトル" takes
// 28.
const maxListKey = 48

// noise accounts for what tasklist prints besides its tables: the line a
// filter that matches nothing prints, in the languages pastes show it.
func noise(line []byte) (scan.LineKind, bool) {
	switch {
	case scan.HasPrefix(line, "INFO: No tasks are running which match the specified criteria."),
		// The same in French and Spanish.
		scan.HasPrefix(line, "Information : aucune tâche en service ne correspond aux critères spécifiés."),
		scan.HasPrefix(line, "INFORMACIÓN: no hay tareas ejecutándose que coincidan con los criterios especificados."):
		return scan.Ignored, true
	case bytes.Equal(line, []byte("-- More --")):
		// more's prompt between pages (tasklist /fo list | more).
		return scan.Ignored, true
	}
	return 0, false
}

// isCommand tells tasklist's command line (tasklist /v, tasklist.exe /fo
// csv) as Mine.
func isCommand(cmd []byte) proctable.CommandKind {
	if !scan.HasPrefixFold(cmd, "tasklist") {
		return proctable.NotCommand // most lines: tested before they are lowered and split
	}
	f := bytes.Fields(bytes.ToLower(cmd))
	if len(f) > 0 && string(bytes.TrimSuffix(f[0], []byte(".exe"))) == "tasklist" {
		return proctable.Mine
	}
	return proctable.NotCommand
}
