package minidump

const (
	// opMinSize is the part of AVRF_HANDLE_OPERATION up to and including
	// the backtrace's Depth and Index fields.
	opMinSize = 32
	// opSize is sizeof(AVRF_HANDLE_OPERATION).
	opSize = 288
	// maxTraces is AVRF_MAX_TRACES, the return addresses an entry holds.
	maxTraces = 32
)

// The kinds of HandleOp (eHANDLE_TRACE_OPERATIONS).
const (
	OpOpen         = "OPEN"
	OpClose        = "CLOSE"
	OpBadReference = "BAD REFERENCE"
	// OpUnused is OperationDbUnused, an empty slot of the trace database;
	// it is kept, with an info problem.
	OpUnused = "unused"
	// OpUnknown is any other OperationType; it is kept, with a warning.
	OpUnknown = "unknown"
)

// HandleOp is one entry of HandleOperationListStream, an
// AVRF_HANDLE_OPERATION: an open, close or bad reference of a handle, with
// the stack that did it. The stream exists only when handle tracing was on
// (Application Verifier's Handles check, or !htrace -enable).
type HandleOp struct {
	// Handle is the handle value operated on. Microsoft's doc calls the
	// field "the handle to the heap in which handle traces are being
	// enumerated"; the handle value is a reading from context.
	Handle uint64
	// ProcessID and ThreadID are the process and thread that did it.
	ProcessID, ThreadID uint32
	// Operation is the raw OperationType; Kind names it.
	Operation uint32
	// Kind is OpOpen, OpClose, OpBadReference, OpUnused or OpUnknown.
	Kind string
	// Depth is the number of return addresses as written.
	Depth uint32
	// Stack holds the first min(Depth, 32) return addresses, innermost
	// first (fewer if the entry is shorter than 288 bytes); resolve them
	// with ModuleAt.
	Stack []uint64
	// Offset is the file offset of the entry.
	Offset int64
}

// HandleTrace describes HandleOperationListStream; false when the dump has
// none or its header is unusable (a problem).
func (d *Dump) HandleTrace() (Table, bool) {
	return d.tableInfo("handleops", HandleOperationListStream, opMinSize, opSize)
}

// HandleOps calls fn for each entry of HandleOperationListStream in file
// order, and stops at the first error fn returns, returning it. Each call
// gets a new *HandleOp, which fn may keep. Damage is reported as problems,
// once however often the stream is walked.
//
// The order is the file's, unchanged. The stream is a copy of the
// kernel's handle-trace database, and no writer documents its order. The
// debugger's !htrace, which reads the same database, prints the most recent
// operation first, so that is the likely order here too; but no public dump
// with this stream could be found to check it, so callers that need time
// order should take it as "probably most recent first, unverified".
func (d *Dump) HandleOps(fn func(*HandleOp) error) error {
	p := d.newPass("handleops", nil)
	tb, ok, err := d.table(p, HandleOperationListStream, opMinSize, opSize)
	if !ok {
		return err
	}
	need := int(min(tb.EntrySize, opSize))
	room := uint32(need-opMinSize) / 8
	base := tb.Offset + int64(tb.HeaderSize)
	return d.eachEntry(base, int64(tb.EntrySize), tb.Count, need, func(i int, at int64, b []byte) error {
		p.at(i + 1)
		op := &HandleOp{
			Handle:    le.Uint64(b[0:]),
			ProcessID: le.Uint32(b[8:]),
			ThreadID:  le.Uint32(b[12:]),
			Operation: le.Uint32(b[16:]),
			Depth:     le.Uint32(b[24:]),
			Offset:    at,
		}
		switch op.Operation {
		case 1:
			op.Kind = OpOpen
		case 2:
			op.Kind = OpClose
		case 3:
			op.Kind = OpBadReference
		case 0:
			op.Kind = OpUnused
			p.problem(at+16, SeverityInfo, "handle-op-unused",
				"handle operation %d (handle %#x) is an unused slot (OperationDbUnused)", i, op.Handle)
		default:
			op.Kind = OpUnknown
			p.problem(at+16, SeverityWarning, "handle-op-unknown-kind",
				"handle operation %d (handle %#x) has unknown OperationType %d", i, op.Handle, op.Operation)
		}
		n := min(op.Depth, maxTraces, room)
		if op.Depth > n {
			p.problem(at+24, SeverityWarning, "handle-op-depth",
				"handle operation %d (handle %#x): depth %d exceeds the %d return addresses the entry holds", i, op.Handle, op.Depth, n)
		}
		if n > 0 {
			op.Stack = make([]uint64, n)
			for k := range op.Stack {
				op.Stack[k] = le.Uint64(b[opMinSize+8*k:])
			}
		}
		return fn(op)
	})
}
