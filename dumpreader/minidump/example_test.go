package minidump_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/leakdiag/leakdiag/dumpreader/minidump"
	"github.com/leakdiag/leakdiag/internal/mdwrite"
)

// A small dump with handle data and a handle trace, as DbgHelp writes them
// with MiniDumpWithHandleData and handle tracing on.
func exampleDump() []byte {
	b := mdwrite.New()
	b.DescriptorSize = 40
	b.SetMisc(4242, time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC))
	b.SetSystemInfo(mdwrite.SystemInfo{Arch: 9, Major: 10, Build: 19041, Platform: 2})
	b.AddModule(`C:\app\leaky.exe`, 0x7ff600000000, 0x20000, 0, 1, 0, 0, 0)
	b.AddHandle(0x1c4, "Event", `\Sessions\1\BaseNamedObjects\Ready`, 0, 0x1f0003, 1, 2)
	b.AddHandle(0x1c8, "File", `\Device\HarddiskVolume3\log.txt`, 0, 0x120196, 1, 1)
	b.AddHandleOp(0x1c8, 4242, 17, mdwrite.OpOpen, []uint64{0x7ff600001234})
	return b.Bytes()
}

func Example() {
	data := exampleDump()
	d, err := minidump.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		fmt.Println(err)
		return
	}
	if m, ok := d.Misc(); ok && m.HasPID {
		fmt.Println("pid", m.PID, "started", m.CreateTime.Format(time.RFC3339))
	}
	if s, ok := d.SystemInfo(); ok {
		fmt.Println(s.OSVersion())
	}
	d.Handles(func(h *minidump.Handle) error {
		fmt.Printf("handle %#x %s %s\n", h.Value, h.Type, h.Name)
		return nil
	})
	d.HandleOps(func(op *minidump.HandleOp) error {
		for _, addr := range op.Stack {
			if m, off, ok := d.ModuleAt(addr); ok {
				fmt.Printf("%s %#x by thread %d at %s+%#x\n", op.Kind, op.Handle, op.ThreadID, m.Name, off)
			}
		}
		return nil
	})
	for _, p := range d.Problems() {
		fmt.Println(p)
	}
	// Output:
	// pid 4242 started 2024-03-01T12:00:00Z
	// Windows 10.0.19041 x64
	// handle 0x1c4 Event \Sessions\1\BaseNamedObjects\Ready
	// handle 0x1c8 File \Device\HarddiskVolume3\log.txt
	// OPEN 0x1c8 by thread 17 at C:\app\leaky.exe+0x1234
}

func ExampleDump_Accounting() {
	data := exampleDump()
	d, err := minidump.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		fmt.Println(err)
		return
	}
	a := d.Accounting()
	fmt.Println("size", a.Size, "= parsed", a.Parsed, "+ skipped", a.Skipped, "+ other", a.Other)
	fmt.Println("header", a.Header, "streams", a.Decoded, "strings", a.Referenced)
	// Output:
	// size 944 = parsed 894 + skipped 0 + other 50
	// header 92 streams 592 strings 210
}

func ExampleOpen_notAMinidump() {
	data := []byte("MZ\x90\x00 this is a PE file, not a dump........")
	_, err := minidump.Open(bytes.NewReader(data), int64(len(data)))
	fmt.Println(err)
	// Output:
	// minidump: offset 0 (0x0): not a minidump: signature "MZ\x90\x00", want "MDMP"
}
