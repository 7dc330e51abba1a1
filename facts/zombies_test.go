package facts

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestZombies: what a zombie-counting tool says a holder holds becomes
// its zombies, their images (most first, capped) and its handles to
// exited processes and threads; the JSON form carries them and reads
// back the same.
func TestZombies(t *testing.T) {
	b := NewBuilder()
	pos := Position{Path: "z.txt", Line: 3}
	split := b.ProcessByPID(700, pos)
	split.SetImage("agent.exe", pos)
	split.ReportZombiesHeld(12)
	split.HoldZombies("helper.exe", 2, 2, 1, true, Position{Path: "z.txt", Line: 5})
	split.HoldZombies("cmd.exe", 10, 10, 0, true, Position{Path: "z.txt", Line: 4})
	split.HoldZombies("helper.exe", 0, 1, 0, true, Position{Path: "z.txt", Line: 6})
	plain := b.ProcessByPID(800, pos)
	plain.ReportZombiesHeld(30) // first generation: handles, not split
	plain.HoldZombies("a.exe", 20, 0, 0, false, pos)
	for i := 0; i < TopNamesLimit+5; i++ {
		plain.HoldZombies(strings.Repeat("x", i+1)+".exe", 1, 0, 0, false, pos)
	}
	b.ProcessByPID(900, pos) // no tool said anything of it
	snap := b.Snapshot()

	p := snap.Processes[0]
	if p.ZombiesHeld != 12 || p.HandlesToExitedProcesses != 13 || p.HandlesToExitedThreads != 1 {
		t.Errorf("split: zombies %d, handles %d/%d, want 12, 13/1", p.ZombiesHeld, p.HandlesToExitedProcesses, p.HandlesToExitedThreads)
	}
	want := []NameCount{
		{Name: "cmd.exe", Type: "Process", Count: 10, First: Position{Path: "z.txt", Line: 4}},
		{Name: "helper.exe", Type: "Process", Count: 2, First: Position{Path: "z.txt", Line: 5}},
	}
	if diff := cmp.Diff(want, p.ZombieImages); diff != "" {
		t.Errorf("images (-want +got):\n%s", diff)
	}
	q := snap.Processes[1]
	if q.ZombiesHeld != 30 || q.HandlesToExitedProcesses != 30 || len(q.ZombieImages) != TopNamesLimit || q.ZombieImages[0].Name != "a.exe" {
		t.Errorf("plain: zombies %d, handles %d, images %v", q.ZombiesHeld, q.HandlesToExitedProcesses, q.ZombieImages)
	}
	if r := snap.Processes[2]; r.ZombiesHeld != 0 || r.ZombieImages != nil {
		t.Errorf("a process no tool counted has zombies: %+v", r)
	}

	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), `"zombies_held"`); n != 2 {
		t.Errorf("zombies_held written %d times, want 2 (omitted where 0)", n)
	}
	back, err := NewJSONDecoder(bytes.NewReader(buf.Bytes()), "z.json").Decode()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap.Processes, back.Processes); diff != "" {
		t.Errorf("read back (-written +read):\n%s", diff)
	}
}
