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

// TestParseChinese: a copy of the Details tab of a Chinese Windows, its
// default columns (no Handles), is read; the Services tab copied beside
// it, whose Name is a service's and whose stopped services have no PID,
// is not read as processes.
func TestParseChinese(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatTaskMgr, []proctest.Case{{
		Name: "Details tab, default columns (Windows 10's memory column)",
		In: "名称\tPID\t状态\t用户名\tCPU\t内存(专用工作集)\t描述\n" +
			"contoso.exe\t286740\t正在运行\talice\t00 \t3,992 K\tContoso Agent\n",
		Lines: facts.LineCounts{Total: 2, Parsed: 2},
		Count: 1,
		Procs: []proctest.Proc{{PID: 286740, Image: "contoso.exe"}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "Details tab with Handles and Threads",
		In: "名称\tPID\t状态\t用户名\t内存(活动的专用工作集)\t句柄\t线程\n" +
			"contoso.exe\t4120\t正在运行\tSYSTEM\t12,345 K\t51,234\t12\n",
		Lines: facts.LineCounts{Total: 2, Parsed: 2},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Handles: n(51234)}},
	}, {
		Name: "the Services tab after the Details tab: not processes",
		In: "名称\tPID\t状态\t用户名\tCPU\t内存(专用工作集)\t描述\n" +
			"contoso.exe\t4120\t正在运行\tSYSTEM\t00 \t2,632 K\tContoso Service\n\n" +
			"名称\tPID\t描述\t状态\t组\n" +
			"ContosoSvc\t\tContoso Service\t已停止\t\n" +
			"FabrikamSvc\t5216\tFabrikam\t正在运行\tnetsvcs\n",
		Lines: facts.LineCounts{Total: 6, Parsed: 2, Ignored: 1, Unrecognized: 3},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe"}},
		Codes: []string{facts.CodeMissing},
	}})
}

// TestParseInSourceComments: a copy kept in a comment of source code, a
// Java line comment commented out again ("////" glued to the header and
// rows) or a Python docstring whose quotes open on the header's line, is
// read; the comment's other lines are comments.
func TestParseInSourceComments(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatTaskMgr, []proctest.Case{{
		Name: "Java line comments, commented out again",
		In: "////        HWND hWnd = FindContosoWindow();\n" +
			"////名称\tPID\t状态\t用户名\tCPU\t内存(专用工作集)\t描述\n" +
			"////contoso.exe\t14604\t正在运行\talice\t00 \t2,039,412 K\tContoso IDE\n" +
			"// if (hWnd != null) {\n",
		Lines: facts.LineCounts{Total: 4, Parsed: 2, Ignored: 2},
		Count: 1,
		Procs: []proctest.Proc{{PID: 14604, Image: "contoso.exe"}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "a Python docstring",
		In: "\"\"\"Name\tPID\tStatus\tUser name\tCPU\tMemory (active private working set)\tArchitecture\tDescription\n" +
			"Contoso.UI.exe\t13192\tRunning\talice\t00 \t69,136 K\tx86\tContoso UI\n" +
			"\"\"\"\n",
		Lines: facts.LineCounts{Total: 3, Parsed: 2, Ignored: 1},
		Count: 1,
		Procs: []proctest.Proc{{PID: 13192, Image: "Contoso.UI.exe"}},
		Codes: []string{facts.CodeMissing},
	}})
}
