package getprocess_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

var n = proctest.N

// exportCsvHeader is the header Export-Csv writes for a process object
// (Windows PowerShell 5.1): Handles and HandleCount both, and Handle,
// which is the process handle's value, not a count.
const exportCsvHeader = `"Name","SI","Handles","VM","WS","PM","NPM","Path","Company","CPU","FileVersion","ProductVersion","Description","Product","__NounName","BasePriority","ExitCode","HasExited","ExitTime","Handle","SafeHandle","HandleCount","Id","MachineName","MainWindowHandle","MainWindowTitle","MainModule","MaxWorkingSet","MinWorkingSet","Modules","NonpagedSystemMemorySize","NonpagedSystemMemorySize64","PagedMemorySize","PagedMemorySize64","PagedSystemMemorySize","PagedSystemMemorySize64","PeakPagedMemorySize","PeakPagedMemorySize64","PeakWorkingSet","PeakWorkingSet64","PeakVirtualMemorySize","PeakVirtualMemorySize64","PriorityBoostEnabled","PriorityClass","PrivateMemorySize","PrivateMemorySize64","PrivilegedProcessorTime","ProcessName","ProcessorAffinity","Responding","SessionId","StartInfo","StartTime","SynchronizingObject","Threads","TotalProcessorTime","UserProcessorTime","VirtualMemorySize","VirtualMemorySize64","EnableRaisingEvents","StandardInput","StandardOutput","StandardError","WorkingSet","WorkingSet64","Site","Container"`

// exportCsvRow is a row under exportCsvHeader: spoolsv, pid 2412, 51234
// handles, Handle (the process handle) 3140.
const exportCsvRow = `"spoolsv","0","51234","2203318222848","31502336","12713984","23864","C:\WINDOWS\System32\spoolsv.exe","Microsoft Corporation","12.5","10.0.19041.1 (WinBuild.160101.0800)","10.0.19041.1","Spooler SubSystem App","Microsoft® Windows® Operating System","Process","8",,"False",,"3140","Microsoft.Win32.SafeHandles.SafeProcessHandle","51234","2412",".","0","","System.Diagnostics.ProcessModule (spoolsv.exe)","1413120","204800","System.Diagnostics.ProcessModuleCollection","23864","23864","12713984","12713984","231720","231720","13041664","13041664","31850496","31850496","-2091648000","2203318222848","True","Normal","12713984","12713984","00:00:07.5","spoolsv","255","True","0",,"12/6/2026 9:01:12 AM",,"System.Diagnostics.ProcessThreadCollection","00:00:12.5","00:00:05","-2091648000","2203318222848","False",,,,"31502336","31502336",,`

var parseCases = []proctest.Case{{
	Name: "default table, sorted by Handles",
	In: "PS C:\\> Get-Process | Sort-Object Handles -Descending | Select-Object -First 3\n\n" +
		"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n" +
		"  51234      88    12416      30764     112.50   2412   0 spoolsv\n" +
		"   4263       0      200       8412  20,434.38      4   0 System\n" +
		"   1489      58    23732      78908              3520   1 explorer\n\n",
	Lines: facts.LineCounts{Total: 8, Parsed: 6, Ignored: 2},
	Count: 3,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
		{PID: 4, Image: "System", Handles: n(4263), Session: n(0)},
		{PID: 3520, Image: "explorer.exe", Handles: n(1489), Session: n(1)},
	},
}, {
	// The command's property list has commas: it is no CSV header (of
	// columns named "Get-Process | Select-Object ..." and "@{...}"), and
	// the table under it has the count.
	Name: "Select-Object with a calculated property, then its table",
	In: "Get-Process | Select-Object -Property HandleCount,Name,BasePriority,Id,@{Name='Threads';Expression={$_.Threads.Count}},WorkingSet | ft\n\n" +
		"HandleCount Name        BasePriority   Id Threads WorkingSet\n" +
		"----------- ----        ------------   -- ------- ----------\n" +
		"      51234 spoolsv                8 2412      12   31502336\n" +
		"        812 svchost                8 1104       7   16496640\n",
	Lines: facts.LineCounts{Total: 6, Parsed: 5, Ignored: 1},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
		{PID: 1104, Image: "svchost.exe", Handles: n(812)},
	},
	Diags: []string{},
}, {
	// A table in a PowerShell comment block ("#" before every line),
	// quoted in a mail or an issue ("> #").
	Name: "quoted comment block",
	In: "> #  Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"> #  -------  ------    -----      -----     ------     --  -- -----------\n" +
		"> #    51234      88    12416      30764     112.50   2412   0 spoolsv\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 1,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
	},
}, {
	// A comment block whose '#' is glued to the header, the rule and
	// the comment above them, and before a blank on the rows.
	Name: "comment block, its '#' glued to the text",
	In: "#The output, sorted by working set.\n" +
		"#Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"#-------  ------    -----      -----     ------     --  -- -----------\n" +
		"#  51234      88    12416      30764     112.50   2412   0 spoolsv\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 3, Ignored: 1},
	Count: 1,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
	},
}, {
	// Notes that keep a command's output in a PowerShell block comment
	// under the command: "<#" (with a remark or not) opens it, "#>"
	// closes it.
	Name: "block comment under the command",
	In: "Get-Process spoolsv\n" +
		"<#EX: on the print server\n" +
		"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n" +
		"  51234      88    12416      30764     112.50   2412   0 spoolsv\n" +
		"#>\n",
	Lines: facts.LineCounts{Total: 6, Parsed: 4, Ignored: 2},
	Count: 1,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
	},
}, {
	// An editor keeps the table's alignment with a &nbsp; per space.
	Name: "comment block with spaces written as &nbsp;",
	In: "#&nbsp; Handles&nbsp; NPM(K)&nbsp;&nbsp;&nbsp; PM(K)&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; WS(K)&nbsp;&nbsp;&nbsp;&nbsp; CPU(s)&nbsp;&nbsp;&nbsp;&nbsp; Id&nbsp; SI ProcessName\n" +
		"#&nbsp; -------&nbsp; ------&nbsp;&nbsp;&nbsp; -----&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; -----&nbsp;&nbsp;&nbsp;&nbsp; ------&nbsp;&nbsp;&nbsp;&nbsp; --&nbsp; -- -----------\n" +
		"#&nbsp;&nbsp;&nbsp; 51234&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; 88&nbsp;&nbsp;&nbsp; 12416&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; 30764&nbsp;&nbsp;&nbsp;&nbsp; 112.50&nbsp;&nbsp; 2412&nbsp;&nbsp; 0 spoolsv\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 1,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
	},
}, {
	Name: "Format-List",
	In: "PS C:\\> Get-Process -Id 2412,4 | Format-List\n\n" +
		"Id      : 2412\nHandles : 51234\nCPU     : 112.5\nSI      : 0\nName    : spoolsv\n\n" +
		"Id      : 4\nHandles : 4263\nCPU     : \nSI      : 0\nName    : System\n\n",
	Lines: facts.LineCounts{Total: 14, Parsed: 11, Ignored: 3},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
		{PID: 4, Image: "System", Handles: n(4263), Session: n(0)},
	},
}, {
	// A line of prose under a table reads as a row that names no pid;
	// what it put in a column must not stay for the record block after
	// it, which would take the prose for its name and count.
	Name: "prose read as a row without a pid, then a Format-List record",
	In: "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id ProcessName\n" +
		"-------  ------    -----      -----     ------     -- -----------\n" +
		"    120      11     2400       8800       0.50   7310 notepad\n" +
		"Now the same process through Format-List, which prints every property (all of it):\n\n" +
		"Name    : mspaint\nId      : 7312\nHandles : 95\n",
	Lines: facts.LineCounts{Total: 8, Parsed: 6, Ignored: 1, Unrecognized: 1},
	Diags: []string{"4:unrecognized-line"},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 7310, Image: "notepad.exe", Handles: n(120)},
		{PID: 7312, Image: "mspaint.exe", Handles: n(95)},
	},
}, {
	// A web page collapsed the table's runs of blanks: the rows are read
	// by order; a row with a blank cell (Idle has no CPU time) is not,
	// since which cell is blank cannot be told.
	Name: "default table with its blanks collapsed",
	In: "Handles NPM(K) PM(K) WS(K) VM(M) CPU(s) Id ProcessName\n" +
		"------- ------ ----- ----- ----- ------ -- -----------\n" +
		"41 6 1120 3400 31 0.42 5012 conhost\n" +
		"812 19 5100 9800 88 12.05 644 lsass\n" +
		"0 0 0 88 0 0.00 1884 Memory Compression\n" +
		"0 0 60 8 0 0 Idle\n" +
		"0 0 0 90 0 1890 Memory Compression\n",
	Lines: facts.LineCounts{Total: 7, Parsed: 5, Unrecognized: 2},
	Count: 3,
	Procs: []proctest.Proc{
		{PID: 5012, Image: "conhost.exe", Handles: n(41)},
		{PID: 644, Image: "lsass.exe", Handles: n(812)},
		{PID: 1884, Image: "Memory Compression", Handles: n(0)},
	},
}, {
	// A narrow table's headings are one blank apart too; its rows stand
	// under them and are read by where they stand.
	Name: "narrow table, values under their headings",
	In: "   Id Handles ProcessName\n" +
		"   -- ------- -----------\n" +
		" 4212     873 explorer\n" +
		"12001      95 Memory Compression\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 4},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 4212, Image: "explorer.exe", Handles: n(873)},
		{PID: 12001, Image: "Memory Compression", Handles: n(95)},
	},
}, {
	Name: "Format-List blocks without blank lines between, a value wrapped",
	In: "Id          : 2412\nHandleCount : 51234\nName        : spoolsv\n" +
		"Path        : C:\\WINDOWS\\System32\\very\\long\\path\\that\\wraps\n" +
		"              \\spoolsv.exe\n" +
		"Id          : 8\nHandleCount : 12\nName        : notepad\n",
	Lines: facts.LineCounts{Total: 8, Parsed: 8},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
		{PID: 8, Image: "notepad.exe", Handles: n(12)},
	},
}, {
	Name: "Select-Object table, columns in another order",
	In: "ProcessName   HandleCount    Id StartTime\n" +
		"-----------   -----------    -- ---------\n" +
		"spoolsv             51234  2412 12/6/2026 9:01:12 AM\n" +
		"svchost               812  1100 12/6/2026 9:00:58 AM\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 4},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
		{PID: 1100, Image: "svchost.exe", Handles: n(812)},
	},
}, {
	Name:  "Export-Csv with #TYPE, every property",
	In:    "#TYPE System.Diagnostics.Process\n" + exportCsvHeader + "\n" + exportCsvRow + "\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 1,
	Procs: []proctest.Proc{{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)}},
}, {
	Name: "ConvertTo-Csv -NoTypeInformation of selected columns",
	In: "\"Id\",\"ProcessName\",\"Handles\",\"StartTime\"\n" +
		"\"2412\",\"spoolsv\",\"51234\",\"06.12.2026 09:01:12\"\n" +
		"\"1100\",\"svchost\",\"812\",\"06.12.2026 09:00:58\"\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 2,
	Procs: []proctest.Proc{{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)}},
}, {
	Name:  "PowerShell 7 ConvertTo-Csv -UseQuotes Never",
	In:    "Id,ProcessName,HandleCount\n2412,spoolsv,51234\n1100,svchost,812\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 2,
	Procs: []proctest.Proc{{PID: 1100, Image: "svchost.exe", Handles: n(812)}},
}, {
	Name: "Get-CimInstance Win32_Process table, a name with spaces in the middle",
	In: "PS C:\\> Get-CimInstance Win32_Process | Select-Object ProcessId,Name,HandleCount,CreationDate\n\n" +
		"ProcessId Name                HandleCount CreationDate\n" +
		"--------- ----                ----------- ------------\n" +
		"        0 System Idle Process           0\n" +
		"        4 System                     4263 12/6/2026 8:59:01 AM\n" +
		"     2412 spoolsv.exe               51234 12/6/2026 9:01:12 AM\n",
	Lines: facts.LineCounts{Total: 7, Parsed: 6, Ignored: 1},
	Count: 3,
	Procs: []proctest.Proc{
		{PID: 0, Image: "System Idle Process", Handles: n(0)},
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
	},
}, {
	Name: "Get-WmiObject Win32_Process list",
	In: "__GENUS                    : 2\n__CLASS                    : Win32_Process\n" +
		"Caption                    : spoolsv.exe\nCreationDate               : 20261206090112.123456+060\n" +
		"HandleCount                : 51234\nName                       : spoolsv.exe\n" +
		"ProcessId                  : 2412\nSessionId                  : 0\nThreadCount                : 12\n",
	Lines: facts.LineCounts{Total: 9, Parsed: 9},
	Count: 1,
	Procs: []proctest.Proc{{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)}},
}, {
	Name: "two commands show one process; another pid reused with another image",
	In: "PS C:\\> gps spoolsv\n\nHandles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n" +
		"  50100      88    12416      30764     112.50   2412   0 spoolsv\n" +
		"    200       9     1416       3064       0.50    880   1 notepad\n\n" +
		"PS C:\\> gps -Id 2412,880\n\nHandles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n" +
		"  51234      88    12416      30764     113.50   2412   0 spoolsv\n" +
		"     90       7     1016       2064       0.10    880   1 calc\n",
	Lines: facts.LineCounts{Total: 13, Parsed: 10, Ignored: 3},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
		{PID: 880, Image: "notepad.exe", Handles: n(200), Session: n(1)},
	},
	Codes: []string{facts.CodeDuplicate, scan.CodePIDImage},
}, {
	Name: "a paste through a web page: entities, no-break spaces, blockquote",
	In: "> PS C:\\&gt; Get-Process\n>\n" +
		"> Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"> -------  ------    -----      -----     ------     --  -- -----------\n" +
		">   51234      88    12416      30764     112,50   2412   0 spoolsv\n" +
		">     200       9     1416       3064 \u00a0\u00a0\u00a0\u00a0\u00a0\u00a00,50    880   1 notepad\n",
	Lines: facts.LineCounts{Total: 6, Parsed: 5, Ignored: 1},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234), Session: n(0)},
		{PID: 880, Image: "notepad.exe", Handles: n(200), Session: n(1)},
	},
	Codes: []string{facts.CodeRepaired},
}, {
	Name: "a row whose Handles cell was cut",
	In: "Handles  NPM(K)    PM(K)      WS(K) VM(M)   CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      ----- -----   ------     --  -- -----------\n" +
		"  ...34      29    62904      48292 ...79     1.67  14732   0 wsmprovhost\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 1,
	Procs: []proctest.Proc{{PID: 14732, Image: "wsmprovhost.exe", Session: n(0)}},
	Codes: []string{facts.CodeMissing},
}, {
	Name: "an error record and prose are not rows",
	In: "PS C:\\> Get-Process nosuch\nGet-Process : Cannot find a process with the name \"nosuch\". Verify the process name and call the cmdlet again.\n" +
		"+ CategoryInfo          : ObjectNotFound: (nosuch:String) [Get-Process], ProcessCommandException\n" +
		"+ FullyQualifiedErrorId : NoProcessFoundForGivenName,Microsoft.PowerShell.Commands.GetProcessCommand\n" +
		"The spooler had 51234 handles at 2412 this morning.\n",
	Lines: facts.LineCounts{Total: 5, Parsed: 1, Ignored: 3, Unrecognized: 1},
}, {
	Name: "Export-Csv -UseCulture with ';', Measure-Object's total, a cut name",
	In: "\"Id\";\"ProcessName\";\"Handles\"\n\"2412\";\"spoolsv\";\"51234\"\n\"6200\";\"ApplicationFrameHo...\";\"410\"\n\n" +
		"PS C:\\> Get-Process | Measure-Object Handles -Sum\n\nCount    : 2\nAverage  :\nSum      : 51644\nMaximum  :\nMinimum  :\nProperty : Handles\n",
	Lines: facts.LineCounts{Total: 12, Parsed: 4, Ignored: 8},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
		{PID: 6200, Image: "ApplicationFrameHo...", Handles: n(410)},
	},
}, {
	Name:  "another command's list after a prompt is ignored",
	In:    "PS C:\\> Get-Service Spooler | Format-List\n\nName        : Spooler\nDisplayName : Print Spooler\nStatus      : Running\n\nPS C:\\> gps -Id 2412 | fl\n\nId      : 2412\nHandles : 51234\nName    : spoolsv\n",
	Lines: facts.LineCounts{Total: 11, Parsed: 4, Ignored: 7},
	Count: 1,
	Procs: []proctest.Proc{{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)}},
}, {
	Name: "PowerShell 7's coloured header, its ESC lost on one line",
	In: "\x1b[32;1m NPM(K)    PM(M)      WS(M)     CPU(s)      Id  SI ProcessName\x1b[0m\n" +
		"[32;1m ------    -----      -----     ------      --  -- -----------[0m\n" +
		"     19     6.31       8.16      55.81    9600   1 AdobeCollabSync\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 1,
	Procs: []proctest.Proc{{PID: 9600, Image: "AdobeCollabSync.exe", Session: n(1)}},
	Codes: []string{facts.CodeMissing},
}, {
	// Each image shown once: each row is its image's process, without a
	// pid (TestPidlessByImage checks them).
	Name: "a table without pids, each image once",
	In: "PS C:\\> Get-Process | Sort-Object Handles -Descending | Select-Object -First 2 ProcessName,Handles\n\n" +
		"ProcessName Handles\n----------- -------\nspoolsv       51234\nSystem         4263\n",
	Lines: facts.LineCounts{Total: 6, Parsed: 5, Ignored: 1},
	Count: 2,
	Codes: []string{facts.CodeMissing},
}, {
	Name: "a table through a spreadsheet (tabs), and one whose blanks an editor turned into tabs",
	In: "Id\tProcessName\tHandles\n2412\tspoolsv\t51234\n\n" +
		"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n" +
		"    812\t     31\t   16496      28400\t 92.75\t 1144\t0 svchost\n",
	Lines: facts.LineCounts{Total: 6, Parsed: 5, Ignored: 1},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)},
		{PID: 1144, Image: "svchost.exe", Handles: n(812), Session: n(0)},
	},
}, {
	// A script pasted with its output: a cmdlet that is not the
	// tool's, typed without a prompt, prints a list of another object
	// (GetOwner's result), which is no process.
	Name: "another cmdlet without a prompt, and its list",
	In: "Get-CimInstance Win32_Process -Filter \"Name='spoolsv.exe'\"\n" +
		"Invoke-CimMethod -InputObject $p -MethodName GetOwner\n\n" +
		"ProcessId Name        HandleCount WorkingSetSize VirtualSize\n" +
		"--------- ----        ----------- -------------- -----------\n" +
		"2412      spoolsv.exe 51234       31502336       2203318222848\n\n" +
		"Domain         : NT AUTHORITY\n" +
		"ReturnValue    : 0\n" +
		"User           : SYSTEM\n" +
		"PSComputerName :\n",
	Lines: facts.LineCounts{Total: 11, Parsed: 4, Ignored: 7},
	Count: 1,
	Procs: []proctest.Proc{{PID: 2412, Image: "spoolsv.exe", Handles: n(51234)}},
	Diags: []string{},
}, {
	// Get-Process's columns as a markdown table in an issue: its rule
	// row under the header, a code span or bold around a cell.
	Name: "markdown table",
	In: "| ProcessName | Id | Handles | NPM(K) |\n" +
		"|:------------|---:|--------:|-------:|\n" +
		"| `sihost` | 4120 | **261,440** | 96 |\n" +
		"| svchost | 1104 | 812 | 31 |\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 4},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 4120, Image: "sihost.exe", Handles: n(261440)},
		{PID: 1104, Image: "svchost.exe", Handles: n(812)},
	},
	Diags: []string{"3:repaired"}, // the bold markers
}, {
	// Notes show a variable a Get-Process before kept ($Select =
	// Get-Process | Select-Object *), its list indented in a script's
	// here-string: the list is the process's, as a table after the
	// same prompt is (it was passed over as another command's output).
	// A variable's list of something else (Get-Service's: no pid, no
	// handle count) is passed over without a word, as before.
	Name: "list after a prompt showing a variable",
	In: "        PS C:\\>$Select\n" +
		"\n" +
		"            Name                       : contoso\n" +
		"            Id                         : 4100\n" +
		"            HandleCount                : 291\n" +
		"            Path                       : C:\\Program Files (x86)\\Contoso\\Agent\\contoso.exe\n" +
		"\n" +
		"        PS C:\\> $procs | Format-List Name, Id, Handles\n" +
		"\n" +
		"            Name    : fabrikam\n" +
		"            Id      : 4200\n" +
		"            Handles : 512\n" +
		"\n" +
		"        PS C:\\> $svc | fl\n" +
		"\n" +
		"            Name        : Spooler\n" +
		"            DisplayName : Print Spooler\n" +
		"            Status      : Running\n",
	Lines: facts.LineCounts{Total: 18, Parsed: 10, Ignored: 8},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 4100, Image: "contoso.exe", Handles: n(291)},
		{PID: 4200, Image: "fabrikam.exe", Handles: n(512)},
	},
	Diags: []string{},
}}

// cutCsvCase is Export-Csv's output as notes paste it: the header's
// line cut inside a name, then a row with all its cells.
var cutCsvCase = proctest.Case{
	// Before, the header was no header (its last quote never closed)
	// and its rows were passed over without a word.
	Name: "Export-Csv header cut inside a name",
	In: "PS C:\\> Get-Process | Select-Object * | Export-Csv p.csv; cat p.csv\n" +
		"\"Name\",\"Id\",\"HandleCount\",\"Path\",\"CommandLine\",\"Compa\n" +
		"\"contoso\",\"4100\",\"144\",,,,\"False\",\"4\"\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 3},
	Count: 1,
	Procs: []proctest.Proc{{PID: 4100, Image: "contoso.exe", Handles: n(144)}},
	Diags: []string{},
}

func TestParse(t *testing.T) {
	parseCases := append(parseCases, cutCsvCase)
	proctest.Parse(t, dumpreader.FormatGetProcess, parseCases)
}
