// Package mdwrite builds user-mode minidumps byte by byte, for tests.
//
// Dumps that DbgHelp writes with object names, object information and
// handle traces are not public, so tests of the minidump reader build them
// here instead, from the layout in the project's MINIDUMP.md. The package
// is written apart from the reader and shares none of its constants or
// code, so that a layout mistake in one shows up as a test failure against
// the other. It is not a general minidump writer: it writes what the
// reader's tests need, including the quirks real writers have (padded
// lists, unused directory slots, shared type strings, RVA 0 for empty
// strings), and nothing else.
package mdwrite

import (
	"encoding/binary"
	"time"
	"unicode/utf16"
)

// Object-information types (MINIDUMP_HANDLE_OBJECT_INFORMATION_TYPE).
const (
	InfoThread1    = 1
	InfoMutant1    = 2
	InfoMutant2    = 3
	InfoProcess1   = 4
	InfoProcess2   = 5
	InfoEvent1     = 6
	InfoSection1   = 7
	InfoSemaphore1 = 8
)

// Handle-trace operations (eHANDLE_TRACE_OPERATIONS).
const (
	OpUnused = 0
	OpOpen   = 1
	OpClose  = 2
	OpBadRef = 3
)

// Builder collects the contents of a minidump; Bytes lays it out. The
// exported fields choose layout variants and quirks; the zero value writes
// 32-byte handle descriptors, unpadded lists, no unused slots and one copy
// of each string per use.
type Builder struct {
	// DescriptorSize is the handle descriptor size written: 32
	// (MINIDUMP_HANDLE_DESCRIPTOR, the default when 0) or 40
	// (MINIDUMP_HANDLE_DESCRIPTOR_2, which carries object information).
	// Other values write that many bytes per descriptor: the first 40 (or
	// fewer) as usual, then zeros.
	DescriptorSize int
	// OpEntrySize is the handle-operation entry size written; 0 means 288.
	OpEntrySize int
	// PaddedModuleList and PaddedThreadList put 4 bytes of padding after
	// the list's count, as in LLDB's module-list-padded.dmp.
	PaddedModuleList, PaddedThreadList bool
	// UnusedSlots adds this many type-0 directory entries after the used
	// ones, as DbgHelp does.
	UnusedSlots int
	// SharedTypeStrings writes each distinct handle type name once and
	// points every descriptor of that type at it, as Crashpad does.
	SharedTypeStrings bool
	// EmptyStrings writes empty type and object names as zero-length
	// strings; by default they are written as RVA 0 (no string).
	EmptyStrings bool
	// Version is the header's Version; 0 means 0xA793 (as Breakpad and
	// Crashpad write it).
	Version uint32
	// Flags is the header's MINIDUMP_TYPE flags.
	Flags uint64

	time    uint32
	sys     *SystemInfo
	misc    []byte
	modules []module
	threads []uint32
	names   []threadName
	handles []handle
	ops     []op
	memory  []memory
	extra   []extra
	layout  Layout
}

// New returns an empty Builder.
func New() *Builder { return &Builder{} }

// SystemInfo is what SetSystemInfo writes into MINIDUMP_SYSTEM_INFO; its
// CPU information is left zero.
type SystemInfo struct {
	Arch         uint16 // PROCESSOR_ARCHITECTURE_*: 0 x86, 5 ARM, 6 IA64, 9 AMD64, 12 ARM64
	Level        uint16
	Revision     uint16
	Processors   uint8
	ProductType  uint8
	Major, Minor uint32
	Build        uint32
	Platform     uint32 // 2 Windows NT, 0x8101 macOS, 0x8201 Linux
	CSDVersion   string // "" writes CSDVersionRva 0
	SuiteMask    uint16
}

type module struct {
	name          string
	base          uint64
	size, ts      uint32
	version       []uint16
	hasVersionSig bool
}

type threadName struct {
	id   uint32
	name string
}

// ObjectInfo is one node of a handle's object-information chain.
type ObjectInfo struct {
	// Type is the MINIDUMP_HANDLE_OBJECT_INFORMATION_TYPE, such as
	// InfoEvent1; any value is written.
	Type uint32
	// Data is written after the 12-byte node header; SizeOfInfo is its
	// length.
	Data []byte
}

type handle struct {
	value                         uint64
	typ, name                     string
	attrs, access, hcount, pcount uint32
	info                          []ObjectInfo
}

type op struct {
	handle   uint64
	pid, tid uint32
	kind     uint32
	stack    []uint64
}

type memory struct {
	base uint64
	data []byte
}

type extra struct {
	typ  uint32
	data []byte
}

// SetTime sets the header's TimeDateStamp.
func (b *Builder) SetTime(t time.Time) { b.time = uint32(t.Unix()) }

// SetMisc writes a 24-byte MINIDUMP_MISC_INFO with the process id and, when
// createTime is not zero, the process times.
func (b *Builder) SetMisc(pid uint32, createTime time.Time) {
	flags := uint32(0x1)
	var ct uint32
	if !createTime.IsZero() {
		flags |= 0x2
		ct = uint32(createTime.Unix())
	}
	b.SetMiscRaw(24, flags, pid, ct)
}

// SetMiscRaw writes a MiscInfoStream of size bytes (at least 24) whose
// SizeOfInfo is size, with the given Flags1, ProcessId and
// ProcessCreateTime; the rest is zero.
func (b *Builder) SetMiscRaw(size int, flags1, pid, createTime uint32) {
	m := make([]byte, max(size, 24))
	binary.LittleEndian.PutUint32(m[0:], uint32(size))
	binary.LittleEndian.PutUint32(m[4:], flags1)
	binary.LittleEndian.PutUint32(m[8:], pid)
	binary.LittleEndian.PutUint32(m[12:], createTime)
	b.misc = m[:max(size, 24)]
}

// SetSystemInfo writes SystemInfoStream.
func (b *Builder) SetSystemInfo(s SystemInfo) { b.sys = &s }

// AddModule adds a MINIDUMP_MODULE. With version given (four numbers, as
// in 10, 0, 19041, 1), its VS_FIXEDFILEINFO carries the signature and that
// file version; without, it is all zeros.
func (b *Builder) AddModule(name string, base uint64, size, timestamp uint32, version ...uint16) {
	m := module{name: name, base: base, size: size, ts: timestamp}
	if len(version) == 4 {
		m.version, m.hasVersionSig = version, true
	}
	b.modules = append(b.modules, m)
}

// AddThread adds a MINIDUMP_THREAD with this id to ThreadListStream.
func (b *Builder) AddThread(id uint32) { b.threads = append(b.threads, id) }

// AddThreadName adds an entry to ThreadNamesStream.
func (b *Builder) AddThreadName(id uint32, name string) {
	b.names = append(b.names, threadName{id, name})
}

// AddHandle adds a handle descriptor. typ and name "" are written as RVA 0
// unless EmptyStrings is set. info is written only with 40-byte (or
// larger) descriptors.
func (b *Builder) AddHandle(value uint64, typ, name string, attributes, access, handleCount, pointerCount uint32, info ...ObjectInfo) {
	b.handles = append(b.handles, handle{value, typ, name, attributes, access, handleCount, pointerCount, info})
}

// AddHandleOp adds an AVRF_HANDLE_OPERATION to HandleOperationListStream.
// kind is OpOpen, OpClose, OpBadRef or any other value. Depth is written as
// len(stack); at most 32 addresses fit in an entry, the rest are dropped.
func (b *Builder) AddHandleOp(handle uint64, pid, tid, kind uint32, stack []uint64) {
	b.ops = append(b.ops, op{handle, pid, tid, kind, stack})
}

// AddMemory adds a range to MemoryListStream; its bytes go after every
// stream, referenced by no structure the reader decodes.
func (b *Builder) AddMemory(base uint64, data []byte) {
	b.memory = append(b.memory, memory{base, data})
}

// AddStream adds a stream of any type with the given contents, after the
// others: a vendor stream, or a second stream of a type for tests of
// duplicates.
func (b *Builder) AddStream(typ uint32, data []byte) {
	b.extra = append(b.extra, extra{typ, data})
}

// Location is where a stream went.
type Location struct {
	// Type is the stream type.
	Type uint32
	// Rva and Size are the stream's offset and length, as in its
	// directory entry.
	Rva, Size uint32
}

// Layout says where Bytes put the streams, for tests that damage a dump
// in a chosen place.
type Layout struct {
	// Streams are the used directory entries, in directory order.
	Streams []Location
}

// Find returns the first stream of type typ.
func (l Layout) Find(typ uint32) (Location, bool) {
	for _, s := range l.Streams {
		if s.Type == typ {
			return s, true
		}
	}
	return Location{}, false
}

// Layout returns where the last call of Bytes put the streams.
func (b *Builder) Layout() Layout { return b.layout }

// file is the dump being laid out: append-only, with fix-ups by offset.
type file struct{ b []byte }

func (f *file) at() uint32 { return uint32(len(f.b)) }

func (f *file) grow(n int) uint32 {
	at := f.at()
	f.b = append(f.b, make([]byte, n)...)
	return at
}

func (f *file) align4() {
	for len(f.b)%4 != 0 {
		f.b = append(f.b, 0)
	}
}

func (f *file) put16(at uint32, v uint16) { binary.LittleEndian.PutUint16(f.b[at:], v) }
func (f *file) put32(at uint32, v uint32) { binary.LittleEndian.PutUint32(f.b[at:], v) }
func (f *file) put64(at uint32, v uint64) { binary.LittleEndian.PutUint64(f.b[at:], v) }

// str appends a MINIDUMP_STRING (length, UTF-16LE, 2-byte NUL), 4-aligned,
// and returns its RVA.
func (f *file) str(s string) uint32 {
	f.align4()
	u := utf16.Encode([]rune(s))
	at := f.grow(4 + 2*len(u) + 2)
	f.put32(at, uint32(2*len(u)))
	for i, c := range u {
		f.put16(at+4+uint32(2*i), c)
	}
	return at
}
