package wmic_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

var n = proctest.N

var parseCases = []proctest.Case{{
	Name: "wmic process get, columns alphabetical, CR CR LF",
	In: "C:\\>wmic process get ProcessId,Name,HandleCount\r\r\n" +
		"HandleCount  Name                 ProcessId  \r\r\n" +
		"0            System Idle Process  0          \r\r\n" +
		"4263         System               4          \r\r\n" +
		"51234        spoolsv.exe          2412       \r\r\n" +
		"\r\r\n",
	Lines: facts.LineCounts{Total: 6, Parsed: 5, Ignored: 1},
	Count: 3,
	Procs: []proctest.Proc{
		{PID: 0, Image: "System Idle Process", Handles: n(0)},
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
	},
}, {
	// A web page collapsed the runs of blanks: the name, in the middle
	// column, takes the tokens the row has more than the header.
	Name: "wmic process get, blanks collapsed",
	In: "C:\\>wmic process get ProcessId,Name,HandleCount\n" +
		"HandleCount Name ProcessId\n" +
		"0 System Idle Process 0\n" +
		"4263 System 4\n" +
		"51234 spoolsv.exe 2412\n",
	Lines: facts.LineCounts{Total: 5, Parsed: 5},
	Count: 3,
	Procs: []proctest.Proc{
		{PID: 0, Image: "System Idle Process", Handles: n(0)},
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
	},
}, {
	// Notes written as a batch file, run from a Unix-style shell: the
	// process list is read, the service list after it is another
	// command's output, the "::" lines are comments.
	Name: "$ prompts, :: comments and another wmic alias",
	In: ":: show locally running processes\n$ wmic process list brief\n" +
		"HandleCount  Name                 Priority  ProcessId  ThreadCount  WorkingSetSize\n" +
		"5619         System               8         4          184          13910016\n\n" +
		":: show locally running services\n$ wmic service list brief\n" +
		"ExitCode  Name             ProcessId  StartMode  State    Status\n" +
		"0         AdobeARMservice  4620       Auto       Running  OK\n",
	Lines: facts.LineCounts{Total: 9, Parsed: 3, Ignored: 6},
	Count: 1,
	Procs: []proctest.Proc{{PID: 4, Image: "System", Handles: n(5619)}},
}, {
	Name: "/format:csv with its blank first line and several nodes",
	In: "\nNode,HandleCount,Name,ProcessId,SessionId\n" +
		"SRV01,51234,spoolsv.exe,2412,0\nSRV01,812,svchost.exe,1100,0\nSRV02,90,svchost.exe,1100,0\n",
	Lines: facts.LineCounts{Total: 5, Parsed: 4, Ignored: 1},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
		{PID: 1100, Image: "svchost.exe", Handles: n(90), Session: n(0)},
	},
	Host:  "SRV01",
	Codes: []string{"other-host", facts.CodeDuplicate},
}, {
	Name: "list full blocks",
	In: "wmic process where name=\"spoolsv.exe\" list full\n\n\n" +
		"CommandLine=C:\\WINDOWS\\System32\\spoolsv.exe\nCreationDate=20261206090112.500000+060\n" +
		"ExecutablePath=C:\\WINDOWS\\System32\\spoolsv.exe\nHandleCount=51234\nName=spoolsv.exe\n" +
		"ProcessId=2412\nSessionId=0\nThreadCount=12\n\n\n",
	Lines: facts.LineCounts{Total: 13, Parsed: 9, Ignored: 4},
	Count: 1,
	Procs: []proctest.Proc{{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)}},
}, {
	Name: "a Checkmk section with another section after",
	In: "<<<ps:sep(44)>>>\n[wmic process]\nNode,HandleCount,Name,ProcessId\nH,53,smss.exe,520\n[wmic process end]\n" +
		"<<<mem>>>\nMemTotal: 1 kB\n",
	Lines: facts.LineCounts{Total: 7, Parsed: 2, Ignored: 4, Unrecognized: 1},
	Count: 1,
	Host:  "H",
	Procs: []proctest.Proc{{PID: 520, Image: "smss.exe", Handles: n(53)}},
}, {
	Name: "wmic's messages",
	In: "C:\\>wmic process where processid=99999 get handlecount\nNo Instance(s) Available.\n\n" +
		"C:\\>wmic /node:srv9 process get handlecount,name,processid\nNode - srv9\nERROR:\nDescription = Access is denied.\n",
	Lines: facts.LineCounts{Total: 7, Parsed: 2, Ignored: 5},
}, {
	Name: "tasklist's table before wmic's, no prompts",
	In: "tasklist\n\nImage Name                     PID Session Name        Session#    Mem Usage\n" +
		"========================= ======== ================ =========== ============\n" +
		"System Idle Process              0 Services                   0          8 K\n" +
		"System                           4 Services                   0      9,192 K\n\n" +
		"wmic process list brief\n" +
		"HandleCount  Name                 Priority  ProcessId  ThreadCount  WorkingSetSize\n" +
		"4263         System               8         4          307          98304\n",
	Lines: facts.LineCounts{Total: 10, Parsed: 3, Ignored: 7},
	Count: 1,
	Procs: []proctest.Proc{{PID: 4, Image: "System", Handles: n(4263)}},
}, {
	Name: "notes with every line a comment: tasklist, then wmic",
	In: "```Powershell\n# tasklist\n#\n# Image Name                     PID Session Name        Session#    Mem Usage\n" +
		"# ========================= ======== ================ =========== ============\n" +
		"# System Idle Process              0 Services                   0          8 K\n" +
		"# wmic process list brief\n" +
		"# HandleCount  Name                 Priority  ProcessId  ThreadCount  WorkingSetSize\n" +
		"# 0            System Idle Process  0         0          8            8192\n" +
		"# 4263         System               8         4          307          98304\n```\n",
	Lines: facts.LineCounts{Total: 11, Parsed: 4, Ignored: 7},
	Count: 2,
	Procs: []proctest.Proc{{PID: 4, Image: "System", Handles: n(4263)}},
}, {
	Name: "/format:csv quotes nothing: commas in a CommandLine",
	In: "Node,CommandLine,HandleCount,Name,ProcessId\n" +
		"SRV01,C:\\app\\agent.exe --peers a,b,c --log x,y,51234,agent.exe,777\n" +
		"SRV01,,4263,System,4\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 2,
	Host:  "SRV01",
	Procs: []proctest.Proc{
		{PID: 777, Image: "agent.exe", Handles: n(51234)},
		{PID: 4, Image: "System", Handles: n(4263)},
	},
}, {
	// A script's documentation shows the repr of the output it read,
	// the opening of a Python bytes literal glued to the header: read
	// as the header (before, the capture was refused).
	Name: "list brief in a Python bytes literal",
	In: ">>> C:\\Users\\alice: process --uid\n" +
		"b'HandleCount  Name                 Priority  ProcessId  ThreadCount  WorkingSetSize  \n" +
		"4263         System               8         4          307          98304\n" +
		"51234        contoso.exe          8         2412       14           6045696\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 3, Ignored: 1},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 4, Image: "System", Handles: n(4263)},
		{PID: 2412, Image: "contoso.exe", Handles: n(51234)},
	},
}}

func TestParse(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatWMIC, parseCases)
}
