package kd

import "testing"

func TestUnqualify(t *testing.T) {
	for in, want := range map[string]string{
		"!kdexts.poolused 2":                     "!poolused 2",
		"!KDEXTS.Process 0 0; !ntsdexts.handle":  "!Process 0 0; !handle",
		"!ext.analyze -v":                        "!analyze -v",
		"!mex.grep -A 6 .etl !kdexts.handle 0 3": "!mex.grep -A 6 .etl !handle 0 3",
		"!mex.tl -z":                             "!mex.tl -z",
		"!kdexts. 2":                             "!kdexts. 2",
		"dt nt!_EPROCESS":                        "dt nt!_EPROCESS",
	} {
		if got := string(unqualify([]byte(in))); got != want {
			t.Errorf("unqualify(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestQualifiedCommandsAreRead: a command named with its extension DLL
// (`!kdexts.process`, `!kdexts.poolused`, `!kdexts.vm`) is read as the
// command it is, not ignored as an unknown one.
func TestQualifiedCommandsAreRead(t *testing.T) {
	snap := readString(t, "kd> !kdexts.process 0 0\n"+
		"PROCESS 8a5295f0  SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000\n"+
		"    DirBase: 0acc0020  ObjectTable: e1002e68  HandleCount: 1056.\n    Image: System\n\n"+
		"kd> !kdexts.poolused 2\n   Sorting by NonPaged Pool Consumed\n\n  Pool Used:\n"+
		"            NonPaged            Paged\n Tag    Allocs     Used    Allocs     Used\n"+
		" Thre     5780 12837376         0        0\tThread objects , Binary: nt!ps\n\n"+
		"kd> !kdexts.vm 1\n\tPhysical Memory:     16270   (   65080 Kb)\n")
	if len(snap.Processes) != 1 || snap.Processes[0].HandleCount == nil || *snap.Processes[0].HandleCount != 1056 {
		t.Errorf("processes %+v, want System with 1,056 handles", snap.Processes)
	}
	if m := snap.Memory; m == nil || m.Pool == nil || m.Pool.NonPagedBytes != 12837376 || m.VM == nil || m.VM.PhysicalKB == nil {
		t.Errorf("memory %+v, want the !poolused row and the !vm figure", snap.Memory)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 || l.Ignored > 3 {
		t.Errorf("lines %+v, want the outputs read, not ignored", l)
	}
}
