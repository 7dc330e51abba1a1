package tasklist_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

var n = proctest.N

var parseCases = []proctest.Case{{
	Name: "the default table under its equals signs: processes, their counts unknown and said so",
	In: "Image Name                     PID Session Name        Session#    Mem Usage\n" +
		"========================= ======== ================ =========== ============\n" +
		"System Idle Process              0 Services                   0          8 K\n" +
		"spoolsv.exe                   2412 Services                   0    104,516 K\n" +
		"explorer.exe                  6044 Console                    1     88,412 K\n",
	Lines: facts.LineCounts{Total: 5, Parsed: 5},
	Count: 3,
	Procs: []proctest.Proc{
		{PID: 0, Image: "System Idle Process", Session: n(0)},
		{PID: 2412, Image: "spoolsv.exe", Session: n(0)},
		{PID: 6044, Image: "explorer.exe", Session: n(1)},
	},
	Diags: []string{"1:missing-value"},
}, {
	Name: "/svc after cmd's prompt: the services of a svchost.exe",
	In: "C:\\>tasklist /svc /fi \"pid eq 960\"\n\n" +
		"Image Name                     PID Services\n" +
		"========================= ======== ============================================\n" +
		"svchost.exe                    960 RpcEptMapper, RpcSs\n",
	Lines: facts.LineCounts{Total: 5, Parsed: 4, Ignored: 1},
	Count: 1,
	Procs: []proctest.Proc{{PID: 960, Image: "svchost.exe"}},
	Codes: []string{facts.CodeMissing},
}, {
	Name: "/fo csv with its header under a markdown heading, and a filter that matched nothing",
	In: "## Running Python Processes\n" +
		"\"Image Name\",\"PID\",\"Session Name\",\"Session#\",\"Mem Usage\"\n" +
		"\"svchost.exe\",\"804\",\"Services\",\"0\",\"25,600 K\"\n" +
		"INFO: No tasks are running which match the specified criteria.\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 2, Ignored: 2},
	Count: 1,
	Procs: []proctest.Proc{{PID: 804, Image: "svchost.exe", Session: n(0)}},
	Codes: []string{facts.CodeMissing},
}, {
	Name:  "/nh: rows without a header are not read",
	In:    "\"svchost.exe\",\"804\",\"Services\",\"0\",\"25,600 K\"\n",
	Lines: facts.LineCounts{Total: 1, Unrecognized: 1},
}}

func TestParse(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatTaskList, parseCases)
}

// TestParseList: /fo list (and /fo list /v) prints a block of "Key:
// Value" lines a process, through more's pages; each block is a process
// with its pid, image and session, its handle count unknown.
func TestParseList(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatTaskList, []proctest.Case{{
		Name: "/fo list through more",
		In: "C:\\Users\\ops> tasklist /fo:list | more\n\n" +
			"Image Name:   System\nPID:          4\nSession Name: Services\nSession#:     0\nMem Usage:    96 K\n\n" +
			"Image Name:   agent.exe\nPID:          3120\nSession Name: Services\nSession#:     0\nMem Usage:    41,208 K\n\n" +
			"-- More --\n\n" +
			"Image Name:   explorer.exe\nPID:          6044\nSession Name: Console\nSession#:     1\nMem Usage:    88,412 K\n",
		Lines: facts.LineCounts{Total: 21, Parsed: 16, Ignored: 5},
		Count: 3,
		Procs: []proctest.Proc{
			{PID: 4, Image: "System", Session: n(0)},
			{PID: 3120, Image: "agent.exe", Session: n(0)},
			{PID: 6044, Image: "explorer.exe", Session: n(1)},
		},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "/fo list /v",
		In: "Image Name:   agent.exe\nPID:          3120\nSession Name: Services\nSession#:     0\nMem Usage:    41,208 K\n" +
			"Status:       Unknown\nUser Name:    NT AUTHORITY\\SYSTEM\nCPU Time:     0:01:12\nWindow Title: N/A\n\n" +
			"Image Name:   notepad.exe\nPID:          7712\nSession Name: Console\nSession#:     1\nMem Usage:    12,040 K\n" +
			"Status:       Running\nUser Name:    CONTOSO\\alice\nCPU Time:     0:00:01\nWindow Title: notes.txt - Notepad\n",
		Lines: facts.LineCounts{Total: 19, Parsed: 18, Ignored: 1},
		Count: 2,
		Procs: []proctest.Proc{
			{PID: 3120, Image: "agent.exe", Session: n(0)},
			{PID: 7712, Image: "notepad.exe", Session: n(1)},
		},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "/svc and /m lists: a value's further lines indented under it",
		In: "Image Name: svchost.exe\nPID:        960\nServices:   RpcEptMapper\n            RpcSs\n\n" +
			"Image Name:   notepad.exe\nPID:          7712\nModules:      ntdll.dll, KERNEL32.DLL, KERNELBASE.dll,\n              GDI32.dll\n",
		Lines: facts.LineCounts{Total: 9, Parsed: 8, Ignored: 1},
		Count: 2,
		Procs: []proctest.Proc{{PID: 960, Image: "svchost.exe"}, {PID: 7712, Image: "notepad.exe"}},
		Codes: []string{facts.CodeMissing},
	}})
}
