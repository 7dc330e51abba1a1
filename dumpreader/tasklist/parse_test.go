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
