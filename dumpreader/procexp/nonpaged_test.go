package procexp_test

import "testing"

// TestNonpagedPool: the process list's Nonpaged Pool column (Process
// Memory), in KB as Process Explorer shows it, is the nonpaged pool
// charged to the process; a blank cell (a process it cannot open) gives
// none.
func TestNonpagedPool(t *testing.T) {
	snap := read(t, "Process\tPID\tHandles\tNonpaged Pool\tPaged Pool\n"+
		"System\t4\t4,263\t0 K\t0 K\n"+
		"agent.exe\t5120\t412\t1,512 K\t220 K\n"+
		"csrss.exe\t612\t580\t\t\n")
	want := map[uint64]int64{4: 0, 5120: 1512 * 1024, 612: -1}
	if len(snap.Processes) != len(want) {
		t.Fatalf("%d processes, want %d", len(snap.Processes), len(want))
	}
	for _, p := range snap.Processes {
		got := int64(-1)
		if p.PoolNonpagedBytes != nil {
			got = *p.PoolNonpagedBytes
		}
		if got != want[p.PID] {
			t.Errorf("pid %d: pool_nonpaged_bytes %d, want %d (-1: none)", p.PID, got, want[p.PID])
		}
	}
}
