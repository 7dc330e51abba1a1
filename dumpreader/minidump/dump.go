package minidump

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

var le = binary.LittleEndian

const (
	headerSize   = 32 // MINIDUMP_HEADER
	dirEntrySize = 12 // MINIDUMP_DIRECTORY
	signature    = "MDMP"
	versionLow   = 0xA793 // MINIDUMP_VERSION, the low 16 bits of Version

	// maxStreams caps the directory entries kept. Real dumps have a few
	// dozen; the cap bounds memory when a damaged header claims millions
	// that happen to fit in a large file.
	maxStreams = 4096
)

// Header is the MINIDUMP_HEADER at the start of the file.
type Header struct {
	// Version is the raw Version field; its low 16 bits are 0xA793 and the
	// high 16 bits are the writer's own (DbgHelp puts a build number there).
	Version uint32
	// NumberOfStreams counts the directory entries, unused slots included.
	NumberOfStreams uint32
	// DirectoryOffset is the file offset of the stream directory.
	DirectoryOffset int64
	// CheckSum is as written; writers often leave it 0.
	CheckSum uint32
	// Time is TimeDateStamp, when the dump was written; the zero Time when
	// the field is 0.
	Time time.Time
	// Flags are the MINIDUMP_TYPE bits the writer claims. They do not say
	// reliably which streams exist: look for the streams instead.
	Flags uint64
}

// Stream is one used entry of the stream directory.
type Stream struct {
	// Index is the entry's slot in the directory.
	Index int
	// Type is the entry's StreamType.
	Type StreamType
	// Offset is the stream's file offset (the directory's Rva).
	Offset int64
	// Size is the stream's size in bytes, cut at the end of the file when
	// the directory claims more (a "stream-out-of-bounds" problem).
	Size int64
	// DeclaredSize is the DataSize the directory gives.
	DeclaredSize uint32
	// Decoded is true for the first stream of each type this package
	// decodes; every other stream (unknown, vendor, duplicate, or a type
	// such as Memory64ListStream that this package does not read) is
	// skipped.
	Decoded bool
	// Duplicate is true when an earlier entry has the same type.
	Duplicate bool
}

// Dump is an open minidump. Streams are decoded when first asked for, with
// ReadAt on the underlying reader; nothing holds the whole file. A Dump is
// safe for concurrent use.
type Dump struct {
	r       io.ReaderAt
	size    int64
	header  Header
	dirSize int64
	streams []Stream
	first   map[StreamType]int // index into streams

	mu       sync.Mutex
	problems problemList
	marks    map[string]int // see pass.at
	strs     stringCache
	refs     []span // strings read by the streams decoded once

	modulesOnce sync.Once
	modules     []Module
	byBase      []Module

	threadsOnce sync.Once
	threads     []Thread

	miscOnce sync.Once
	misc     Misc
	hasMisc  bool

	sysOnce sync.Once
	sys     SystemInfo
	hasSys  bool

	acctOnce sync.Once
	acct     Accounting
}

// Open reads the header and the stream directory of the minidump in r,
// which holds size bytes. It returns a *FormatError when the input is not a
// minidump it can read at all, or the reader's error when reading fails.
// Every other kind of damage becomes a Problem on the Dump.
func Open(r io.ReaderAt, size int64) (*Dump, error) {
	if size < headerSize {
		return nil, &FormatError{Offset: 0, Code: "not-minidump",
			Message: fmt.Sprintf("not a minidump: the input is %d bytes, shorter than the %d-byte header", size, headerSize)}
	}
	d := &Dump{r: r, size: size, first: map[StreamType]int{}, marks: map[string]int{}}
	h := make([]byte, headerSize)
	if err := d.readFull(h, 0); err != nil {
		return nil, err
	}
	if string(h[0:4]) != signature {
		return nil, &FormatError{Offset: 0, Code: "not-minidump",
			Message: fmt.Sprintf("not a minidump: signature %q, want %q", h[0:4], signature)}
	}
	ver := le.Uint32(h[4:])
	if ver&0xFFFF != versionLow {
		return nil, &FormatError{Offset: 4, Code: "bad-version",
			Message: fmt.Sprintf("not a minidump: version %#08x, want low 16 bits %#04x", ver, versionLow)}
	}
	n := le.Uint32(h[8:])
	dirRva := int64(le.Uint32(h[12:]))
	d.header = Header{
		Version:         ver,
		NumberOfStreams: n,
		DirectoryOffset: dirRva,
		CheckSum:        le.Uint32(h[16:]),
		Time:            unixTime(le.Uint32(h[20:])),
		Flags:           le.Uint64(h[24:]),
	}
	d.dirSize = int64(n) * dirEntrySize
	if end := dirRva + d.dirSize; end > size {
		return nil, &FormatError{Offset: dirRva, Code: "directory-out-of-bounds",
			Message: fmt.Sprintf("stream directory of %d entries at offset %d ends at offset %d, past the end of the %d-byte file", n, dirRva, end, size)}
	}
	if dirRva < headerSize && n > 0 {
		d.addProblem(dirRva, SeverityError, "directory-overlaps-header",
			"the stream directory at offset %d overlaps the %d-byte header", dirRva, headerSize)
	}
	if err := d.readDirectory(); err != nil {
		return nil, err
	}
	d.checkOverlaps()
	return d, nil
}

// readDirectory reads the directory entries in chunks and keeps the used
// ones.
func (d *Dump) readDirectory() error {
	n := int(d.header.NumberOfStreams)
	return d.eachEntry(d.header.DirectoryOffset, dirEntrySize, n, dirEntrySize, func(i int, at int64, b []byte) error {
		typ := StreamType(le.Uint32(b[0:]))
		dataSize := le.Uint32(b[4:])
		rva := int64(le.Uint32(b[8:]))
		if typ == UnusedStream {
			if dataSize != 0 || rva != 0 {
				d.addProblem(at, SeverityInfo, "unused-slot-not-empty",
					"unused directory slot %d has size %d and offset %d; ignored", i, dataSize, rva)
			}
			return nil
		}
		if len(d.streams) == maxStreams {
			d.addProblem(at, SeverityError, "directory-too-large",
				"directory slot %d (%s) ignored: only the first %d used slots are read", i, typ, maxStreams)
			return nil
		}
		s := Stream{Index: i, Type: typ, Offset: rva, Size: int64(dataSize), DeclaredSize: dataSize}
		if end := rva + int64(dataSize); end > d.size {
			s.Size = max(0, d.size-rva)
			d.addProblem(at, SeverityError, "stream-out-of-bounds",
				"%s at offset %d claims %d bytes, ending at offset %d past the end of the %d-byte file; cut to %d bytes",
				typ, rva, dataSize, end, d.size, s.Size)
			s.Offset = min(rva, d.size)
		}
		if j, dup := d.first[typ]; dup {
			s.Duplicate = true
			first := d.streams[j]
			d.addProblem(at, SeverityWarning, "duplicate-stream",
				"directory slot %d repeats %s (first in slot %d at offset %d); the first is used, this one skipped",
				i, typ, first.Index, first.Offset)
		} else {
			d.first[typ] = len(d.streams)
			s.Decoded = decodedTypes[typ]
		}
		d.streams = append(d.streams, s)
		return nil
	})
}

// checkOverlaps reports streams whose bytes overlap another stream's or the
// header and directory.
func (d *Dump) checkOverlaps() {
	type rng struct {
		lo, hi int64
		name   string
	}
	rs := []rng{{0, headerSize, "the header"}}
	if d.dirSize > 0 {
		rs = append(rs, rng{d.header.DirectoryOffset, d.header.DirectoryOffset + d.dirSize, "the stream directory"})
	}
	for _, s := range d.streams {
		if s.Size > 0 {
			rs = append(rs, rng{s.Offset, s.Offset + s.Size, fmt.Sprintf("%s (directory slot %d)", s.Type, s.Index)})
		}
	}
	slices.SortStableFunc(rs, func(a, b rng) int { return cmp.Compare(a.lo, b.lo) })
	var reach rng // the range seen so far that ends last
	for i, r := range rs {
		if i > 0 && r.lo < reach.hi {
			d.addProblem(r.lo, SeverityWarning, "stream-overlap",
				"%s at offsets [%d, %d) overlaps %s at [%d, %d)", r.name, r.lo, r.hi, reach.name, reach.lo, reach.hi)
		}
		if r.hi > reach.hi {
			reach = r
		}
	}
}

// Header returns the MINIDUMP_HEADER.
func (d *Dump) Header() Header { return d.header }

// Size returns the size of the input in bytes, as given to Open.
func (d *Dump) Size() int64 { return d.size }

// Streams returns the used directory entries in directory order. Unused
// slots (type 0) are left out.
func (d *Dump) Streams() []Stream { return slices.Clone(d.streams) }

// Stream returns the first stream of type t, the one this package decodes.
func (d *Dump) Stream(t StreamType) (Stream, bool) {
	i, ok := d.first[t]
	if !ok {
		return Stream{}, false
	}
	return d.streams[i], true
}

// unixTime converts a time_t; 0 means unknown and gives the zero Time.
func unixTime(t uint32) time.Time {
	if t == 0 {
		return time.Time{}
	}
	return time.Unix(int64(t), 0).UTC()
}
