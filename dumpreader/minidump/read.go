package minidump

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

const (
	// chunkSize is the most read at once when walking a table of entries.
	chunkSize = 64 << 10
	// maxString caps a MINIDUMP_STRING's Length. NT names are at most
	// 65534 bytes (a UNICODE_STRING's limit), so longer ones are damage.
	maxString = 64 << 10
	// String cache limits: type names repeat (Crashpad writes each once
	// and points every descriptor at it), object names mostly do not.
	maxCachedStrings = 4096
	maxCachedBytes   = 4 << 20
)

// readFull reads len(b) bytes at off. Callers check bounds against d.size
// first, so a short read means the reader holds less than the size given
// to Open, or failed.
func (d *Dump) readFull(b []byte, off int64) error {
	n, err := d.r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("minidump: reading %d bytes at offset %d: %w", len(b), off, err)
}

// eachEntry walks a table of count entries of stride bytes at off and calls
// fn with each entry's index, offset and first need bytes (need <= stride).
// The table must lie inside the file. Entries are read in chunks of at
// most chunkSize bytes; b is reused, so fn copies what it keeps.
func (d *Dump) eachEntry(off, stride int64, count, need int, fn func(i int, at int64, b []byte) error) error {
	if count <= 0 {
		return nil
	}
	if stride > chunkSize {
		b := make([]byte, need)
		for i := range count {
			at := off + int64(i)*stride
			if err := d.readFull(b, at); err != nil {
				return err
			}
			if err := fn(i, at, b); err != nil {
				return err
			}
		}
		return nil
	}
	per := int(chunkSize / stride)
	buf := make([]byte, int64(min(per, count))*stride)
	for i := 0; i < count; {
		k := min(per, count-i)
		at := off + int64(i)*stride
		b := buf[:int64(k)*stride]
		if err := d.readFull(b, at); err != nil {
			return err
		}
		for j := range k {
			e := int64(j) * stride
			if err := fn(i+j, at+e, b[e:e+int64(need)]); err != nil {
				return err
			}
		}
		i += k
	}
	return nil
}

// pass is one walk over part of the dump: it carries what reporting
// problems and accounting need.
type pass struct {
	d *Dump
	// key names the walk for the problem watermark (see at); "" for
	// streams decoded once, which never repeat their problems.
	key  string
	mute bool
	// refs, when set, collects the byte ranges of the strings and object
	// information read, for Accounting.
	refs *spanSet
	// budget is how many more string and object-information bytes this
	// walk may read; see newPass.
	budget     int64
	overBudget bool
}

// newPass starts a walk. The budget bounds time and memory when damaged
// descriptors point many times into the same large bytes: a real dump
// holds each string once, so its strings total less than the file.
func (d *Dump) newPass(key string, refs *spanSet) *pass {
	return &pass{d: d, key: key, refs: refs, budget: 2*d.size + 1<<20}
}

// at marks the start of entry i of the walk. Problems are reported by the
// first walk to reach an entry and muted in later walks over it, so
// iterating twice, or Accounting after iterating, does not repeat them.
// Entry 0 is the table's header; entries start at 1.
func (p *pass) at(i int) {
	if p.key == "" {
		return
	}
	d := p.d
	d.mu.Lock()
	if i >= d.marks[p.key] {
		d.marks[p.key] = i + 1
		p.mute = false
	} else {
		p.mute = true
	}
	d.mu.Unlock()
}

func (p *pass) problem(off int64, sev, code, format string, args ...any) {
	if p.mute {
		return
	}
	p.d.addProblem(off, sev, code, format, args...)
}

// spend takes n bytes from the budget; false, with one problem per walk,
// when it is spent.
func (p *pass) spend(off, n int64) bool {
	if n <= p.budget {
		p.budget -= n
		return true
	}
	if !p.overBudget {
		p.overBudget = true
		p.problem(off, SeverityError, "read-budget-exceeded",
			"strings and object information read exceed twice the file size; the rest are not read (descriptors point many times into the same bytes)")
	}
	return false
}

// ref records that [lo, hi) was read, for Accounting.
func (p *pass) ref(lo, hi int64) {
	if p.refs != nil {
		p.refs.add(lo, hi)
	}
}

// subject says what a string belongs to, for messages. It is formatted
// only when a problem is kept, not for every string read.
type subject struct {
	what  string // "type name"
	owner string // "handle"
	id    uint64
	dec   bool  // print id in decimal (thread ids) rather than hex
	at    int64 // offset of the owning structure
}

func (s subject) String() string {
	if s.owner == "" {
		return s.what
	}
	if s.dec {
		return fmt.Sprintf("%s of %s %d (at offset %d)", s.what, s.owner, s.id, s.at)
	}
	return fmt.Sprintf("%s of %s %#x (at offset %d)", s.what, s.owner, s.id, s.at)
}

// stringCache maps a string's offset to its decoded value, for type names.
type stringCache struct {
	m     map[int64]cachedString
	bytes int
}

type cachedString struct {
	s    string
	span int64 // bytes of the MINIDUMP_STRING in the file, NUL included
	ok   bool  // false: damaged, reported when first read
}

// str reads the MINIDUMP_STRING at rva, which the field at offset from
// points to; what names it for messages. An RVA of 0 means no string. A
// damaged string is a problem and reads as "". The problem's offset is the
// string's, or from's when the string is not in the file at all, so that
// every offset is in the file. Strings read with cache set are remembered
// by offset, so a damaged one is reported once however many descriptors
// point at it.
func (p *pass) str(rva, from int64, cache bool, what subject) (string, error) {
	if rva == 0 {
		return "", nil
	}
	d := p.d
	if cache {
		d.mu.Lock()
		e, hit := d.strs.m[rva]
		d.mu.Unlock()
		if hit {
			if e.ok {
				p.ref(rva, rva+e.span)
			}
			return e.s, nil
		}
	}
	e, err := p.readString(rva, from, what)
	if err != nil || !cache || e.span < 0 {
		return e.s, err
	}
	d.mu.Lock()
	c := &d.strs
	if c.m == nil {
		c.m = map[int64]cachedString{}
	}
	if len(c.m) < maxCachedStrings && c.bytes+len(e.s) <= maxCachedBytes {
		c.m[rva] = e
		c.bytes += len(e.s)
	}
	d.mu.Unlock()
	return e.s, nil
}

// readString reads and checks a MINIDUMP_STRING. A span of -1 means the
// result must not be cached (the budget ran out, which depends on the walk).
func (p *pass) readString(rva, from int64, what subject) (cachedString, error) {
	d := p.d
	if rva < 0 || rva > d.size-4 {
		p.problem(from, SeverityError, "string-out-of-bounds",
			"%s: string offset %d is past the end of the %d-byte file", what, rva, d.size)
		return cachedString{}, nil
	}
	var lb [4]byte
	if err := d.readFull(lb[:], rva); err != nil {
		return cachedString{}, err
	}
	n := int64(le.Uint32(lb[:]))
	switch {
	case n%2 != 0:
		p.problem(rva, SeverityError, "string-odd-length",
			"%s: string length %d is odd, not a whole number of UTF-16 code units", what, n)
		return cachedString{}, nil
	case n > maxString:
		p.problem(rva, SeverityError, "string-too-long",
			"%s: string length %d exceeds %d bytes", what, n, maxString)
		return cachedString{}, nil
	case rva+4+n > d.size:
		p.problem(rva, SeverityError, "string-past-eof",
			"%s: string of %d bytes at offset %d runs past the end of the %d-byte file", what, n, rva, d.size)
		return cachedString{}, nil
	}
	if !p.spend(rva, n) {
		return cachedString{span: -1}, nil
	}
	// Read the terminating NUL too when it fits: it belongs to the string
	// for Accounting, though Length does not count it.
	buf := make([]byte, n, n+2)
	if rva+4+n+2 <= d.size {
		buf = buf[:n+2]
	}
	if err := d.readFull(buf, rva+4); err != nil {
		return cachedString{}, err
	}
	span := 4 + n
	if int64(len(buf)) == n+2 && buf[n] == 0 && buf[n+1] == 0 {
		span += 2
	}
	p.ref(rva, rva+span)
	return cachedString{s: decodeUTF16(buf[:n]), span: span, ok: true}, nil
}

// decodeUTF16 decodes UTF-16LE; unpaired surrogates become U+FFFD.
func decodeUTF16(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) / 2)
	ascii := true
	for i := 0; i+1 < len(b); i += 2 {
		if b[i+1] != 0 || b[i] >= 0x80 {
			ascii = false
			break
		}
		sb.WriteByte(b[i])
	}
	if ascii {
		return sb.String()
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = le.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}
