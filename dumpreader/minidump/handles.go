package minidump

import "slices"

const (
	tableHeaderSize = 16 // MINIDUMP_HANDLE_DATA_STREAM, MINIDUMP_HANDLE_OPERATION_LIST
	descriptorSize  = 32 // MINIDUMP_HANDLE_DESCRIPTOR
	descriptor2Size = 40 // MINIDUMP_HANDLE_DESCRIPTOR_2
	infoHeaderSize  = 12 // MINIDUMP_HANDLE_OBJECT_INFORMATION without its data

	// maxObjectInfo caps an object-information chain; DbgHelp writes one
	// or two nodes per handle.
	maxObjectInfo = 64
	// maxObjectInfoData caps one node's data, which DbgHelp fills from
	// small fixed-size kernel structures.
	maxObjectInfoData = 64 << 10
	// objectInfoTypeMax is MiniHandleObjectInformationTypeMax; values from
	// it up are unknown but kept.
	objectInfoTypeMax = 9
)

// Handle is one handle of HandleDataStream: a MINIDUMP_HANDLE_DESCRIPTOR
// or MINIDUMP_HANDLE_DESCRIPTOR_2.
type Handle struct {
	// Value is the handle value (on Linux dumps, the file descriptor).
	Value uint64
	// Type is the object type name, such as "File" or "Event"; "" when the
	// dump has none (TypeNameRva 0) or it is damaged (a problem).
	Type string
	// Name is the NT object name, such as
	// `\Sessions\1\BaseNamedObjects\x`; "" when none or damaged. Crashpad
	// never writes names.
	Name string
	// Attributes are as written. In NT handle-table terms 0x1 would be
	// protect-from-close and 0x2 inherit; that reading comes from NT
	// headers, not from the minidump documentation.
	Attributes uint32
	// GrantedAccess is the access mask.
	GrantedAccess uint32
	// HandleCount is the raw value from NtQueryObject.
	HandleCount uint32
	// PointerCount is raw and biased on modern Windows; not a count of
	// references to compare with anything.
	PointerCount uint32
	// ObjectInfo is the object-information chain of a _2 descriptor, in
	// chain order; nil for 32-byte descriptors or an ObjectInfoRva of 0.
	ObjectInfo []ObjectInfo
	// Offset is the file offset of the descriptor.
	Offset int64
}

// ObjectInfo is one MINIDUMP_HANDLE_OBJECT_INFORMATION node. Its data's
// format is not documented ("does not control nor describe the actual
// data"), so it is kept as bytes.
type ObjectInfo struct {
	// Type is the MINIDUMP_HANDLE_OBJECT_INFORMATION_TYPE: 1
	// MiniThreadInformation1, 2 and 3 mutant, 4 and 5 process, 6 event, 7
	// section, 8 semaphore. Unknown values are kept with an info problem.
	Type uint32
	// Data is the node's data, nil when empty, too large or damaged.
	Data []byte
	// Offset is the file offset of the node.
	Offset int64
}

// Table describes a stream holding a header and a table of fixed-size
// entries: HandleDataStream or HandleOperationListStream.
type Table struct {
	// Offset is the stream's file offset.
	Offset int64
	// HeaderSize and EntrySize are as written in the stream's header
	// (SizeOfHeader, and SizeOfDescriptor or SizeOfEntry).
	HeaderSize, EntrySize uint32
	// Declared is the number of entries the header claims.
	Declared uint32
	// Count is the number of entries that fit in the stream and that the
	// iterator yields.
	Count int
}

// HandleTable describes HandleDataStream; false when the dump has none or
// its header is unusable (a problem). A dump without HandleDataStream has
// no handle data, whatever its header Flags claim.
func (d *Dump) HandleTable() (Table, bool) {
	return d.tableInfo("handles", HandleDataStream, descriptorSize, descriptorSize, descriptor2Size)
}

// tableInfo reads a table stream's header for HandleTable and HandleTrace,
// which have no error result: a read error becomes a problem.
func (d *Dump) tableInfo(key string, t StreamType, minEntry uint32, usual ...uint32) (Table, bool) {
	tb, ok, err := d.table(d.newPass(key, nil), t, minEntry, usual...)
	if err != nil {
		d.addProblem(tb.Offset, SeverityError, "read-error", "%s header: %v", t, err)
		return Table{}, false
	}
	return tb, ok
}

// table reads the header of a table stream and checks it against the
// stream's size: entries must be at least minEntry bytes, and sizes other
// than the usual ones are read with a warning. Its problems belong to
// entry 0 of the walk.
func (d *Dump) table(p *pass, t StreamType, minEntry uint32, usual ...uint32) (Table, bool, error) {
	s, ok := d.Stream(t)
	if !ok {
		return Table{}, false, nil
	}
	p.at(0)
	if s.Size < tableHeaderSize {
		p.problem(s.Offset, SeverityError, "stream-too-short",
			"%s is %d bytes, shorter than its %d-byte header", t, s.Size, tableHeaderSize)
		return Table{}, false, nil
	}
	b := make([]byte, tableHeaderSize)
	if err := d.readFull(b, s.Offset); err != nil {
		return Table{Offset: s.Offset}, false, err
	}
	tb := Table{Offset: s.Offset, HeaderSize: le.Uint32(b[0:]), EntrySize: le.Uint32(b[4:]), Declared: le.Uint32(b[8:])}
	if tb.HeaderSize < tableHeaderSize || int64(tb.HeaderSize) > s.Size {
		p.problem(s.Offset, SeverityError, "bad-header-size",
			"%s: SizeOfHeader %d is not between %d and the stream size %d", t, tb.HeaderSize, tableHeaderSize, s.Size)
		return Table{}, false, nil
	}
	if tb.EntrySize < minEntry {
		p.problem(s.Offset+4, SeverityError, "bad-entry-size",
			"%s: entry size %d is smaller than the %d bytes of the smallest entry", t, tb.EntrySize, minEntry)
		return Table{}, false, nil
	}
	if !slices.Contains(usual, tb.EntrySize) {
		p.problem(s.Offset+4, SeverityWarning, "unusual-entry-size",
			"%s: entry size %d is not the usual %v; the fields known are read from the start of each entry", t, tb.EntrySize, usual)
	}
	fit := (s.Size - int64(tb.HeaderSize)) / int64(tb.EntrySize)
	tb.Count = int(min(fit, int64(tb.Declared)))
	if int64(tb.Declared) > fit {
		p.problem(s.Offset+8, SeverityError, "count-exceeds-stream",
			"%s claims %d entries of %d bytes but only %d fit in its %d bytes", t, tb.Declared, tb.EntrySize, fit, s.Size)
	}
	return tb, true, nil
}

// Handles calls fn for each handle of HandleDataStream in file order, and
// stops at the first error fn returns, returning it. Each call gets a new
// *Handle, which fn may keep. Handles are decoded as they are read, so a
// dump with a million handles is not held in memory. Damage is reported as
// problems, once however often the table is walked; the error is only
// fn's, or the reader's.
func (d *Dump) Handles(fn func(*Handle) error) error {
	return d.handles(d.newPass("handles", nil), fn)
}

func (d *Dump) handles(p *pass, fn func(*Handle) error) error {
	tb, ok, err := d.table(p, HandleDataStream, descriptorSize, descriptorSize, descriptor2Size)
	if !ok {
		return err
	}
	need := int(min(tb.EntrySize, descriptor2Size))
	base := tb.Offset + int64(tb.HeaderSize)
	return d.eachEntry(base, int64(tb.EntrySize), tb.Count, need, func(i int, at int64, b []byte) error {
		p.at(i + 1)
		h := &Handle{
			Value:         le.Uint64(b[0:]),
			Attributes:    le.Uint32(b[16:]),
			GrantedAccess: le.Uint32(b[20:]),
			HandleCount:   le.Uint32(b[24:]),
			PointerCount:  le.Uint32(b[28:]),
			Offset:        at,
		}
		typeRva, nameRva := int64(le.Uint32(b[8:])), int64(le.Uint32(b[12:]))
		var infoRva int64
		if len(b) >= descriptor2Size {
			infoRva = int64(le.Uint32(b[32:]))
		}
		var err error
		if typeRva != 0 {
			if h.Type, err = p.str(typeRva, at+8, true, subject{"type name", "handle", h.Value, false, at}); err != nil {
				return err
			}
		}
		if nameRva != 0 {
			if h.Name, err = p.str(nameRva, at+12, false, subject{"object name", "handle", h.Value, false, at}); err != nil {
				return err
			}
		}
		if infoRva != 0 {
			if h.ObjectInfo, err = p.objectInfo(infoRva, at+32, h); err != nil {
				return err
			}
		}
		return fn(h)
	})
}

// objectInfo walks a handle's object-information chain, bounded in length
// and guarded against cycles.
//
// The sources disagree on what SizeOfInfo covers: Microsoft's docs say the
// data after the 12-byte node header, rust-minidump's comment says the
// header too. The data is taken to be SizeOfInfo bytes after the header
// when they fit in the file; when they do not but the header-inclusive
// reading fits, that reading is used with a warning.
func (p *pass) objectInfo(rva, from int64, h *Handle) ([]ObjectInfo, error) {
	d := p.d
	var out []ObjectInfo
	var seen []int64
	var hdr [infoHeaderSize]byte
	// from is the offset of the field pointing at rva: problems about a
	// node that is not in the file, or should not be read, are put there.
	for ; rva != 0; from, rva = rva, int64(le.Uint32(hdr[0:])) {
		if len(out) == maxObjectInfo {
			p.problem(from, SeverityError, "object-info-chain-too-long",
				"object information of handle %#x (descriptor at offset %d): chain longer than %d nodes; the rest is not read",
				h.Value, h.Offset, maxObjectInfo)
			break
		}
		if slices.Contains(seen, rva) {
			p.problem(from, SeverityError, "object-info-cycle",
				"object information of handle %#x (descriptor at offset %d): the chain loops back to offset %d",
				h.Value, h.Offset, rva)
			break
		}
		seen = append(seen, rva)
		if rva > d.size-infoHeaderSize {
			p.problem(from, SeverityError, "object-info-out-of-bounds",
				"object information of handle %#x (descriptor at offset %d): node at offset %d is past the end of the %d-byte file",
				h.Value, h.Offset, rva, d.size)
			break
		}
		if err := d.readFull(hdr[:], rva); err != nil {
			return out, err
		}
		info := ObjectInfo{Type: le.Uint32(hdr[4:]), Offset: rva}
		size := int64(le.Uint32(hdr[8:]))
		dataAt := rva + infoHeaderSize
		n := size
		switch {
		case dataAt+size <= d.size:
		case size >= infoHeaderSize && rva+size <= d.size:
			n = size - infoHeaderSize
			p.problem(rva, SeverityWarning, "object-info-size-ambiguous",
				"object information of handle %#x: SizeOfInfo %d runs past the end of the file when counted after the node header; read as including it",
				h.Value, size)
		default:
			p.problem(rva, SeverityError, "object-info-past-eof",
				"object information of handle %#x: %d bytes of data at offset %d run past the end of the %d-byte file",
				h.Value, size, dataAt, d.size)
			n = 0
		}
		if info.Type >= objectInfoTypeMax {
			p.problem(rva, SeverityInfo, "object-info-unknown-type",
				"object information of handle %#x: unknown type %d kept as raw bytes", h.Value, info.Type)
		}
		switch {
		case n > maxObjectInfoData:
			p.problem(rva, SeverityWarning, "object-info-too-large",
				"object information of handle %#x: %d bytes of data exceed %d; not read", h.Value, n, maxObjectInfoData)
			p.ref(rva, dataAt)
		case n > 0 && p.spend(rva, n):
			info.Data = make([]byte, n)
			if err := d.readFull(info.Data, dataAt); err != nil {
				return out, err
			}
			p.ref(rva, dataAt+n)
		default:
			p.ref(rva, dataAt)
		}
		out = append(out, info)
	}
	return out, nil
}
