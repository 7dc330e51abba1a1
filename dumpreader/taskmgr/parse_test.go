package taskmgr_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

var n = proctest.N

var parseCases = []proctest.Case{{
	Name: "tab-separated, English",
	In: "Name\tPID\tStatus\tUser name\tCPU\tMemory (active private working set)\tHandles\tThreads\n" +
		"spoolsv.exe\t2412\tRunning\tSYSTEM\t00\t12,345 K\t51,234\t12\n" +
		"svchost.exe\t1100\tRunning\tNETWORK SERVICE\t00\t1,024 K\t812\t7\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
		{PID: 1100, Image: "svchost.exe", Handles: n(812)},
	},
}, {
	Name: "space-aligned, German, Session ID",
	In: "Name              PID  Status      Benutzername  Handles  Threads  Sitzungs-ID\n" +
		"spoolsv.exe      2412  Wird ausgeführt  SYSTEM   51234       12            0\n" +
		"explorer.exe     3520  Wird ausgeführt  anna      1489       80            1\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
		{PID: 3520, Image: "explorer.exe", Handles: n(1489), Session: n(1)},
	},
}, {
	Name: "Spanish, tabs",
	In: "Nombre\tId. de proceso\tEstado\tNombre de usuario\tIdentificadores\tSubprocesos\n" +
		"spoolsv.exe\t2412\tEn ejecución\tSYSTEM\t51234\t12\n",
	Lines: facts.LineCounts{Total: 2, Parsed: 2},
	Count: 1,
	Procs: []proctest.Proc{{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)}},
}, {
	Name: "the default columns, without Handles: read, the counts unknown and said so",
	In: "Name\tPID\tStatus\tUser name\tCPU\tMemory (active private working set)\tArchitecture\tDescription\n" +
		"csrss.exe\t368\tRunning\tSYSTEM\t00 \t1,204 K\tx64\tClient Server Runtime Process\n",
	Lines: facts.LineCounts{Total: 2, Parsed: 2},
	Count: 1,
	Procs: []proctest.Proc{{PID: 368, Image: "csrss.exe"}},
	Codes: []string{facts.CodeMissing},
}, {
	Name:  "rows without a header are not read",
	In:    "spoolsv.exe\t2412\tRunning\tSYSTEM\t00\t12,345 K\t51234\t12\n",
	Lines: facts.LineCounts{Total: 1, Unrecognized: 1},
}}

func TestParse(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatTaskMgr, parseCases)
}

// TestNonPaged: the Details tab's NP pool column (Windows 7's Memory -
// Non-paged Pool), in KB with Task Manager's " K", is the nonpaged pool
// charged to the process, in bytes.
func TestNonPaged(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"Details tab", "Name\tPID\tStatus\tUser name\tCPU\tMemory (active private working set)\tHandles\tNP pool\tPaged pool\n" +
			"agent.exe\t4412\tRunning\tSYSTEM\t00\t12,345 K\t412\t1,512 K\t96 K\n"},
		{"Windows 7", "Image Name\tPID\tHandles\tMemory - Non-paged Pool\nagent.exe\t4412\t412\t1,512K\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := proctest.Read(t, []byte(tc.in), "t.txt", dumpreader.FormatTaskMgr)
			if len(snap.Processes) != 1 {
				t.Fatalf("%d processes, want 1:\n%s", len(snap.Processes), proctest.Diags(snap))
			}
			if p := snap.Processes[0]; p.PoolNonpagedBytes == nil || *p.PoolNonpagedBytes != 1512*1024 {
				t.Errorf("pool_nonpaged_bytes = %v, want %d", p.PoolNonpagedBytes, 1512*1024)
			}
		})
	}
}
