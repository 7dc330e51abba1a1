package minidump

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/leakdiag/leakdiag/internal/mdwrite"
)

// rich builds a dump with every stream the package decodes, 40-byte
// descriptors with names and object information, traces, an unused slot
// and a vendor stream, for damaging.
func rich() ([]byte, mdwrite.Layout) {
	b := mdwrite.New()
	b.DescriptorSize = 40
	b.UnusedSlots = 1
	b.SetTime(created)
	b.SetSystemInfo(mdwrite.SystemInfo{Arch: 9, Processors: 4, Major: 10, Build: 19041, Platform: 2, CSDVersion: "Service Pack 9"})
	b.SetMisc(321, created)
	b.AddThread(1)
	b.AddThread(2)
	b.AddThreadName(2, "worker")
	b.AddModule(`C:\app.exe`, 0x400000, 0x10000, 1, 1, 0, 0, 0)
	b.AddModule(`C:\ntdll.dll`, 0x77000000, 0x100000, 2)
	b.AddHandle(0x4, "Event", `\BaseNamedObjects\A`, 0, 0x1f0003, 1, 1, mdwrite.ObjectInfo{Type: mdwrite.InfoEvent1, Data: []byte{1, 2, 3, 4}})
	b.AddHandle(0x8, "Mutant", `\BaseNamedObjects\B`, 0, 0x1f0001, 1, 1,
		mdwrite.ObjectInfo{Type: mdwrite.InfoMutant1, Data: []byte{5, 6, 7, 8}},
		mdwrite.ObjectInfo{Type: mdwrite.InfoMutant2, Data: []byte{9, 10, 11, 12}},
		mdwrite.ObjectInfo{Type: mdwrite.InfoThread1, Data: []byte{13, 14, 15, 16}})
	b.AddHandle(0xc, "File", `\Device\X`, 0, 0x120089, 1, 1)
	b.AddHandleOp(0x4, 321, 1, mdwrite.OpOpen, []uint64{0x400010, 0x77000020})
	b.AddHandleOp(0x4, 321, 2, mdwrite.OpClose, []uint64{0x77000030})
	b.AddStream(0x47670001, make([]byte, 12))
	return b.Bytes(), b.Layout()
}

// Places in a rich dump.
func desc(l mdwrite.Layout, i int64) int64 { hd, _ := l.Find(12); return int64(hd.Rva) + 16 + 40*i }
func stream(l mdwrite.Layout, typ uint32) int64 {
	s, _ := l.Find(typ)
	return int64(s.Rva)
}
func dirEntry(l mdwrite.Layout, typ uint32) int64 {
	for i, s := range l.Streams {
		if s.Type == typ {
			return 32 + 12*int64(i)
		}
	}
	panic("no such stream")
}
func node(f []byte, l mdwrite.Layout, handle, n int64) int64 {
	at := int64(le32(f[desc(l, handle)+32:]))
	for range n {
		at = int64(le32(f[at:]))
	}
	return at
}
func rva(f []byte, at int64) int64 { return int64(le32(f[at:])) }

func TestDamage(t *testing.T) {
	orig, _ := rich()
	for _, tc := range []struct {
		name  string
		patch func(f []byte, l mdwrite.Layout)
		want  func(f []byte, l mdwrite.Layout) []found
		check func(t *testing.T, c contents)
	}{
		{
			name:  "odd type-name length",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, rva(f, desc(l, 0)+8), 5) },
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"string-odd-length", rva(f, desc(l, 0)+8)}}
			},
			check: func(t *testing.T, c contents) {
				if got := []string{c.Handles[0].Type, c.Handles[1].Type}; got[0] != "" || got[1] != "Mutant" {
					t.Errorf("types = %q, want the damaged one empty and the next intact", got)
				}
			},
		},
		{
			name:  "type-name RVA past EOF",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, desc(l, 0)+8, uint32(len(f)+100)) },
			want:  func(f []byte, l mdwrite.Layout) []found { return []found{{"string-out-of-bounds", desc(l, 0) + 8}} },
		},
		{
			name:  "object name runs past EOF",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, rva(f, desc(l, 2)+12), 0xFFF0) },
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"string-past-eof", rva(f, desc(l, 2)+12)}}
			},
			check: func(t *testing.T, c contents) {
				if h := c.Handles[2]; h.Name != "" || h.Type != "File" {
					t.Errorf("handle = %+v, want an empty name and the type intact", h)
				}
			},
		},
		{
			name:  "string longer than 64 KiB",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, rva(f, desc(l, 1)+12), 0x20000) },
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"string-too-long", rva(f, desc(l, 1)+12)}}
			},
		},
		{
			name:  "descriptor size 8",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, stream(l, 12)+4, 8) },
			want:  func(f []byte, l mdwrite.Layout) []found { return []found{{"bad-entry-size", stream(l, 12) + 4}} },
			check: func(t *testing.T, c contents) {
				if len(c.Handles) != 0 {
					t.Errorf("got %d handles, want none", len(c.Handles))
				}
			},
		},
		{
			name:  "descriptor size 32 in a stream of 40-byte descriptors",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, stream(l, 12)+4, 32) },
			want:  nil, // the misaligned fields read as whatever they hit
			check: func(t *testing.T, c contents) {
				// Three 32-byte strides fit in 120 bytes; the handle
				// values of the first and of the "second" show the
				// stride used.
				if len(c.Handles) != 3 || c.Handles[0].Value != 4 || c.Handles[0].ObjectInfo != nil {
					t.Errorf("handles = %+v, want 3 read at a 32-byte stride, without object info", c.Handles)
				}
			},
		},
		{
			name:  "huge handle count",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, stream(l, 12)+8, 0xFFFFFFFF) },
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"count-exceeds-stream", stream(l, 12) + 8}}
			},
			check: func(t *testing.T, c contents) {
				if len(c.Handles) != 3 {
					t.Errorf("got %d handles, want the 3 that fit", len(c.Handles))
				}
			},
		},
		{
			name:  "huge header size",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, stream(l, 12), 0xFFFF) },
			want:  func(f []byte, l mdwrite.Layout) []found { return []found{{"bad-header-size", stream(l, 12)}} },
		},
		{
			name:  "object-info cycle",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, node(f, l, 1, 2), uint32(node(f, l, 1, 0))) },
			want: func(f []byte, l mdwrite.Layout) []found {
				// The field that closes the loop is node 2's NextInfoRva.
				return []found{{"object-info-cycle", node(f, l, 1, 2)}}
			},
			check: func(t *testing.T, c contents) {
				if n := len(c.Handles[1].ObjectInfo); n != 3 {
					t.Errorf("got %d object-info nodes, want the 3 before the loop", n)
				}
			},
		},
		{
			name:  "object-info self loop",
			patch: func(f []byte, l mdwrite.Layout) { n := node(f, l, 0, 0); put32(f, n, uint32(n)) },
			want:  func(f []byte, l mdwrite.Layout) []found { return []found{{"object-info-cycle", node(f, l, 0, 0)}} },
		},
		{
			name:  "object-info RVA past EOF",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, desc(l, 0)+32, uint32(len(f)-4)) },
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"object-info-out-of-bounds", desc(l, 0) + 32}}
			},
		},
		{
			name:  "object-info data past EOF",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, node(f, l, 1, 0)+8, 0x7FFFFFFF) },
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"object-info-past-eof", node(f, l, 1, 0)}}
			},
			check: func(t *testing.T, c contents) {
				in := c.Handles[1].ObjectInfo
				if len(in) != 3 || in[0].Data != nil || !bytes.Equal(in[1].Data, []byte{9, 10, 11, 12}) {
					t.Errorf("object info = %+v, want the damaged node without data and the rest of the chain", in)
				}
			},
		},
		{
			name: "overlapping streams",
			patch: func(f []byte, l mdwrite.Layout) {
				put32(f, dirEntry(l, 0x47670001)+8, uint32(stream(l, 7)+8))
			},
			want: func(f []byte, l mdwrite.Layout) []found { return []found{{"stream-overlap", stream(l, 7) + 8}} },
		},
		{
			name:  "stream past EOF",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, dirEntry(l, 18)+4, 0xFFFFFF) },
			want: func(f []byte, l mdwrite.Layout) []found {
				// Cut at the end of the file, it covers the streams after it.
				return []found{{"stream-out-of-bounds", dirEntry(l, 18)}, {"stream-overlap", stream(l, 0x47670001)}}
			},
			check: func(t *testing.T, c contents) {
				if len(c.Ops) != 2 {
					t.Errorf("got %d handle ops, want 2 from the cut stream", len(c.Ops))
				}
			},
		},
		{
			name:  "unused slot not empty",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, 32+12*int64(len(l.Streams))+4, 99) },
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"unused-slot-not-empty", 32 + 12*int64(len(l.Streams))}}
			},
		},
		{
			name:  "huge module count",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, stream(l, 4), 0xFFFFFFFF) },
			want:  func(f []byte, l mdwrite.Layout) []found { return []found{{"count-exceeds-stream", stream(l, 4)}} },
			check: func(t *testing.T, c contents) {
				if len(c.Modules) != 2 {
					t.Errorf("got %d modules, want the 2 that fit", len(c.Modules))
				}
			},
		},
		{
			name:  "thread name for an unknown thread",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, stream(l, 24)+4, 999) },
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"thread-name-unknown-thread", stream(l, 24) + 4}}
			},
		},
		{
			name:  "thread name RVA64 past EOF",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, stream(l, 24)+12, 7) },
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"string-out-of-bounds", stream(l, 24) + 8}}
			},
		},
		{
			name:  "misc info shorter than its flags claim",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, stream(l, 15), 10) },
			want: func(f []byte, l mdwrite.Layout) []found {
				m := stream(l, 15)
				return []found{{"stream-too-short", m}, {"stream-too-short", m}, {"unusual-misc-size", m}}
			},
			check: func(t *testing.T, c contents) {
				if c.Misc == nil || c.Misc.HasPID || c.Misc.HasCreateTime {
					t.Errorf("Misc = %+v, want neither pid nor time", c.Misc)
				}
			},
		},
		{
			name:  "system info stream of 20 bytes",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, dirEntry(l, 7)+4, 20) },
			want:  func(f []byte, l mdwrite.Layout) []found { return []found{{"stream-too-short", stream(l, 7)}} },
			check: func(t *testing.T, c contents) {
				if c.Sys != nil {
					t.Errorf("SystemInfo = %+v, want none", c.Sys)
				}
			},
		},
		{
			name: "trace depth 1000",
			patch: func(f []byte, l mdwrite.Layout) {
				put32(f, stream(l, 18)+16+24, 1000)
			},
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"handle-op-depth", stream(l, 18) + 16 + 24}}
			},
			check: func(t *testing.T, c contents) {
				if len(c.Ops[0].Stack) != 32 || c.Ops[0].Stack[1] != 0x77000020 || c.Ops[0].Stack[2] != 0 {
					t.Errorf("stack = %#x, want the 32 slots of the entry", c.Ops[0].Stack)
				}
			},
		},
		{
			name:  "trace entry size 8",
			patch: func(f []byte, l mdwrite.Layout) { put32(f, stream(l, 18)+4, 8) },
			want:  func(f []byte, l mdwrite.Layout) []found { return []found{{"bad-entry-size", stream(l, 18) + 4}} },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, l := rich()
			tc.patch(f, l)
			c := readAll(t, open(t, f))
			if tc.want != nil {
				if diff := cmp.Diff(tc.want(f, l), codes(c.Problems), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("problems diff (-want +got):\n%s\nall: %v", diff, c.Problems)
				}
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
	if _, err := Open(bytes.NewReader(orig), int64(len(orig))); err != nil {
		t.Fatalf("the undamaged dump: Open: %v", err)
	}
	if c := readAll(t, open(t, orig)); len(c.Problems) != 0 {
		t.Errorf("the undamaged dump has problems: %v", c.Problems)
	}
}

// TestDamageBuilt covers damage easier to build than to patch.
func TestDamageBuilt(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(b *mdwrite.Builder)
		want  func(f []byte, l mdwrite.Layout) []found
		check func(t *testing.T, f []byte, c contents)
	}{
		{
			name: "duplicate handle stream",
			build: func(b *mdwrite.Builder) {
				b.AddHandle(4, "Event", "", 0, 0, 0, 0)
				b.AddStream(12, make([]byte, 16))
			},
			want: func(f []byte, l mdwrite.Layout) []found { return []found{{"duplicate-stream", 32 + 12}} },
			check: func(t *testing.T, f []byte, c contents) {
				if len(c.Handles) != 1 || c.Acct.SkippedByType["HandleDataStream"] != 16 {
					t.Errorf("handles %d, accounting %+v; want the first stream read and the second skipped", len(c.Handles), c.Acct)
				}
			},
		},
		{
			name: "object-info chain of 70 nodes",
			build: func(b *mdwrite.Builder) {
				b.DescriptorSize = 40
				b.AddHandle(4, "Thread", "", 0, 0, 0, 0, make([]mdwrite.ObjectInfo, 70)...)
			},
			want: func(f []byte, l mdwrite.Layout) []found {
				at := rva(f, desc(l, 0)+32)
				for range 63 {
					at = rva(f, at)
				}
				return []found{{"object-info-chain-too-long", at}}
			},
			check: func(t *testing.T, f []byte, c contents) {
				if n := len(c.Handles[0].ObjectInfo); n != 64 {
					t.Errorf("got %d nodes, want 64", n)
				}
			},
		},
		{
			name: "object-info node larger than 64 KiB",
			build: func(b *mdwrite.Builder) {
				b.DescriptorSize = 40
				b.AddHandle(4, "Process", "", 0, 0, 0, 0, mdwrite.ObjectInfo{Type: mdwrite.InfoProcess2, Data: make([]byte, 70000)})
			},
			want: func(f []byte, l mdwrite.Layout) []found {
				return []found{{"object-info-too-large", rva(f, desc(l, 0)+32)}}
			},
		},
		{
			name: "SizeOfInfo counting the node header, at the end of the file",
			build: func(b *mdwrite.Builder) {
				b.DescriptorSize = 40
				b.AddHandle(4, "Event", "", 0, 0, 0, 0, mdwrite.ObjectInfo{Type: mdwrite.InfoEvent1, Data: []byte{1, 2, 3, 4}})
			},
			want: func(f []byte, l mdwrite.Layout) []found {
				n := rva(f, desc(l, 0)+32)
				put32(f, n+8, 12+4) // the header-inclusive reading
				return []found{{"object-info-size-ambiguous", n}}
			},
			check: func(t *testing.T, f []byte, c contents) {
				if in := c.Handles[0].ObjectInfo; len(in) != 1 || !bytes.Equal(in[0].Data, []byte{1, 2, 3, 4}) {
					t.Errorf("object info = %+v, want the 4 data bytes", in)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mdwrite.New()
			tc.build(b)
			f := b.Bytes()
			want := tc.want(f, b.Layout()) // may patch f
			c := readAll(t, open(t, f))
			if diff := cmp.Diff(want, codes(c.Problems), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("problems diff (-want +got):\n%s\nall: %v", diff, c.Problems)
			}
			if tc.check != nil {
				tc.check(t, f, c)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	good, _ := rich()
	mod := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	for _, tc := range []struct {
		name       string
		in         []byte
		wantCode   string
		wantOffset int64
	}{
		{"empty", nil, "not-minidump", 0},
		{"31 bytes", good[:31], "not-minidump", 0},
		{"PE file", mod(func(b []byte) []byte { copy(b, "MZ\x90\x00"); return b }), "not-minidump", 0},
		{"version 0xA794", mod(func(b []byte) []byte { put32(b, 4, 0xA794); return b }), "bad-version", 4},
		{"directory past EOF", mod(func(b []byte) []byte { put32(b, 8, 0x10000000); return b }), "directory-out-of-bounds", 32},
		{"directory RVA past EOF", mod(func(b []byte) []byte { put32(b, 12, uint32(len(b))); return b }), "directory-out-of-bounds", int64(len(good))},
		{"cut in the directory", good[:40], "directory-out-of-bounds", 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(bytes.NewReader(tc.in), int64(len(tc.in)))
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Code != tc.wantCode || fe.Offset != tc.wantOffset {
				t.Fatalf("Open() error = %v, want a FormatError %s at offset %d", err, tc.wantCode, tc.wantOffset)
			}
			if !strings.Contains(err.Error(), "offset") {
				t.Errorf("Open() error %q does not say at which offset", err)
			}
		})
	}
}

// TestTruncated opens the rich dump cut at every length: Open either fails
// with a FormatError (header or directory cut) or reads what is left, with
// problems, consistent accounting and no more handles than the whole has.
func TestTruncated(t *testing.T) {
	f, _ := rich()
	full := readAll(t, open(t, f))
	for cut := range len(f) {
		b := f[:cut]
		d, err := Open(bytes.NewReader(b), int64(cut))
		if err != nil {
			if !isFormatError(err, "not-minidump") && !isFormatError(err, "directory-out-of-bounds") {
				t.Fatalf("cut at %d: Open() error = %v, want a FormatError", cut, err)
			}
			continue
		}
		c := readAll(t, d)
		if len(c.Handles) > len(full.Handles) || len(c.Ops) > len(full.Ops) || len(c.Modules) > len(full.Modules) {
			t.Errorf("cut at %d: read %d handles, %d ops, %d modules; more than the whole dump", cut, len(c.Handles), len(c.Ops), len(c.Modules))
		}
	}
}
