package minidump

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/leakdiag/leakdiag/internal/mdwrite"
)

type handleSpec struct {
	value               uint64
	typ, name           string
	attrs, access       uint32
	handleCnt, pointers uint32
	info                []mdwrite.ObjectInfo
}

type opSpec struct {
	handle   uint64
	pid, tid uint32
	kind     uint32
	stack    []uint64
}

type moduleSpec struct {
	name       string
	base       uint64
	size, ts   uint32
	version    []uint16
	wantVerStr string
}

type threadSpec struct {
	id   uint32
	name string
}

// roundTrip is a dump described once: the builder is fed from it and the
// expected reading is derived from it.
type roundTrip struct {
	name    string
	opts    func(*mdwrite.Builder)
	time    time.Time
	sys     *mdwrite.SystemInfo
	pid     uint32
	created time.Time
	modules []moduleSpec
	threads []threadSpec
	handles []handleSpec
	ops     []opSpec
	extra   map[uint32][]byte

	wantOS      string
	wantStreams []string
	// wantProblems lists problems by code and a function of the file
	// giving the offset, for problems whose place the builder decides.
	wantProblems func(file []byte, l mdwrite.Layout) []found
}

var created = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

var roundTrips = []roundTrip{
	{
		name: "crashpad style: 32-byte descriptors, shared type strings, no names",
		opts: func(b *mdwrite.Builder) { b.SharedTypeStrings = true },
		time: time.Date(2024, 3, 1, 12, 5, 0, 0, time.UTC),
		sys:  &mdwrite.SystemInfo{Arch: 9, Processors: 8, ProductType: 1, Major: 10, Build: 19041, Platform: 2, CSDVersion: "1234"},
		pid:  4242, created: created,
		modules: []moduleSpec{
			{`C:\app\app.exe`, 0x7ff600000000, 0x20000, 0x5f000000, []uint16{0, 0, 0, 0}, "0.0.0.0"},
			{`C:\Windows\System32\ntdll.dll`, 0x7ffb00000000, 0x1f8000, 0x12345678, []uint16{10, 0, 19041, 1}, "10.0.19041.1"},
		},
		threads: []threadSpec{{100, "main"}, {104, ""}, {108, "worker"}},
		handles: []handleSpec{
			{0x4, "Event", "", 0, 0x1f0003, 1, 32769, nil},
			{0x8, "Key", "", 2, 0x20019, 1, 1, nil},
			{0xc, "Event", "", 1, 0x1f0003, 1, 65536, nil},
			{0x10, "", "", 0, 0x804, 0, 0, nil},
			{0x14, "Event", "", 0, 0x100002, 1, 98303, nil},
		},
		wantOS:      "Windows 10.0.19041.1234 x64",
		wantStreams: []string{"SystemInfoStream", "MiscInfoStream", "ThreadListStream", "ThreadNamesStream", "ModuleListStream", "HandleDataStream"},
	},
	{
		name: "dbghelp style: 40-byte descriptors, names, object info, traces, padded lists, unused slots",
		opts: func(b *mdwrite.Builder) {
			b.DescriptorSize = 40
			b.PaddedModuleList = true
			b.PaddedThreadList = true
			b.UnusedSlots = 3
			b.Version = 0x5128A793
		},
		sys: &mdwrite.SystemInfo{Arch: 0, Processors: 2, ProductType: 1, Major: 6, Minor: 1, Build: 7601, Platform: 2, CSDVersion: "Service Pack 1"},
		pid: 77, created: created,
		modules: []moduleSpec{
			{`C:\leaky.exe`, 0x400000, 0x10000, 1, []uint16{1, 2, 3, 4}, "1.2.3.4"},
			{`C:\Windows\SysWOW64\kernelbase.dll`, 0x75000000, 0x200000, 2, nil, ""},
		},
		threads: []threadSpec{{7, ""}, {9, ""}},
		handles: []handleSpec{
			{0x40, "Event", `\Sessions\1\BaseNamedObjects\Ready`, 0, 0x1f0003, 2, 3,
				[]mdwrite.ObjectInfo{{Type: mdwrite.InfoEvent1, Data: []byte{1, 0, 0, 0, 0, 0, 0, 0}}}},
			{0x44, "Mutant", `\Sessions\1\BaseNamedObjects\Lock`, 0, 0x1f0001, 1, 2,
				[]mdwrite.ObjectInfo{
					{Type: mdwrite.InfoMutant1, Data: []byte{0, 0, 0, 0, 1, 0, 0, 0}},
					{Type: mdwrite.InfoMutant2, Data: []byte{7, 0, 0, 0, 9, 0, 0, 0}},
					{Type: mdwrite.InfoThread1}, // no data
				}},
			{0x48, "File", `\Device\HarddiskVolume3\log.txt`, 0, 0x120196, 1, 1, nil},
			{0x4c, "Thread", "", 0, 0x1fffff, 1, 3,
				[]mdwrite.ObjectInfo{{Type: 42, Data: []byte("opaque")}}},
			{0x50, "Key", `\REGISTRY\MACHINE\SOFTWARE\ünïcödé ✓`, 0, 0x20019, 1, 1, nil},
		},
		ops: []opSpec{
			{0x48, 77, 9, mdwrite.OpClose, []uint64{0x75001234, 0x400100}},
			{0x48, 77, 7, mdwrite.OpOpen, []uint64{0x75000010, 0x75000020, 0x401000, 0x12}},
			{0x4c, 77, 7, mdwrite.OpBadRef, nil},
		},
		extra:       map[uint32][]byte{0x47670001: make([]byte, 12)},
		wantOS:      "Windows 6.1.7601 x86 (Service Pack 1)",
		wantStreams: []string{"SystemInfoStream", "MiscInfoStream", "ThreadListStream", "ModuleListStream", "HandleDataStream", "HandleOperationListStream", "BreakpadInfoStream"},
		wantProblems: func(file []byte, l mdwrite.Layout) []found {
			hd, _ := l.Find(12)
			desc := int64(hd.Rva) + 16 + 3*40
			return []found{{"object-info-unknown-type", int64(le32(file[desc+32:]))}}
		},
	},
	{
		name: "empty strings written as zero-length strings, 40-byte descriptors without object info",
		opts: func(b *mdwrite.Builder) { b.EmptyStrings = true; b.DescriptorSize = 40 },
		handles: []handleSpec{
			{0x4, "", "", 0, 0, 0, 0, nil},
			{0x8, "Event", "", 0, 1, 1, 1, nil},
		},
		wantStreams: []string{"HandleDataStream"},
	},
	{
		name: "unusual entry sizes: 48-byte descriptors, 160-byte trace entries",
		opts: func(b *mdwrite.Builder) { b.DescriptorSize = 48; b.OpEntrySize = 160 },
		handles: []handleSpec{
			{0x4, "Section", `\BaseNamedObjects\map`, 0, 4, 1, 1, []mdwrite.ObjectInfo{{Type: mdwrite.InfoSection1, Data: []byte{1, 2, 3}}}},
		},
		ops: []opSpec{
			{0x4, 1, 2, mdwrite.OpOpen, seq(20)},
			{0x4, 1, 2, 9, seq(3)},
			{0x4, 1, 2, mdwrite.OpUnused, nil},
		},
		wantStreams: []string{"HandleDataStream", "HandleOperationListStream"},
		wantProblems: func(file []byte, l mdwrite.Layout) []found {
			hd, _ := l.Find(12)
			ho, _ := l.Find(18)
			op := func(i int64) int64 { return int64(ho.Rva) + 16 + i*160 }
			return []found{
				{"unusual-entry-size", int64(hd.Rva) + 4},
				{"unusual-entry-size", int64(ho.Rva) + 4},
				{"handle-op-depth", op(0) + 24},
				{"handle-op-unknown-kind", op(1) + 16},
				{"handle-op-unused", op(2) + 16},
			}
		},
	},
}

func seq(n int) []uint64 {
	s := make([]uint64, n)
	for i := range s {
		s[i] = 0x1000 + uint64(i)
	}
	return s
}

func (rt roundTrip) build() ([]byte, mdwrite.Layout) {
	b := mdwrite.New()
	if rt.opts != nil {
		rt.opts(b)
	}
	if !rt.time.IsZero() {
		b.SetTime(rt.time)
	}
	if rt.sys != nil {
		b.SetSystemInfo(*rt.sys)
	}
	if rt.pid != 0 {
		b.SetMisc(rt.pid, rt.created)
	}
	for _, m := range rt.modules {
		b.AddModule(m.name, m.base, m.size, m.ts, m.version...)
	}
	for _, th := range rt.threads {
		b.AddThread(th.id)
	}
	for _, th := range rt.threads {
		if th.name != "" {
			b.AddThreadName(th.id, th.name)
		}
	}
	for _, h := range rt.handles {
		b.AddHandle(h.value, h.typ, h.name, h.attrs, h.access, h.handleCnt, h.pointers, h.info...)
	}
	for _, o := range rt.ops {
		b.AddHandleOp(o.handle, o.pid, o.tid, o.kind, o.stack)
	}
	for typ, data := range rt.extra {
		b.AddStream(typ, data)
	}
	return b.Bytes(), b.Layout()
}

// want derives the expected reading from the description and the layout.
func (rt roundTrip) want(file []byte, l mdwrite.Layout, descSize, opSize int64, padded bool) contents {
	var c contents
	list := int64(4)
	if padded {
		list = 8
	}
	if loc, ok := l.Find(12); ok {
		for i, h := range rt.handles {
			w := Handle{Value: h.value, Type: h.typ, Name: h.name, Attributes: h.attrs, GrantedAccess: h.access,
				HandleCount: h.handleCnt, PointerCount: h.pointers, Offset: int64(loc.Rva) + 16 + int64(i)*descSize}
			for _, in := range h.info {
				w.ObjectInfo = append(w.ObjectInfo, ObjectInfo{Type: in.Type, Data: in.Data})
			}
			c.Handles = append(c.Handles, w)
		}
	}
	if loc, ok := l.Find(18); ok {
		kinds := map[uint32]string{0: OpUnused, 1: OpOpen, 2: OpClose, 3: OpBadReference}
		room := int((opSize - 32) / 8)
		for i, o := range rt.ops {
			kind, ok := kinds[o.kind]
			if !ok {
				kind = OpUnknown
			}
			w := HandleOp{Handle: o.handle, ProcessID: o.pid, ThreadID: o.tid, Operation: o.kind, Kind: kind,
				Depth: uint32(len(o.stack)), Offset: int64(loc.Rva) + 16 + int64(i)*opSize}
			if len(o.stack) > 0 {
				w.Stack = o.stack[:min(len(o.stack), room, 32)]
			}
			c.Ops = append(c.Ops, w)
		}
	}
	if loc, ok := l.Find(4); ok {
		for i, m := range rt.modules {
			c.Modules = append(c.Modules, Module{Base: m.base, Size: m.size, TimeDateStamp: m.ts, Name: m.name,
				FileVersion: m.wantVerStr, Offset: int64(loc.Rva) + list + int64(i)*108})
		}
	}
	if loc, ok := l.Find(3); ok {
		for i, th := range rt.threads {
			c.Threads = append(c.Threads, Thread{ID: th.id, Name: th.name, Offset: int64(loc.Rva) + list + int64(i)*48})
		}
	}
	if rt.pid != 0 {
		c.Misc = &Misc{SizeOfInfo: 24, Flags1: 3, PID: rt.pid, HasPID: true, CreateTime: rt.created, HasCreateTime: true}
	}
	return c
}

func TestRoundTrip(t *testing.T) {
	for _, rt := range roundTrips {
		t.Run(rt.name, func(t *testing.T) {
			file, layout := rt.build()
			probe := mdwrite.New()
			if rt.opts != nil {
				rt.opts(probe)
			}
			descSize, opSize := int64(probe.DescriptorSize), int64(probe.OpEntrySize)
			if descSize == 0 {
				descSize = 32
			}
			if opSize == 0 {
				opSize = 288
			}
			d := open(t, file)
			got := readAll(t, d)
			want := rt.want(file, layout, descSize, opSize, probe.PaddedModuleList)

			opts := cmp.Options{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(ObjectInfo{}, "Offset")}
			for _, part := range []struct {
				name      string
				got, want any
			}{
				{"Handles", got.Handles, want.Handles},
				{"HandleOps", got.Ops, want.Ops},
				{"Modules", got.Modules, want.Modules},
				{"Threads", got.Threads, want.Threads},
				{"Misc", got.Misc, want.Misc},
			} {
				if diff := cmp.Diff(part.want, part.got, opts); diff != "" {
					t.Errorf("%s diff (-want +got):\n%s", part.name, diff)
				}
			}
			checkObjectInfoOffsets(t, file, got.Handles)

			var names []string
			for _, s := range got.Streams {
				names = append(names, s.Type.String())
			}
			if diff := cmp.Diff(rt.wantStreams, names); diff != "" {
				t.Errorf("stream types diff (-want +got):\n%s", diff)
			}
			if rt.sys != nil {
				if got.Sys == nil || got.Sys.OSVersion() != rt.wantOS {
					t.Errorf("SystemInfo() = %+v, want OS %q", got.Sys, rt.wantOS)
				}
			}
			if h := d.Header(); !h.Time.Equal(rt.time) {
				t.Errorf("Header().Time = %v, want %v", h.Time, rt.time)
			}
			wantProblems := []found{}
			if rt.wantProblems != nil {
				wantProblems = rt.wantProblems(file, layout)
			}
			if diff := cmp.Diff(wantProblems, codes(got.Problems)); diff != "" {
				t.Errorf("problems diff (-want +got):\n%s\nall: %v", diff, got.Problems)
			}
			for _, op := range got.Ops {
				for _, addr := range op.Stack {
					wantMod := ""
					for _, m := range rt.modules {
						if addr >= m.base && addr < m.base+uint64(m.size) {
							wantMod = m.name
						}
					}
					m, off, ok := d.ModuleAt(addr)
					if gotMod := modName(m, ok); gotMod != wantMod || (ok && m.Base+off != addr) {
						t.Errorf("ModuleAt(%#x) = %q+%#x, want %q", addr, gotMod, off, wantMod)
					}
				}
			}
		})
	}
}

func modName(m *Module, ok bool) string {
	if !ok {
		return ""
	}
	return m.Name
}

// checkObjectInfoOffsets follows each chain through the file's bytes: the
// first node is where the descriptor's ObjectInfoRva points, each next one
// where the previous node's NextInfoRva points.
func checkObjectInfoOffsets(t *testing.T, file []byte, hs []Handle) {
	t.Helper()
	for _, h := range hs {
		for i, in := range h.ObjectInfo {
			var want int64
			if i == 0 {
				want = int64(le32(file[h.Offset+32:]))
			} else {
				want = int64(le32(file[h.ObjectInfo[i-1].Offset:]))
			}
			if in.Offset != want {
				t.Errorf("handle %#x ObjectInfo[%d].Offset = %d, want %d", h.Value, i, in.Offset, want)
			}
		}
	}
}

// TestAccountingByHand checks the byte accounting of a small dump against
// sizes worked out from the layout rules: strings are 4 + 2*len + 2 bytes,
// the writer aligns each item to 4 bytes, and CodeView records and memory
// contents are read by nothing.
func TestAccountingByHand(t *testing.T) {
	b := mdwrite.New()
	b.UnusedSlots = 2
	b.SharedTypeStrings = true
	b.SetSystemInfo(mdwrite.SystemInfo{Arch: 9, Major: 10, Platform: 2, CSDVersion: "SP1"})
	b.AddModule("a.dll", 0x1000, 0x1000, 0)
	b.AddHandle(4, "File", "", 0, 0, 0, 0)
	b.AddHandle(8, "File", "", 0, 0, 0, 0)
	b.AddMemory(0x5000, make([]byte, 100))
	b.AddStream(0x47670001, make([]byte, 12))
	file := b.Bytes()

	const streams = 5 // SystemInfo, ModuleList, HandleData, MemoryList, BreakpadInfo
	want := Accounting{
		Size:       int64(len(file)),
		Header:     32 + 12*(streams+2),
		Decoded:    56 + (4 + 108) + (16 + 2*32),
		Referenced: (4 + 6 + 2) + (4 + 10 + 2) + (4 + 8 + 2), // "SP1", "a.dll", "File" once
		SkippedByType: map[string]int64{
			"MemoryListStream":   4 + 16,
			"BreakpadInfoStream": 12,
		},
		Skipped: 4 + 16 + 12,
	}
	want.Parsed = want.Header + want.Decoded + want.Referenced
	want.Other = want.Size - want.Parsed - want.Skipped
	got := open(t, file).Accounting()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Accounting() diff (-want +got):\n%s", diff)
	}
	// Other holds the 30-byte CodeView record ("RSDS", 20 bytes, "a.dll",
	// NUL), the 100 bytes of memory, and alignment padding (under 4 bytes
	// before each of the 7 aligned items after the directory).
	if pad := got.Other - 30 - 100; pad < 0 || pad > 7*3 {
		t.Errorf("Accounting().Other = %d, want 130 plus at most 21 bytes of padding", got.Other)
	}
}

func TestModuleAt(t *testing.T) {
	b := mdwrite.New()
	b.AddModule("high.dll", 0x7ff000000000, 0x100000, 0)
	b.AddModule("a.exe", 0x10000, 0x1000, 0)
	b.AddModule("empty.dll", 0x30000, 0, 0)
	b.AddModule("b.dll", 0x20000, 0x2000, 0)
	d := open(t, b.Bytes())
	for _, tc := range []struct {
		addr    uint64
		want    string
		wantOff uint64
	}{
		{0, "", 0},
		{0xffff, "", 0},
		{0x10000, "a.exe", 0},
		{0x10fff, "a.exe", 0xfff},
		{0x11000, "", 0},
		{0x21234, "b.dll", 0x1234},
		{0x30000, "", 0},
		{0x7ff000000000 + 0xfffff, "high.dll", 0xfffff},
		{0x7ff000100000, "", 0},
		{^uint64(0), "", 0},
	} {
		t.Run(fmt.Sprintf("%#x", tc.addr), func(t *testing.T) {
			m, off, ok := d.ModuleAt(tc.addr)
			if got := modName(m, ok); got != tc.want || off != tc.wantOff {
				t.Errorf("ModuleAt(%#x) = %q+%#x, want %q+%#x", tc.addr, got, off, tc.want, tc.wantOff)
			}
		})
	}
}

func TestMisc(t *testing.T) {
	ct := uint32(created.Unix())
	for _, tc := range []struct {
		name         string
		size         int
		flags1       uint32
		want         *Misc
		wantProblems []string
	}{
		{"pid and times", 24, 3, &Misc{SizeOfInfo: 24, Flags1: 3, PID: 5, HasPID: true, CreateTime: created, HasCreateTime: true}, nil},
		{"pid only, MISC_INFO_5", 1364, 1, &Misc{SizeOfInfo: 1364, Flags1: 1, PID: 5, HasPID: true}, nil},
		{"times only, MISC_INFO_3", 232, 2, &Misc{SizeOfInfo: 232, Flags1: 2, CreateTime: created, HasCreateTime: true}, nil},
		{"neither", 832, 0x4, &Misc{SizeOfInfo: 832, Flags1: 4}, nil},
		{"unknown size", 100, 1, &Misc{SizeOfInfo: 100, Flags1: 1, PID: 5, HasPID: true}, []string{"unusual-misc-size"}},
		// A writer that left SizeOfInfo unset: the stream's 24 bytes hold it.
		{"size unset", 0, 3, &Misc{Flags1: 3, PID: 5, HasPID: true, CreateTime: created, HasCreateTime: true}, []string{"unset-misc-size"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mdwrite.New()
			b.SetMiscRaw(tc.size, tc.flags1, 5, ct)
			d := open(t, b.Bytes())
			m, ok := d.Misc()
			var got *Misc
			if ok {
				got = &m
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Misc() diff (-want +got):\n%s", diff)
			}
			var gotCodes []string
			for _, p := range d.Problems() {
				gotCodes = append(gotCodes, p.Code)
			}
			if diff := cmp.Diff(tc.wantProblems, gotCodes); diff != "" {
				t.Errorf("problems diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOSVersion(t *testing.T) {
	for _, tc := range []struct {
		s    SystemInfo
		want string
	}{
		{SystemInfo{Arch: "amd64", Major: 10, Build: 19041, PlatformID: 2}, "Windows 10.0.19041 x64"},
		{SystemInfo{Arch: "x86", Major: 6, Minor: 1, Build: 7601, PlatformID: 2, CSDVersion: "Service Pack 1"}, "Windows 6.1.7601 x86 (Service Pack 1)"},
		{SystemInfo{Arch: "arm64", Major: 10, Build: 22631, PlatformID: 2, CSDVersion: "4751"}, "Windows 10.0.22631.4751 arm64"},
		{SystemInfo{Arch: "amd64", Major: 10, Minor: 15, Build: 7, PlatformID: 0x8101, CSDVersion: "19H114"}, "macOS 10.15.7 x64 (19H114)"},
		{SystemInfo{Arch: "arm64", PlatformID: 0x8201, CSDVersion: "Linux 6.1.0-13-arm64 #1 SMP aarch64"}, "Linux 6.1.0-13-arm64 arm64"},
		{SystemInfo{Arch: "arm", Major: 5, Minor: 4, Build: 2, PlatformID: 0x8201}, "Linux 5.4.2 arm"},
		{SystemInfo{Arch: "unknown", ArchCode: 0x8003, PlatformID: 0x8203}, "platform 0x8203 0.0.0 arch 0x8003"},
	} {
		if got := tc.s.OSVersion(); got != tc.want {
			t.Errorf("%+v.OSVersion() = %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestSystemInfoArch(t *testing.T) {
	for code, want := range map[uint16]string{0: "x86", 5: "arm", 6: "ia64", 9: "amd64", 12: "arm64", 0x8003: "arm64", 0xFFFF: "unknown", 3: "unknown"} {
		b := mdwrite.New()
		b.SetSystemInfo(mdwrite.SystemInfo{Arch: code, Processors: 3, Major: 10, Platform: 2})
		s, ok := open(t, b.Bytes()).SystemInfo()
		if !ok || s.Arch != want || s.ArchCode != code || s.ProcessorCount != 3 {
			t.Errorf("arch %#x: SystemInfo() = %+v, %v; want Arch %q", code, s, ok, want)
		}
	}
}
