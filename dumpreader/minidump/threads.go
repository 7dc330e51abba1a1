package minidump

const (
	threadSize     = 48 // MINIDUMP_THREAD
	threadNameSize = 12 // MINIDUMP_THREAD_NAME: u32 then u64, packed to 4
)

// Thread is one MINIDUMP_THREAD of ThreadListStream, with its name from
// ThreadNamesStream.
type Thread struct {
	// ID is the thread id.
	ID uint32
	// SuspendCount, PriorityClass and Priority are as written.
	SuspendCount, PriorityClass, Priority uint32
	// Teb is the address of the thread environment block.
	Teb uint64
	// Name is the thread's description (SetThreadDescription), "" when
	// the dump names none.
	Name string
	// Offset is the file offset of the MINIDUMP_THREAD.
	Offset int64
}

// Threads returns ThreadListStream's threads in file order, named from
// ThreadNamesStream; nil when the dump has no thread list.
func (d *Dump) Threads() []Thread {
	d.threadsOnce.Do(d.loadThreads)
	out := make([]Thread, len(d.threads))
	copy(out, d.threads)
	if len(out) == 0 {
		return nil
	}
	return out
}

func (d *Dump) loadThreads() {
	p := d.newPass("", nil)
	var refs spanSet
	p.refs = &refs
	defer d.keepRefs(&refs)
	index := map[uint32]int{}
	err := d.readList(p, ThreadListStream, threadSize, func(at int64, b []byte) error {
		t := Thread{
			ID:            le.Uint32(b[0:]),
			SuspendCount:  le.Uint32(b[4:]),
			PriorityClass: le.Uint32(b[8:]),
			Priority:      le.Uint32(b[12:]),
			Teb:           le.Uint64(b[16:]),
			Offset:        at,
		}
		if _, dup := index[t.ID]; !dup {
			index[t.ID] = len(d.threads)
		}
		d.threads = append(d.threads, t)
		return nil
	})
	if err != nil {
		d.addProblem(0, SeverityError, "read-error", "ThreadListStream: %v", err)
		return
	}
	err = d.readList(p, ThreadNamesStream, threadNameSize, func(at int64, b []byte) error {
		id := le.Uint32(b[0:])
		rva := le.Uint64(b[4:])
		i, ok := index[id]
		if !ok {
			p.problem(at, SeverityInfo, "thread-name-unknown-thread",
				"ThreadNamesStream names thread %d, which is not in the thread list", id)
			return nil
		}
		if rva > uint64(d.size) {
			p.problem(at+4, SeverityError, "string-out-of-bounds",
				"name of thread %d: string offset %d is past the end of the %d-byte file", id, rva, d.size)
			return nil
		}
		name, err := p.str(int64(rva), at+4, false, subject{"name", "thread", uint64(id), true, at})
		if d.threads[i].Name == "" {
			d.threads[i].Name = name
		}
		return err
	})
	if err != nil {
		d.addProblem(0, SeverityError, "read-error", "ThreadNamesStream: %v", err)
	}
}
