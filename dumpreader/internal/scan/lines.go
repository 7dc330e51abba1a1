package scan

import (
	"bytes"
	"io"

	"github.com/leakdiag/leakdiag/facts"
)

// MaxLineLen bounds the memory one line may take. No debugger prints lines
// this long; a longer one is damage (a binary file, a log without line
// breaks) and is reported, cut, rather than read into memory whole.
const MaxLineLen = 1 << 20

// LineReader splits a stream into lines without copying them: the slice
// next returns is valid until the following call. It ends lines at LF and
// drops any CRs before it (CRLF and the CR CR LF that text-mode round trips
// leave), and it takes a stream whose first 64 KiB hold CRs but no LF as one
// with classic Mac CR endings.
type LineReader struct {
	r        io.Reader
	buf      []byte
	start    int
	end      int
	eof      bool
	err      error
	sep      byte
	sniffed  bool
	skipping bool // discarding the rest of an over-long line
	// cut is set when the line just returned was longer than MaxLineLen
	// and has been cut to that length.
	cut bool
	// unterminated is set when the input ended without a line break: its
	// last line may be cut short.
	unterminated bool
	// max is the longest line returned whole (MaxLineLen unless
	// NewLineReaderMax says otherwise).
	max int
	// undouble drops the spacing of a double-spaced stream (DoubleSpaced,
	// judged on the head the separator is chosen from); dropped says a
	// blank line before the line just returned was dropped.
	undouble bool
	dropped  bool
	spacing  spacing
}

// NewLineReader returns a LineReader of r.
func NewLineReader(r io.Reader) *LineReader {
	return NewLineReaderMax(r, MaxLineLen)
}

// NewLineReaderMax returns a LineReader of r whose lines may be up to max
// bytes long, for a format whose lines are long by design (the header of
// a counter log of thousands of processes).
func NewLineReaderMax(r io.Reader, max int) *LineReader {
	return &LineReader{r: r, buf: make([]byte, 256<<10), sep: '\n', max: max}
}

// Next returns the next line, or false at the end of input. Err tells
// whether the end was an error.
func (lr *LineReader) Next() ([]byte, bool) {
	lr.dropped = false
	line, ok := lr.next()
	if ok && lr.spacing.drop(line) {
		lr.dropped = true
		line, ok = lr.next()
		if ok {
			lr.spacing.drop(line)
		}
	}
	return line, ok
}

func (lr *LineReader) next() ([]byte, bool) {
	lr.cut = false
	for {
		// No line is returned before the separator is chosen, from the
		// first 64 KiB of the stream (not from what is left of it once
		// lines were returned: a short first read would have the tail of
		// a stream split at CRs).
		if lr.sniffed && lr.start < lr.end {
			if i := bytes.IndexByte(lr.buf[lr.start:lr.end], lr.sep); i >= 0 {
				line := lr.buf[lr.start : lr.start+i]
				lr.start += i + 1
				if lr.skipping {
					lr.skipping = false
					continue
				}
				return TrimCR(line), true
			}
		}
		if lr.eof {
			if lr.start < lr.end && !lr.skipping {
				line := lr.buf[lr.start:lr.end]
				lr.start = lr.end
				lr.unterminated = true
				return TrimCR(line), true
			}
			return nil, false
		}
		if lr.start > 0 {
			copy(lr.buf, lr.buf[lr.start:lr.end])
			lr.end -= lr.start
			lr.start = 0
		}
		if lr.end == len(lr.buf) {
			if lr.skipping {
				lr.end = 0
			} else if len(lr.buf) < lr.max {
				grown := make([]byte, min(2*len(lr.buf), lr.max))
				copy(grown, lr.buf[:lr.end])
				lr.buf = grown
			} else {
				line := lr.buf[:lr.end]
				lr.start = lr.end
				lr.skipping = true
				lr.cut = true
				return TrimCR(line), true
			}
		}
		n, err := lr.r.Read(lr.buf[lr.end:])
		lr.end += n
		if !lr.sniffed && (lr.end >= 64<<10 || err != nil) {
			lr.sniffed = true
			head := lr.buf[:lr.end]
			if bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0 {
				lr.sep = '\r'
			}
			lr.spacing.on = lr.undouble && DoubleSpaced(head)
		}
		if err != nil {
			lr.eof = true
			if err != io.EOF {
				lr.err = err
			}
		}
	}
}

// TrimCR returns b without the CRs it ends in.
func TrimCR(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b
}

// ReadLines is the loop every text reader runs: it numbers the lines of r
// into *lineNo, hands each to readLine, and accounts for it in log as
// parsed, ignored or unrecognized (with a diagnostic quoting it, cleaned),
// noting lines cut for length and, once per kind, the paste damage the
// reader's cleaning undid (pasteTally: clean.Seen collects it, and any
// other cleaner of the reader may share it). It returns the kind of the
// last line and whether the text ended without a line break, for the
// reader's judgement of a cut capture.
func ReadLines(r io.Reader, log *facts.SourceLog, lineNo *int64, clean *Cleaner, readLine func([]byte) LineKind) (last LineKind, unterminated bool, err error) {
	lr := NewLineReader(r)
	lr.undouble = true
	var paste pasteTally
	if clean.Seen == nil {
		clean.Seen = new(Damage)
	}
	for {
		raw, ok := lr.Next()
		if lr.dropped {
			// The spacing of a double-spaced capture: numbered, so that
			// positions name the file's lines, and ignored.
			*lineNo++
			log.Lines.Ignored++
		}
		if !ok {
			break
		}
		*lineNo++
		*clean.Seen = 0
		if lr.cut {
			log.Diag(*lineNo, facts.SevError, facts.CodeLongLine, "line longer than %d bytes; read only its start", MaxLineLen)
		}
		last = readLine(raw)
		paste.note(*lineNo, raw, *clean.Seen)
		account(log, *lineNo, last, clean, raw)
	}
	log.Lines.Total = *lineNo
	paste.report(log)
	return last, lr.unterminated, lr.err
}

// Err returns the error that ended the input, nil at its end.
func (lr *LineReader) Err() error { return lr.err }

// Cut says the line Next just returned was longer than the reader's
// longest line (MaxLineLen) and was cut to that length.
func (lr *LineReader) Cut() bool { return lr.cut }

// NewLineReaderLF returns a LineReader of r whose lines end at LF, for
// reading a stream from the middle (a line found by its offset): it does
// not look at the start of r for the line ends it uses, and it starts
// with a small buffer, since such reads are short.
func NewLineReaderLF(r io.Reader) *LineReader {
	return &LineReader{r: r, buf: make([]byte, 16<<10), sep: '\n', sniffed: true}
}
