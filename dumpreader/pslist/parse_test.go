package pslist_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

var n = proctest.N

var parseCases = []proctest.Case{{
	Name: "the default table: images without .exe, the idle process's name kept",
	In: "PsList v1.4 - Process information lister\nCopyright (C) 2000-2016 Mark Russinovich\n" +
		"Sysinternals - www.sysinternals.com\n\nProcess information for SRV01:\n\n" +
		"Name                Pid Pri Thd  Hnd   Priv        CPU Time    Elapsed Time\n" +
		"Idle                  0   0   4    0     52    65:17:57.812    90:00:08.176\n" +
		"spoolsv            2412   8  12 51234  10212     0:25:30.031    81:04:59.115\n",
	Lines: facts.LineCounts{Total: 9, Parsed: 3, Ignored: 6},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 0, Image: "Idle", Handles: n(0)},
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
	},
}, {
	Name: "its command after cmd's prompt",
	In: "C:\\tools>pslist64\n\nName                Pid Pri Thd  Hnd   Priv        CPU Time    Elapsed Time\n" +
		"lsass               748   9  10 1496   8820     0:02:11.734    81:05:07.880\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 3, Ignored: 1},
	Count: 1,
	Procs: []proctest.Proc{{PID: 748, Image: "lsass.exe", Handles: n(1496)}},
}, {
	Name: "its command after cmder's prompt, the directory on the line above the λ",
	In: "C:\\Users\\ops\\Tools\\SysInternals\nλ pslist.exe\n\nProcess information for WS042:\n\n" +
		"Name         Pid Pri Thd  Hnd   Priv        CPU Time    Elapsed Time\n" +
		"System         4   8 189 1562    116     0:00:27.531     0:11:19.227\n",
	Lines: facts.LineCounts{Total: 7, Parsed: 3, Ignored: 4},
	Count: 1,
	Procs: []proctest.Proc{{PID: 4, Image: "System", Handles: n(1562)}},
}, {
	Name:  "a path in prose is no directory line",
	In:    "C:\\Users\\ops holds  the tools\n",
	Lines: facts.LineCounts{Total: 1, Unrecognized: 1},
}, {
	Name: "-m's memory table: the processes read, their counts unknown and said so",
	In: "Name                Pid      VM      WS    Priv Priv Pk   Faults   NonP Page\n" +
		"csrss               584 2102632    5312    2248    2600     8212     16  291\n",
	Lines: facts.LineCounts{Total: 2, Parsed: 2},
	Count: 1,
	Procs: []proctest.Proc{{PID: 584, Image: "csrss.exe"}},
	Codes: []string{facts.CodeMissing},
}, {
	Name: "-t's tree: the names indented under their parents",
	In: "Name                             Pid Pri Thd  Hnd      VM      WS    Priv\n" +
		"Idle                               0   0   2    0       0      28       0\n" +
		"  System                           4   8  92  467    1864     244      32\n" +
		"    smss                         508  11   3   21    3820     424     160\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 4},
	Count: 3,
	Procs: []proctest.Proc{{PID: 4, Image: "System", Handles: n(467)}, {PID: 508, Image: "smss.exe", Handles: n(21)}},
}, {
	Name: "-x: the threads under a process are no processes",
	In: "Process and thread information for WS042:\n\n" +
		"Name                Pid      VM      WS    Priv Priv Pk   Faults   NonP Page\n" +
		"firefox           10480 4194303  229520  157984  270384   184373    101  987\n" +
		" Tid Pri    Cswtch            State     User Time   Kernel Time   Elapsed Time\n" +
		"26980  10      9882     Wait:UserReq  0:00:00.953   0:00:00.515    0:01:43.912\n" +
		"17500   8       247     Wait:UserReq  0:00:00.000   0:00:00.031    0:01:43.839\n",
	Lines: facts.LineCounts{Total: 7, Parsed: 2, Ignored: 5},
	Count: 1,
	Procs: []proctest.Proc{{PID: 10480, Image: "firefox.exe"}},
	Codes: []string{facts.CodeMissing},
}, {
	Name: "another command's prompt after the table is no row, its numbers whatever they are",
	In: "Name                Pid Pri Thd  Hnd   Priv        CPU Time    Elapsed Time\n" +
		"firefox           10480   8  69 1335 167308     0:00:08.125     0:41:20.303\n\n" +
		"C:\\Users>pskill -t 10480\n\n7 processes descended from and including 10480 killed.\n" +
		"C:\\Users>pslist -e firefox\n\nprocess firefox was not found on n0_puter\n",
	Lines: facts.LineCounts{Total: 9, Parsed: 3, Ignored: 6},
	Count: 1,
	Procs: []proctest.Proc{{PID: 10480, Image: "firefox.exe", Handles: n(1335)}},
}, {
	Name:  "rows without a header are not read",
	In:    "spoolsv            2412   8  12 51234  10212     0:25:30.031    81:04:59.115\n",
	Lines: facts.LineCounts{Total: 1, Unrecognized: 1},
}}

func TestParse(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatPsList, parseCases)
}

// TestParseThreadsBetweenProcesses: pslist -x prints its memory table's
// header once, then each process's row with its threads under it: the
// processes after the first thread table are read, the thread rows are
// not, and a header printed again changes nothing.
func TestParseThreadsBetweenProcesses(t *testing.T) {
	const mem = "Name                Pid      VM      WS    Priv Priv Pk   Faults   NonP Page\n"
	const tid = " Tid Pri    Cswtch            State     User Time   Kernel Time   Elapsed Time\n"
	const agent = "agent              3120 2105344   41208   38812   40220    98113     52  410\n" + tid +
		" 3124  10     88213     Wait:UserReq  0:00:01.203   0:00:00.781    2:11:04.120\n" +
		" 3188   8       917       Wait:Queue  0:00:00.000   0:00:00.015    2:11:03.998\n"
	const notepad = "notepad            7712 2101248   12040    3128    3140     3562     13  212\n" + tid +
		"10584  10      1696     Wait:UserReq  0:00:00.015   0:00:00.125    0:01:03.669\n"
	const svchost = "svchost             960 2109440   25600   14212   15020    40233     30  288\n" + tid +
		"  964   8       120        Running  0:00:00.031   0:00:00.046   81:05:07.880\n"
	procs := []proctest.Proc{{PID: 3120, Image: "agent.exe"}, {PID: 7712, Image: "notepad.exe"}, {PID: 960, Image: "svchost.exe"}}
	proctest.Parse(t, dumpreader.FormatPsList, []proctest.Case{{
		Name: "the header once",
		In:   "Process and thread information for WS042:\n\n" + mem + agent + notepad + svchost,
		// 3 process rows and the header parsed; the banner line, a blank,
		// 3 thread headers and 4 thread rows ignored.
		Lines: facts.LineCounts{Total: 13, Parsed: 4, Ignored: 9},
		Count: 3,
		Procs: procs,
		Codes: []string{facts.CodeMissing},
	}, {
		Name:  "the header again before each process",
		In:    mem + agent + "\n" + mem + notepad + "\n" + mem + svchost,
		Lines: facts.LineCounts{Total: 15, Parsed: 6, Ignored: 9},
		Count: 3,
		Procs: procs,
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "a prompt ends the threads: another command's output is not read",
		In: mem + agent + "C:\\>ipconfig\n\n" +
			"notepad            7712 2101248   12040    3128    3140     3562     13  212\n",
		Lines: facts.LineCounts{Total: 8, Parsed: 2, Ignored: 6},
		Count: 1,
		Procs: procs[:1],
		Codes: []string{facts.CodeMissing},
	}})
}
