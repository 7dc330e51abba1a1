package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// lsof -F prints one field per line (with -F0, the fields of a set on one
// line, each ended by a NUL): a letter that names the field, then its
// value. A process set starts with p (pid) and may hold c (command), R
// (ppid), K (a thread's id) and others; each file set after it starts
// with f (the FD) and may hold t (type), n (name), i (inode), D
// (device), s (size), P (protocol), T (TCP information,
// "TST=CLOSE_WAIT") and others. Fields leakdiag does not use are
// accepted and passed over. Any field set may have been asked for, so no
// field but p and f is relied on.

// lsofFieldSet is the -F output being read.
type lsofFieldSet struct {
	// active is set inside a run of field lines that began with a p
	// field; a blank line, a header or a command line ends it.
	active bool
	proc   *lsofProc
	pid    uint64
	// thread is set once the process set has a K field: its file sets are
	// a thread's, which repeat the process's.
	thread bool
	// open is set while a file set is being read into file; bufs own the
	// bytes of its fields.
	open  bool
	typed bool
	named bool // the file set has an n field
	file  lsofFile
	bufs  [8][]byte
}

// lsofProcessFields are the letters of process set fields; the other
// letters of lsofFieldLetters belong to file sets.
const (
	lsofProcessFields = "pcRgulLKMzZ"
	lsofFieldLetters  = lsofProcessFields + "aCdDfFGiklmnNoPrsStT0123456789"
)

// fieldLine reads a line of -F output: a p line starts it, and the lines
// after it are read as fields until a line that is none.
func (r *lsofReader) fieldLine(line []byte) (scan.LineKind, bool) {
	first := line
	if i := bytes.IndexByte(line, 0); i >= 0 {
		first = line[:i]
	}
	if !r.set.active {
		if len(first) < 2 || first[0] != 'p' || !scan.AllDigits(first[1:]) {
			return 0, false
		}
		r.set.active = true
	}
	kind, ok := r.field(first)
	if !ok {
		r.endSet()
		return 0, false
	}
	r.rowLast = true
	// -F0: the other fields of the set, each ended by a NUL.
	for rest := line[len(first):]; len(rest) > 0; {
		rest = rest[1:]
		f := rest
		if i := bytes.IndexByte(rest, 0); i >= 0 {
			f = rest[:i]
		}
		rest = rest[len(f):]
		if len(f) > 0 {
			r.field(f)
		}
	}
	return kind, true
}

// field reads one field: its letter, then its value.
func (r *lsofReader) field(f []byte) (scan.LineKind, bool) {
	if len(f) == 0 || bytes.IndexByte([]byte(lsofFieldLetters), f[0]) < 0 {
		return 0, false
	}
	s := &r.set
	v := f[1:]
	switch f[0] {
	case 'p':
		pid, ok := scan.ParseDec(v)
		if !ok || pid <= 0 || v[len(v)-1] == '.' {
			return 0, false
		}
		r.endFile()
		s.pid, s.thread = uint64(pid), false
		s.proc = r.proc(s.pid, nil)
		return scan.Parsed, true
	case 'f':
		fd := lsofFDText(v)
		if s.proc == nil || len(fd) == 0 || len(fd) != len(v) {
			return 0, false
		}
		r.endFile()
		if s.thread {
			r.thread(s.pid)
			return scan.Ignored, true
		}
		r.ev.sets++
		s.open, s.typed, s.named = true, false, false
		s.file = lsofFile{line: r.lineNo}
		s.file.fd = s.keep(0, v)
		return scan.Parsed, true
	}
	if bytes.IndexByte([]byte(lsofProcessFields), f[0]) >= 0 {
		if s.proc == nil {
			return 0, false
		}
		switch f[0] {
		case 'c':
			r.setImage(s.proc, v)
		case 'R':
			if ppid, ok := scan.ParseDec(v); ok && !s.thread {
				s.proc.pb.P.PPID = uint64(ppid)
			}
		case 'K':
			s.thread = true
		}
		return scan.Parsed, true
	}
	if s.thread {
		return scan.Ignored, true
	}
	if !s.open {
		return scan.Parsed, true // a field of no file set, such as the m marker of lsof -r
	}
	switch f[0] {
	case 't':
		s.file.typ = s.keep(1, v)
		s.typed = true
	case 'n':
		s.file.name = s.keep(2, v)
		s.named = true
	case 'i':
		s.file.node = s.keep(3, v)
	case 'P':
		s.file.proto = s.keep(4, v)
	case 'T':
		if st, ok := bytes.CutPrefix(v, []byte("ST=")); ok {
			s.file.state = s.keep(5, st)
		}
	case 'D':
		s.file.dev = s.keep(6, v)
	case 's':
		s.file.size = s.keep(7, v)
	}
	return scan.Parsed, true
}

// keep copies v into the set's buffer i, as the line it is on will be
// reused before the file set ends.
func (s *lsofFieldSet) keep(i int, v []byte) []byte {
	s.bufs[i] = append(s.bufs[i][:0], v...)
	return s.bufs[i]
}

// endFile adds the file set being read, if any.
func (r *lsofReader) endFile() {
	s := &r.set
	if !s.open {
		return
	}
	s.open = false
	r.fieldFiles++
	if r.fieldFirst == 0 {
		r.fieldFirst = s.file.line
	}
	if s.typed {
		r.fieldTyped++
	}
	s.file.nameless = !s.named
	r.addFile(s.proc, &s.file)
}

// endSet ends the -F output being read.
func (r *lsofReader) endSet() {
	r.endFile()
	r.set.active, r.set.proc, r.set.thread = false, nil, false
}
