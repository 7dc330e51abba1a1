package mdwrite

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLayoutByHand checks a tiny dump byte by byte against offsets worked
// out by hand from MINIDUMP.md, so that the writer is not only checked by
// the reader it is meant to check.
func TestLayoutByHand(t *testing.T) {
	b := New()
	b.DescriptorSize = 40
	b.UnusedSlots = 1
	b.SetTime(time.Unix(0x01020304, 0))
	b.AddHandle(0x1c4, "Ev", "", 1, 0x1f0003, 2, 3, ObjectInfo{Type: InfoEvent1, Data: []byte{0xAA, 0xBB}})
	got := b.Bytes()

	le := binary.LittleEndian
	want := make([]byte, 0, 160)
	u32 := func(v uint32) { want = le.AppendUint32(want, v) }
	// Header (32): "MDMP", version, 2 slots, directory at 32, checksum,
	// time, flags.
	want = append(want, "MDMP"...)
	u32(0xA793)
	u32(2)
	u32(32)
	u32(0)
	u32(0x01020304)
	want = le.AppendUint64(want, 0)
	// Directory (2 × 12) at 32: HandleDataStream of 16+40 bytes at 56,
	// then an unused slot.
	u32(12)
	u32(56)
	u32(56)
	u32(0)
	u32(0)
	u32(0)
	// Handle stream at 56: header, then one 40-byte descriptor whose
	// type string is at 112 and object information at 124.
	u32(16)
	u32(40)
	u32(1)
	u32(0)
	want = le.AppendUint64(want, 0x1c4)
	u32(112) // TypeNameRva
	u32(0)   // ObjectNameRva: "" is no string
	u32(1)
	u32(0x1f0003)
	u32(2)
	u32(3)
	u32(124) // ObjectInfoRva
	u32(0)
	// MINIDUMP_STRING "Ev" at 112: length 4, UTF-16LE, NUL.
	u32(4)
	want = append(want, 'E', 0, 'v', 0, 0, 0)
	want = append(want, 0, 0) // to 124, the next multiple of 4
	// Object information at 124: next 0, type 6, 2 bytes.
	u32(0)
	u32(6)
	u32(2)
	want = append(want, 0xAA, 0xBB)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Bytes() diff (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Layout{Streams: []Location{{Type: 12, Rva: 56, Size: 56}}}, b.Layout()); diff != "" {
		t.Errorf("Layout() diff (-want +got):\n%s", diff)
	}
}
