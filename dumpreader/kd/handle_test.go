package kd

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestCanonName checks the canonical form of object names: kd's device
// suffix gets its space, a GUID at the end of a name keeps its text.
func TestCanonName(t *testing.T) {
	tests := []struct{ in, want string }{
		{`\WINDOWS {HarddiskVolume1}`, `\WINDOWS {HarddiskVolume1}`},
		{`\WINDOWS{HarddiskVolume1}`, `\WINDOWS {HarddiskVolume1}`},
		{`\Reference{ConDrv}`, `\Reference {ConDrv}`},
		{`\Windows\System32\en-US\cmd.exe.mui {HarddiskVolume2}]`, `\Windows\System32\en-US\cmd.exe.mui {HarddiskVolume2}`},
		{`\Device\NamedPipe\{8f3a2c71-5b0e-4d9a-9c1f-2e7b6a4d3c10}`, `\Device\NamedPipe\{8f3a2c71-5b0e-4d9a-9c1f-2e7b6a4d3c10}`},
		{`\REGISTRY\MACHINE\SYSTEM\ControlSet001\Control\Class\{4d36e972-e325-11ce-bfc1-08002be10318}`, `\REGISTRY\MACHINE\SYSTEM\ControlSet001\Control\Class\{4d36e972-e325-11ce-bfc1-08002be10318}`},
		{`\BaseNamedObjects\Local_{4D36E97213254CE1BFC108002BE10318}`, `\BaseNamedObjects\Local_{4D36E97213254CE1BFC108002BE10318}`},
		{`\Sessions\1\BaseNamedObjects\{Agent}`, `\Sessions\1\BaseNamedObjects\{Agent}`},
		{`\clfs\Device\HarddiskVolume2\ProgramData\log{a b}`, `\clfs\Device\HarddiskVolume2\ProgramData\log{a b}`},
		{`{}`, `{}`},
		{`}`, `}`},
	}
	k := newKDReader(facts.NewBuilder(), facts.NewSourceLog("t.txt", "kd"))
	for _, tc := range tests {
		if got := string(k.canonName([]byte(tc.in))); got != tc.want {
			t.Errorf("canonName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestGUIDNamesGroup checks that handles to one GUID-named object, shown
// by kd and by a user-mode dump, count under one name as printed.
func TestGUIDNamesGroup(t *testing.T) {
	const pipe = `\Device\NamedPipe\{8f3a2c71-5b0e-4d9a-9c1f-2e7b6a4d3c10}`
	capture := "PROCESS 8a3f2d40  SessionId: 0  Cid: 0a14    Peb: 7ffd9000  ParentCid: 0268\n" +
		"    DirBase: 0b4c0320  ObjectTable: e2c41b08  HandleCount: 412.\n    Image: agent.exe\n\n" +
		"Handle table at e2c42000 with 412 Entries in use\n"
	for _, v := range []string{"0040", "0044"} {
		capture += v + ": Object: 8a4c1e60  GrantedAccess: 0012019f Entry: e2c42100\n" +
			"Object: 8a4c1e60  Type: (8a5c2e70) File\n    ObjectHeader: 8a4c1e48 (old version)\n" +
			"        HandleCount: 2  PointerCount: 3\n        Directory Object: 00000000  Name: " + pipe + "\n"
	}
	snap := readString(t, capture)
	p := processByImage(t, snap, "agent.exe")
	if len(p.TopNames) != 1 || p.TopNames[0].Name != pipe || p.TopNames[0].Count != 2 {
		t.Errorf("top names %+v, want %s x2", p.TopNames, pipe)
	}
}
