package volatility_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

// proc is what a case checks of a process.
type proc struct {
	PPID    uint64
	Image   string
	Handles int64 // -1: not given
	Threads int64
	Exited  bool
	Address string
	Created string
	Parsed  int64
	Unnamed int64
	ByType  map[string]int64
}

type parseCase struct {
	name  string
	in    string
	lines facts.LineCounts
	procs map[uint64]proc
	codes []string
	lacks []string
}

const vol3Head = "PID\tPPID\tImageFileName\tOffset(V)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\tFile output\n\n"

var listLacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}

var parseCases = []parseCase{{
	name: "Volatility 3 pslist with its command: an exited process is kept alive",
	in: "vol -f m.raw windows.pslist.PsList\nVolatility 3 Framework 2.4.0\nProgress:  100.00\t\tPDB scanning finished\n" + vol3Head +
		"4\t0\tSystem\t0xfa80018b2040\t96\t701\tN/A\tFalse\t2026-12-01 08:00:00.000000 \tN/A\tDisabled\n" +
		"880\t4\tagent.exe\t0xfa8002c1b060\t0\t-\t1\tFalse\t2026-12-06 10:00:00.000000 \t2026-12-06 10:00:05.000000 \tDisabled\n",
	lines: facts.LineCounts{Total: 7, Parsed: 5, Ignored: 2},
	procs: map[uint64]proc{
		4:   {Image: "System", Handles: 701, Threads: 96, Address: "fa80018b2040", Created: "2026-12-01T08:00:00Z"},
		880: {PPID: 4, Image: "agent.exe", Handles: 0, Exited: true, Address: "fa8002c1b060", Created: "2026-12-06T10:00:00Z"},
	},
	lacks: listLacks,
}, {
	name: "Volatility 3 psscan: an exited process is not read, a live one is, without its offset",
	in: "python3 vol.py -f m.raw windows.psscan\n" + vol3Head +
		"880\t4\tagent.exe\t0x2c1b060\t0\t-\t1\tFalse\t2026-12-06 10:00:00.000000 \t2026-12-06 10:00:05.000000 \tDisabled\n" +
		"4\t0\tSystem\t0x18b2040\t96\t701\tN/A\tFalse\tN/A\tN/A\tDisabled\n",
	lines: facts.LineCounts{Total: 5, Parsed: 4, Ignored: 1},
	procs: map[uint64]proc{4: {Image: "System", Handles: 701, Threads: 96}},
	codes: []string{"psscan-exited"},
	lacks: listLacks,
}, {
	name: "no command: exited rows held back, unless the table is a tree",
	in: vol3Head + "880\t4\tagent.exe\t0xfa8002c1b060\t0\t-\t1\tFalse\t2026-12-06 10:00:00.000000 \t2026-12-06 10:00:05.000000 \tDisabled\n" +
		"\n" + vol3Head + "4\t0\tSystem\t0xfa80018b2040\t96\t701\tN/A\tFalse\tN/A\tN/A\n" +
		"881\t4\tagent.exe\t0xfa8002c1c060\t0\t-\t1\tFalse\t2026-12-06 10:00:00.000000 \t2026-12-06 10:00:05.000000 \n" +
		"* 882\t4\tchild.exe\t0xfa8002c1d060\t2\t40\t1\tFalse\t2026-12-06 10:00:00.000000 \tN/A\n",
	lines: facts.LineCounts{Total: 9, Parsed: 6, Ignored: 3},
	procs: map[uint64]proc{
		4:   {Image: "System", Handles: 701, Threads: 96},
		881: {PPID: 4, Image: "agent.exe", Handles: 0, Exited: true, Address: "fa8002c1c060", Created: "2026-12-06T10:00:00Z"},
		882: {PPID: 4, Image: "child.exe", Handles: 40, Threads: 2, Address: "fa8002c1d060", Created: "2026-12-06T10:00:00Z"},
	},
	codes: []string{"unknown-plugin"},
	lacks: listLacks,
}, {
	name: "Volatility 3 handles with blanks for tabs: image names and types of two words, an empty name",
	in: "PID  Process  Offset  HandleValue  Type  GrantedAccess  Name\n\n" +
		"3120  Upd Svc.exe  0xa50e70b8f9a0  0xc  File  0x100020  \\Device\\HarddiskVolume3\\Program Files\\x\n" +
		"3120  Upd Svc.exe  0xa50e71b90080  0x10  ALPC Port  0x1f0001\n" +
		"3120  Upd Svc.exe  0xa50e72a01080  0x14  Process  0x1fffff  agent.exe Pid 880\n",
	lines: facts.LineCounts{Total: 5, Parsed: 4, Ignored: 1},
	procs: map[uint64]proc{3120: {Image: "Upd Svc.exe", Handles: -1, Parsed: 3, Unnamed: 1,
		ByType: map[string]int64{"File": 1, "ALPC Port": 1, "Process": 1}}},
	lacks: []string{facts.LacksStacks},
}, {
	name: "Volatility 2 pslist: a pico process without a name, counts of dashes, a zone",
	in: "Volatility Foundation Volatility Framework 2.6\n" +
		"Offset(V)          Name                    PID   PPID   Thds     Hnds   Sess  Wow64 Start                          Exit\n" +
		"------------------ -------------------- ------ ------ ------ -------- ------ ------ ------------------------------ ------------------------------\n" +
		"0xffff8008d2016080                         316   4960      0 --------      1      0 2026-06-21 18:02:25 UTC+0200   2026-06-21 18:02:44 UTC+0200\n" +
		"0xffff8008d35da540 bash.exe               2420   3640      4       77      1      0 2026-06-21 18:02:50 UTC+0000\n",
	lines: facts.LineCounts{Total: 5, Parsed: 5},
	procs: map[uint64]proc{
		316:  {PPID: 4960, Handles: 0, Exited: true, Address: "ffff8008d2016080", Created: "2026-06-21T16:02:25Z"},
		2420: {PPID: 3640, Image: "bash.exe", Handles: 77, Threads: 4, Address: "ffff8008d35da540", Created: "2026-06-21T18:02:50Z"},
	},
	lacks: listLacks,
}, {
	name: "Volatility 2 pslist: an exited process's dashes are the handle table it no longer has (0), a live one's an unread count",
	in: "$ vol.py -f m.raw --profile=WinXPSP2x86 pslist\n" +
		"Offset(V)  Name                    PID   PPID   Thds     Hnds   Sess  Wow64 Start                          Exit\n" +
		"---------- -------------------- ------ ------ ------ -------- ------ ------ ------------------------------ ------------------------------\n" +
		"0x82077020 edit.exe               1260   1596      0 --------      0      0 2026-12-01 01:20:49 UTC+0000   2026-12-01 01:40:40 UTC+0000\n" +
		"0x8230ada0 paint.exe              1772   1596      4 --------      0      0 2026-12-01 01:39:56 UTC+0000\n",
	lines: facts.LineCounts{Total: 5, Parsed: 5},
	procs: map[uint64]proc{
		1260: {PPID: 1596, Image: "edit.exe", Handles: 0, Exited: true, Address: "82077020", Created: "2026-12-01T01:20:49Z"},
		1772: {PPID: 1596, Image: "paint.exe", Handles: -1, Threads: 4, Address: "8230ada0", Created: "2026-12-01T01:39:56Z"},
	},
	lacks: listLacks,
}, {
	name: "Volatility 2 pstree without its heading after pslist: its rows read, the third level's dots no elision",
	in: "Offset(V)          Name                    PID   PPID   Thds     Hnds   Sess  Wow64 Start                          Exit\n" +
		"------------------ -------------------- ------ ------ ------ -------- ------ ------ ------------------------------ ------------------------------\n" +
		"0xfffffa8032f54600 svchost.exe             584    464      9      359      0      0 2017-02-22 17:48:24 UTC+0000\n" +
		"PSTree\n" +
		".. 0xfffffa8032f54600:svchost.exe                     584    464      9    359 2017-02-22 17:48:24 UTC+0000\n" +
		"... 0xfffffa80334fd060:calc.exe                      2040    584      3     70 2017-02-22 19:13:10 UTC+0000\n",
	lines: facts.LineCounts{Total: 6, Parsed: 5, Unrecognized: 1},
	procs: map[uint64]proc{
		584:  {PPID: 464, Image: "svchost.exe", Handles: 359, Threads: 9, Address: "fffffa8032f54600", Created: "2017-02-22T17:48:24Z"},
		2040: {PPID: 584, Image: "calc.exe", Handles: 70, Threads: 3, Address: "fffffa80334fd060", Created: "2017-02-22T19:13:10Z"},
	},
	lacks: listLacks,
}, {
	name: "a row that does not fit is unrecognized; prose before the command too",
	in: "I ran it again:\n$ vol.py -f x.raw --profile=Win7SP1x64 pslist\n" +
		"Offset(V)          Name                    PID   PPID   Thds     Hnds   Sess  Wow64 Start                          Exit\n" +
		"0x84ae6328 wininit.exe            332    276\n",
	lines: facts.LineCounts{Total: 4, Parsed: 2, Unrecognized: 2},
	procs: map[uint64]proc{},
	lacks: listLacks,
}, {
	name: "-r csv: the tree depth first, a name quoted for its comma",
	in: "TreeDepth,PID,PPID,ImageFileName,Offset(V),Threads,Handles,SessionId,Wow64,CreateTime,ExitTime,File output\n" +
		"0,4,0,System,0x9e8b6e888040,150,2930,N/A,False,N/A,N/A,Disabled\n" +
		"1,9104,4,\"a,b.exe\",0x9e8b73c0a080,0,-,1,False,2026-12-06 19:02:11.000000 UTC,2026-12-06 19:02:12.000000 UTC,Disabled\n",
	lines: facts.LineCounts{Total: 3, Parsed: 3},
	procs: map[uint64]proc{
		4:    {Image: "System", Handles: 2930, Threads: 150},
		9104: {PPID: 4, Image: "a,b.exe", Handles: 0, Exited: true, Address: "9e8b73c0a080", Created: "2026-12-06T19:02:11Z"},
	},
	lacks: listLacks,
}, {
	name: "-r pretty: one star a root, its table's own line, a bare prompt after it",
	in: "Formatting...\n  | PID | PPID | ImageFileName |      Offset(V) | Threads | Handles | SessionId | Wow64 | CreateTime | ExitTime\n" +
		"* |    4 |    0 |        System | 0xa50e6b49e040 |     188 |    2841 |       N/A | False |        N/A |      N/A\n" +
		"* | 5512 | 3120 | ReportAgent.ex | 0xa50e72a01080 |       0 |       - |         0 | False | 2026-12-06 01:10:04.000000 UTC | 2026-12-06 01:10:09.000000 UTC\n" +
		"PS C:\\vol3>\n",
	lines: facts.LineCounts{Total: 5, Parsed: 3, Ignored: 2},
	procs: map[uint64]proc{4: {Image: "System", Handles: 2841, Threads: 188}},
	codes: []string{"unknown-plugin"},
	lacks: listLacks,
}, {
	name: "Volatility 3 handles of a later version: N/A for no name",
	in: "PID\tProcess\tOffset\tHandleValue\tType\tGrantedAccess\tName\n\n" +
		"8\tx.exe\t0xa50e6e1b2ce0\t0x4\tEvent\t0x1f0003\tN/A\n8\tx.exe\t0xa50e6e1b2d00\t0x8\tEvent\t0x1f0003\tBaseNamedObjects\\Ready\n",
	lines: facts.LineCounts{Total: 4, Parsed: 3, Ignored: 1},
	procs: map[uint64]proc{8: {Image: "x.exe", Handles: -1, Parsed: 2, Unnamed: 1, ByType: map[string]int64{"Event": 2}}},
	lacks: []string{facts.LacksStacks},
}, {
	name: "hostile: a pid past 32 bits, a row of many words, binary garbage, a heading of a physical pslist",
	in: vol3Head + "99999999999\t0\tx.exe\t0x1\t1\t1\t0\tFalse\tN/A\tN/A\n" +
		"1 2 " + strings.Repeat("w ", 200) + "0x1 1 1 0 False N/A N/A\n" +
		"\x00\x01\xff garbage\n" +
		"PID\tPPID\tImageFileName\tOffset(P)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\n" +
		"vol -f m.raw windows.pslist --physical\n" + // a command line ends the table
		"PID\tPPID\tImageFileName\tOffset(P)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\n" +
		"8\t4\tz.exe\t0x7d4c3080\t0\t-\t0\tFalse\t2026-12-06 10:00:00.000000 \t2026-12-06 10:00:05.000000 \n",
	lines: facts.LineCounts{Total: 9, Parsed: 5, Ignored: 1, Unrecognized: 3},
	procs: map[uint64]proc{8: {PPID: 4, Image: "z.exe", Handles: 0, Exited: true, Created: "2026-12-06T10:00:00Z"}},
	lacks: listLacks,
}, {
	name: "Volatility 2 pslist that found no process, its line of dashes wrapped by the paste",
	in: "$ python vol.py -f mem.raw --profile=Win10x64_19041 pslist\n" +
		"Volatility Foundation Volatility Framework 2.6.1\n" +
		"Offset(V)          Name                    PID   PPID   Thds     Hnds   Sess  Wow64 Start                          Exit\n" +
		"------------------ -------------------- ------ ------ ------ -------- ------ ------ ----------------------------\n" +
		"-- ------------------------------\n",
	lines: facts.LineCounts{Total: 5, Parsed: 5},
	procs: map[uint64]proc{},
	codes: []string{"empty-table"},
	lacks: listLacks,
}, {
	name: "Volatility 3 psscan before 2.0: its physical offset headed Offset, an exit time glued to File output",
	in: "$ python3 vol.py -f m.raw windows.psscan\nVolatility 3 Framework 1.0.1\n" +
		"PID\tPPID\tImageFileName\tOffset\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\tFile output\n\n" +
		"860\t1940\ttaskdl.exe\t0x1f4daf0\t0\t-\t0\tFalse\t2026-05-12 21:26:23.000000 \t2026-05-12 21:26:23.000000Disabled\n" +
		"1768\t1024\tagent.exe\t0x1f747c0\t7\t132\t0\tFalse\t2026-05-12 21:22:52.000000 \tN/A\tDisabled\n" +
		"analyst@ubuntu:/opt/volatility3$\n",
	lines: facts.LineCounts{Total: 7, Parsed: 5, Ignored: 2},
	procs: map[uint64]proc{1768: {PPID: 1024, Image: "agent.exe", Handles: 132, Threads: 7, Created: "2026-05-12T21:22:52Z"}},
	codes: []string{"psscan-exited"},
	lacks: listLacks,
}, {
	name: "Volatility 2 behind a bracketed shell prompt, with the warnings Python prints for a deprecated module",
	in: "[!bash!]$ vol.py -f m.vmem --profile=Win7SP1x64 handles -p 1512 --object-type=File\n" +
		"Volatility Foundation Volatility Framework 2.6.1\n" +
		"/usr/local/lib/python2.7/dist-packages/volatility/plugins/community/x/y.py:12: CryptographyDeprecationWarning: Python 2 is no longer supported.\n" +
		"  from cryptography.hazmat.backends.openssl import backend\n" +
		"Offset(V)             Pid             Handle             Access Type             Details\n" +
		"------------------ ------ ------------------ ------------------ ---------------- -------\n" +
		"0xfffffa8001d162e0   1512               0x10           0x100020 File             \\Device\\HarddiskVolume2\\Windows\n",
	lines: facts.LineCounts{Total: 7, Parsed: 5, Ignored: 2},
	procs: map[uint64]proc{1512: {Image: "", Handles: -1, Parsed: 1, ByType: map[string]int64{"File": 1}}},
	lacks: []string{facts.LacksStacks},
}, {
	// Before, the rows went unread and the capture was refused.
	name: "handle rows without their heading after the command line that runs handles, redirected",
	in: "C:\\ctf>volatility -f image.bin --profile=Win7SP1x86_23418 handles -p 2760 > handles\n" +
		"Volatility Foundation Volatility Framework 2.6\n\n" +
		"0x85d665b8   2760      0x174   0x12019f File             \\Device\\HarddiskVolume1\\Users\\contoso\\report draft.docx\n" +
		"0x85d665c0   2760      0x178   0x1f0003 Event            \n\n" +
		"C:\\ctf>volatility -f image.bin --profile=Win7SP1x86_23418 filescan > filescan.txt\n" +
		"Volatility Foundation Volatility Framework 2.6\n" +
		"0x85d665c8   2760      0x17c   0x1f0003 Event            \n" +
		"vol -f m.raw windows.handles --pid 880\n" +
		"880\tagent.exe\t0xa50e6e1b2ce0\t0x4\tEvent\t0x1f0003\tN/A\n",
	lines: facts.LineCounts{Total: 11, Parsed: 8, Ignored: 2, Unrecognized: 1},
	procs: map[uint64]proc{
		2760: {Handles: -1, Parsed: 2, Unnamed: 1, ByType: map[string]int64{"File": 1, "Event": 1}},
		880:  {Image: "agent.exe", Handles: -1, Parsed: 1, Unnamed: 1, ByType: map[string]int64{"Event": 1}},
	},
	codes: []string{facts.CodeRepaired},
	lacks: []string{facts.LacksStacks},
}, {
	// Before, the rows were taken for pstree's and unread, and the table
	// was said to have none (empty-table).
	name: "Volatility 1 pslist: the heading of Volatility 2's pstree, rows that start with the image, C library times",
	in: "$ volatility pslist -f memory.img\n" +
		"Name                 Pid    PPid   Thds   Hnds   Time\n" +
		"System               4      0      55     260    Thu Jan 01 00:00:00 1970\n" +
		"contoso agent.e      1996   672    3      1026   Thu Jan 28 16:11:58 2010\n" +
		"fabrikam.exe 1624 628 3 20201 Tue Feb 02 02:45:05 2010\n",
	lines: facts.LineCounts{Total: 5, Parsed: 5},
	procs: map[uint64]proc{
		4:    {Image: "System", Handles: 260, Threads: 55},
		1996: {PPID: 672, Image: "contoso agent.e", Handles: 1026, Threads: 3, Created: "2010-01-28T16:11:58Z"},
		1624: {PPID: 628, Image: "fabrikam.exe", Handles: 20201, Threads: 3, Created: "2010-02-02T02:45:05Z"},
	},
	lacks: listLacks,
}, {
	// Before, the joined line was no line the reader knew and the
	// capture was refused.
	name: "a console's lines joined into one, each padded to the console's width",
	in: "vol.py -f m.raw --profile Win7SP1x64 pslist\n" + joinedConsole(150,
		"Volatility Foundation Volatility Framework 2.6.1",
		"Offset(V)          Name                    PID   PPID   Thds     Hnds   Sess  Wow64 Start                          Exit",
		"------------------ -------------------- ------ ------ ------ -------- ------ ------ ------------------------------ ------------------------------",
		"0xfffffa8001890b00 System                    4      0     96      487 ------      0 ") + "\n" +
		"...................................\n" +
		"0xfffffa8001ca0190 contoso.exe            1516   1700      2       78      1      0\n",
	lines: facts.LineCounts{Total: 4, Parsed: 3, Ignored: 1},
	procs: map[uint64]proc{
		4:    {Image: "System", Handles: 487, Threads: 96, Address: "fffffa8001890b00"},
		1516: {PPID: 1700, Image: "contoso.exe", Handles: 78, Threads: 2, Address: "fffffa8001ca0190"},
	},
	codes: []string{facts.CodeRepaired},
	lacks: listLacks,
}}

// joinedConsole joins lines as a console of width columns shows them,
// each padded to that width, the line ends lost.
func joinedConsole(width int, lines ...string) string {
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l)
		if i < len(lines)-1 {
			b.WriteString(strings.Repeat(" ", width-len(l)))
		}
	}
	return b.String()
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		t.Run(c.name, func(t *testing.T) {
			snap, err := dumpreader.Read(bytes.NewReader([]byte(c.in)), "t.txt", dumpreader.Options{Format: dumpreader.FormatVolatility})
			if err != nil {
				t.Fatal(err)
			}
			src := snap.Sources[0]
			if diff := cmp.Diff(c.lines, src.Lines); diff != "" {
				t.Errorf("lines: diff (-want +got):\n%s%v", diff, snap.Diagnostics)
			}
			if diff := cmp.Diff(c.lacks, src.Lacks); diff != "" {
				t.Errorf("lacks: diff (-want +got):\n%s", diff)
			}
			got := map[uint64]proc{}
			for _, p := range snap.Processes {
				g := proc{PPID: p.PPID, Image: p.Image, Handles: -1, Threads: p.Threads, Exited: p.Exited,
					Address: p.Address, Created: p.CreateTime, Parsed: p.HandlesParsed, Unnamed: p.Unnamed}
				if p.HandleCount != nil {
					g.Handles = *p.HandleCount
				}
				if len(p.ByType) > 0 {
					g.ByType = p.ByType
				}
				got[p.PID] = g
			}
			if diff := cmp.Diff(c.procs, got); diff != "" {
				t.Errorf("processes: diff (-want +got):\n%s", diff)
			}
			codes := map[string]bool{}
			for _, d := range snap.Diagnostics {
				codes[d.Code] = true
			}
			for _, code := range c.codes {
				if !codes[code] {
					t.Errorf("no %q diagnostic: %v", code, snap.Diagnostics)
				}
			}
		})
	}
}

// TestTreeCommandLine: Volatility 3's pstree prints each process's
// Audit, Cmd and Path after ExitTime; the command line and path are the
// process's (the engine names what a host process runs from them), a
// mark of none is none, and a heading whose Cmd and Path lost the tab
// between them still tells their cells. Before, those cells were passed
// over and a host process was blamed by its image alone.
func TestTreeCommandLine(t *testing.T) {
	for _, head := range []string{"Audit\tCmd\tPath", "Audit\tCmdPath"} {
		in := "python3 vol.py -f m.mem windows.pstree\nVolatility 3 Framework 2.7.0\n\n" +
			"PID\tPPID\tImageFileName\tOffset(V)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\t" + head + "\n" +
			"* 704\t600\tsvchost.exe\t0x9e8b8cd89080\t30\t9120\t0\tFalse\t2026-08-10 11:22:31.000000 \tN/A\t\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe\tC:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Contoso\tC:\\Windows\\system32\\svchost.exe\n" +
			"* 936\t600\tsvchost.exe\t0x9e8b8cd8a080\t0\t-\t1\tFalse\t2026-08-10 11:22:31.000000 \t2026-08-10 11:27:51.000000 \t\\Device\\HarddiskVolume3\\Users\\fabrikam\\svchost.exe\t-\t-\n"
		snap, err := dumpreader.Read(bytes.NewReader([]byte(in)), "t.txt", dumpreader.Options{Format: dumpreader.FormatVolatility})
		if err != nil {
			t.Fatal(err)
		}
		got := map[uint64][2]string{}
		for _, p := range snap.Processes {
			got[p.PID] = [2]string{p.Cmdline, p.Path}
		}
		want := map[uint64][2]string{
			704: {`C:\Windows\system32\svchost.exe -k netsvcs -p -s Contoso`, `C:\Windows\system32\svchost.exe`},
			936: {"", ""},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("heading %q: command lines and paths (-want +got):\n%s", head, diff)
		}
	}
}
