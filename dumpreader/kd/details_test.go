package kd

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestProcessDetailsWithoutCommand checks that the detail lines of
// `!process` flags 1 and up are read inside a PROCESS block when the
// command line was not pasted, and only there.
func TestProcessDetailsWithoutCommand(t *testing.T) {
	const x64 = `PROCESS ffffc60b2f1e4080
    SessionId: 1  Cid: 2e54    Peb: 9a1c5f2000  ParentCid: 1b08
    DirBase: 1c2e5d002  ObjectTable: 00000000  HandleCount:   0.
    Image: stalled.exe
    VadRoot 0000000000000000 Vads 0 Clone 0 Private 1. Modified 6. Locked 0.
    DeviceMap ffff8e8c2a9f3b40
    Token                             ffff8e8c31b6a060
    ElapsedTime                       2 Days 03:11:09.114
    UserTime                          00:00:00.421
    KernelTime                        00:00:00.187
    QuotaPoolUsage[PagedPool]         0
    QuotaPoolUsage[NonPagedPool]      0
    Working Set Sizes (now,min,max)  (7, 50, 345) (28KB, 200KB, 1380KB)
    PeakWorkingSetSize                5120
    VirtualSize                       96 Mb
    PeakVirtualSize                   131 Mb
    PageFaultCount                    8844
    MemoryPriority                    BACKGROUND
    BasePriority                      8
    CommitCharge                      0
    Job                               ffffc60b2e8a1060
    DebugPort                         ffffc60b2f3c5d10
 
No active threads
        THREAD ffffc60b2f5a1080  Cid 2e54.3020  TERMINATED
        THREAD ffffc60b2f5b2080  Cid 2e54.3024  Teb: 0000009a1c5f5000 Win32Thread: 0000000000000000 WAIT: (UserRequest) UserMode Non-Alertable
            ffffc60b2f5c8e60  SynchronizationEvent
        Not impersonating
        Owning Process            ffffc60b2f1e4080       Image:         stalled.exe
        Wait Start TickCount      9932561        Ticks: 1024 (0:00:00:16.000)
        Child-SP          RetAddr               Call Site
        ffff9d01` + "`" + `5c3e7560 fffff803` + "`" + `1a6e9f3d     nt!KiSwapContext+0x76
`
	const x86Header = `PROCESS 8a3f2d40  SessionId: 0  Cid: 0a14    Peb: 7ffd9000  ParentCid: 0268
    DirBase: 0b4c0320  ObjectTable: e2c41b08  HandleCount: 412.
    Image: poller.exe
`
	const x86Details = `    VadRoot 8a41c2a8 Vads 88 Clone 0 Private 702. Modified 31. Locked 0.
    DeviceMap e1a7f0c8
    Token                             e2d0b030
    ElapsedTime                       00:40:12.031
    CommitCharge                      913
`
	tests := []struct {
		name, capture     string
		lines             facts.LineCounts
		threads, finished int64
		exited            bool
	}{
		{"x64, exited, threads", x64, facts.LineCounts{Total: 32, Parsed: 7, Ignored: 25}, 2, 1, true},
		{"x86, no threads", x86Header + x86Details, facts.LineCounts{Total: 8, Parsed: 3, Ignored: 5}, 0, 0, false},
		{"a label outside a block is not a detail", "Token                             e2d0b030\n", facts.LineCounts{Total: 1, Unrecognized: 1}, 0, 0, false},
		{"prose after a block without details stays unrecognized", x86Header + "Note the handle count after an hour.\n",
			facts.LineCounts{Total: 4, Parsed: 3, Unrecognized: 1}, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if got := snap.Sources[0].Lines; got != tc.lines {
				t.Errorf("lines %+v, want %+v (%+v)", got, tc.lines, snap.Diagnostics)
			}
			var threads, finished int64
			exited := false
			for _, p := range snap.Processes {
				threads += p.Threads
				finished += p.TerminatedThreads
				exited = exited || p.Exited
			}
			if threads != tc.threads || finished != tc.finished || exited != tc.exited {
				t.Errorf("threads %d, terminated %d, exited %v; want %d, %d, %v", threads, finished, exited, tc.threads, tc.finished, tc.exited)
			}
		})
	}
}
