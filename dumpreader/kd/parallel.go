package kd

import (
	"bytes"
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// ReadWith is Read on par.Workers goroutines besides the caller's (below
// 1, Read itself), the capture cut in pieces of par.ChunkSize. With
// workers, the lines that make up most of a capture (the lines of kernel
// handle entries, blank lines) are parsed on the workers, each line on its
// own, and the reader's state machine runs over the lines in order on the
// caller's goroutine, taking each parsed line where its state is the one
// the parse assumed and reading the line itself otherwise. The facts, line
// numbers, diagnostics and accounting are the same as Read's, for any
// split.
func ReadWith(b *facts.Builder, log *facts.SourceLog, r io.Reader, par scan.Parallel) error {
	k := newKDReader(b, log)
	if par.Workers < 1 {
		return k.read(r)
	}
	last, unterminated, err := scan.ReadLinesParallel(r, k.log, &k.lineNo, &k.clean, par, newPrepper, k.readPrepared)
	return k.end(last, unterminated, err)
}

// preKind is what a worker made of a line.
type preKind uint8

const (
	preNone  preKind = iota // left to the reader
	preBlank                // an empty line
	preHead                 // the first line of a kernel handle entry (or a free one)
	preField                // a line that continues a kernel handle entry
)

// preLine is a line as a worker parsed it, knowing nothing of the lines
// before it.
type preLine struct {
	kind  preKind
	field entryField
	// str is the interned type or name of a preField line.
	str  string
	head entryHead
}

// prepper parses lines on a worker. Its caches are its own: they make
// the same strings of the same bytes as the reader's, and a value whose
// making the reader would report (paste damage, a stray bracket) is left
// to the reader.
type prepper struct {
	types, names *valueCache
}

func newPrepper() func(raw []byte, out *preLine) {
	p := &prepper{types: newValueCache(typeCacheSize, false), names: newValueCache(nameCacheSize, true)}
	return p.prepare
}

// prepare parses raw as readLine would parse it in the state it most
// often comes in: a kernel handle entry's lines, blank lines between
// entries. Anything else is left to the reader (preNone).
func (p *prepper) prepare(raw []byte, out *preLine) {
	line := scan.TrimSpace(raw)
	if len(line) == 0 {
		out.kind = preBlank
		return
	}
	if f, val, ok := parseEntryLine(line); ok {
		var made bool
		switch f {
		case fieldType:
			if len(val) > 0 {
				if out.str, made = p.types.get(val); !made {
					return
				}
			}
		case fieldName:
			if out.str, made = p.names.get(val); !made {
				return
			}
		}
		out.kind, out.field = preField, f
		return
	}
	// readLine's test for a line read as printed.
	if scan.IsHexDigit(line[0]) && bytes.IndexByte(line, '<') < 0 && bytes.IndexByte(line, '&') < 0 {
		if parseEntryStart(line, &out.head) {
			out.kind = preHead
		}
	}
}

// readPrepared reads one line as readLine does, taking the worker's parse
// where the state is the one it assumed: a kernel entry being read for
// its fields, the reader not ignoring a command's output for an entry's
// first line. Any other line, and any line in another state, is read by
// readLine itself.
func (k *kdReader) readPrepared(raw []byte, pre *preLine) scan.LineKind {
	switch pre.kind {
	case preBlank:
		k.linesRead++
		k.blank()
		return scan.Ignored
	case preField:
		if k.entry.active && !k.entry.um {
			k.linesRead++
			switch pre.field {
			case fieldType:
				k.setType(pre.str)
			case fieldName:
				k.setName(pre.str)
			}
			return scan.Parsed
		}
	case preHead:
		// A first line is never a line that continues an entry (its
		// text before the colon is hex), so readLine's first test
		// passes it by.
		if !k.ignoring {
			k.linesRead++
			k.startEntry(scan.TrimSpace(raw), &pre.head)
			return scan.Parsed
		}
	}
	return k.readLine(raw)
}
