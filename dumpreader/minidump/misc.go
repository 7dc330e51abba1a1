package minidump

import "time"

// MiscInfoStream's Flags1 bits.
const (
	miscProcessID    = 0x1 // MINIDUMP_MISC1_PROCESS_ID
	miscProcessTimes = 0x2 // MINIDUMP_MISC1_PROCESS_TIMES
)

// Misc is what this package reads of MiscInfoStream (MINIDUMP_MISC_INFO and
// its later, longer versions): the process id and creation time, each only
// when Flags1 says it is valid and the structure is long enough to hold it.
type Misc struct {
	// SizeOfInfo is the structure's size as written: 24, 44, 232, 832 or
	// 1364 for versions 1 to 5.
	SizeOfInfo uint32
	// Flags1 says which fields are valid.
	Flags1 uint32
	// PID is the process id; valid when HasPID.
	PID    uint32
	HasPID bool
	// CreateTime is when the process started (a time_t); valid when
	// HasCreateTime.
	CreateTime    time.Time
	HasCreateTime bool
}

// Misc returns MiscInfoStream's process facts; false when the dump has no
// MiscInfoStream (Linux Breakpad dumps have none) or it is too short to
// read (a problem).
func (d *Dump) Misc() (Misc, bool) {
	d.miscOnce.Do(d.loadMisc)
	return d.misc, d.hasMisc
}

func (d *Dump) loadMisc() {
	s, ok := d.Stream(MiscInfoStream)
	if !ok {
		return
	}
	if s.Size < 8 {
		d.addProblem(s.Offset, SeverityError, "stream-too-short",
			"MiscInfoStream is %d bytes, too short for SizeOfInfo and Flags1", s.Size)
		return
	}
	b := make([]byte, min(s.Size, 24))
	if err := d.readFull(b, s.Offset); err != nil {
		d.addProblem(s.Offset, SeverityError, "read-error", "MiscInfoStream: %v", err)
		return
	}
	m := Misc{SizeOfInfo: le.Uint32(b[0:]), Flags1: le.Uint32(b[4:])}
	limit := min(int64(m.SizeOfInfo), s.Size)
	if int64(m.SizeOfInfo) > s.Size {
		d.addProblem(s.Offset, SeverityWarning, "size-exceeds-stream",
			"MiscInfoStream: SizeOfInfo %d exceeds the stream's %d bytes; only those are read", m.SizeOfInfo, s.Size)
	}
	switch m.SizeOfInfo {
	case 24, 44, 232, 832, 1364:
	case 0:
		// Writers other than DbgHelp (a test generator, a hand-rolled
		// writer) leave SizeOfInfo unset; the stream's size, from the
		// directory, still bounds the structure, and its Flags1 still
		// says which fields are valid.
		limit = s.Size
		d.addProblem(s.Offset, SeverityInfo, "unset-misc-size",
			"MiscInfoStream: SizeOfInfo is 0 (the writer left it unset): the structure is read by the stream's %d bytes", s.Size)
	default:
		d.addProblem(s.Offset, SeverityInfo, "unusual-misc-size",
			"MiscInfoStream: SizeOfInfo %d is not that of a known MINIDUMP_MISC_INFO version", m.SizeOfInfo)
	}
	if limit < 8 {
		d.addProblem(s.Offset, SeverityError, "stream-too-short",
			"MiscInfoStream: SizeOfInfo %d is too short for Flags1", m.SizeOfInfo)
		return
	}
	if m.Flags1&miscProcessID != 0 {
		if limit >= 12 {
			m.PID, m.HasPID = le.Uint32(b[8:]), true
		} else {
			d.addProblem(s.Offset, SeverityError, "stream-too-short",
				"MiscInfoStream: Flags1 claims a process id but the structure ends at %d bytes", limit)
		}
	}
	if m.Flags1&miscProcessTimes != 0 {
		if limit >= 16 {
			m.CreateTime, m.HasCreateTime = unixTime(le.Uint32(b[12:])), true
		} else {
			d.addProblem(s.Offset, SeverityError, "stream-too-short",
				"MiscInfoStream: Flags1 claims process times but the structure ends at %d bytes", limit)
		}
	}
	d.misc, d.hasMisc = m, true
}
