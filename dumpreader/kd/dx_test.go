package kd

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/corpus"
)

func TestParseDX(t *testing.T) {
	tests := []struct {
		args string
		want dxQuery
	}{
		{"-r1 @$curprocess.Io.Handles", dxQuery{kind: dxHandles, who: dxCurrent}},
		{"-r2 @$curprocess.Io.Handles.First()", dxQuery{kind: dxHandles, who: dxCurrent, partial: true}},
		{"@$curprocess.Io.Handles.Count()", dxQuery{kind: dxHandleCount, who: dxCurrent}},
		{"-r2 @$cursession.Processes[12696].Io.Handles", dxQuery{kind: dxHandles, who: dxPID, pid: 12696}},
		{"@$cursession.Processes[0x1a].Io.Handles.Count()", dxQuery{kind: dxHandleCount, who: dxPID, pid: 0x1a}},
		{`-g Debugger.Sessions[0].Processes.Where(p => p.Name == "explorer.exe").First().Io.Handles.Select(h => new { Type = h.Type, Name = h.Object.ObjectName }).Where(o => o.Name != "").Take(4)`,
			dxQuery{kind: dxHandles, who: dxImage, image: "explorer.exe", grid: true, partial: true}},
		{"-g @$cursession.Processes.Select(p => new {Name = p.Name, Handles = p.Io.Handles.Count()})", dxQuery{kind: dxProcesses, grid: true}},
		{"-r2 @$cursession.Processes.OrderByDescending(p => p.Io.Handles.Count()).Take(10)", dxQuery{kind: dxProcesses}},
		{"-r1 @$cursession.Processes[4]", dxQuery{kind: dxProcess, who: dxPID, pid: 4}},
		{"@$curprocess", dxQuery{kind: dxProcess, who: dxCurrent}},
		{"@$cursession.Processes[4].Threads", dxQuery{}},
		{"@$cursession.Processes.Count()", dxQuery{}},
		{"@$curprocess.Modules", dxQuery{}},
		{"@$h = @$curprocess.Io.Handles", dxQuery{}},
		{"-gc 40 @$cursession.Processes", dxQuery{kind: dxProcesses, grid: true}},
		{"Debugger.Sessions[0].Processes.Where(p => p.Id > 4).First().Io.Handles", dxQuery{}},
		{"", dxQuery{}},
	}
	for _, tc := range tests {
		if got := parseDX(tc.args); got != tc.want {
			t.Errorf("parseDX(%q) = %+v, want %+v", tc.args, got, tc.want)
		}
	}
}

// dxProc is what a test expects of one process.
type dxProc struct {
	PID    uint64
	Image  string
	Count  int64 // -1: unknown
	Parsed int64
	Types  string // "Type=n ..." sorted
	Names  string // "Type:Name ..." of the top names
}

func dxProcs(snap *facts.Snapshot) []dxProc {
	var out []dxProc
	for _, p := range snap.Processes {
		d := dxProc{PID: p.PID, Image: p.Image, Count: -1, Parsed: p.HandlesParsed}
		if p.HandleCount != nil {
			d.Count = *p.HandleCount
		}
		var types, names []string
		for typ, n := range p.ByType {
			types = append(types, fmt.Sprintf("%s=%d", typ, n))
		}
		sort.Strings(types)
		for _, n := range p.TopNames {
			names = append(names, n.Type+":"+n.Name)
		}
		d.Types, d.Names = strings.Join(types, " "), strings.Join(names, " ")
		out = append(out, d)
	}
	return out
}

func dxDiags(snap *facts.Snapshot) []string {
	var out []string
	for _, d := range snap.Diagnostics {
		out = append(out, fmt.Sprintf("%d:%s", d.Line, d.Code))
	}
	sort.Strings(out)
	return out
}

func TestReadDX(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		lines facts.LineCounts
		want  []dxProc
		diags []string
	}{{
		name: "handles of the process .process switched to, expanded with -r2",
		text: "0: kd> .process /r /p ffffa08d1b2c3080\n" +
			"Implicit process is now ffffa08d`1b2c3080\n" +
			"0: kd> dx -r2 @$curprocess.Io.Handles\n" +
			"@$curprocess.Io.Handles                \n" +
			"    [0x4]           \n" +
			"        Handle           : 0x4\n" +
			"        Type             : Event\n" +
			"        GrantedAccess    : Delete | ReadControl | WriteDac | WriteOwner | Synch | QueryState | ModifyState\n" +
			"        Object           [Type: _OBJECT_HEADER]\n" +
			"    [0x8]           \n" +
			"        Handle           : 0x8\n" +
			"        Type             : Key\n" +
			"        GrantedAccess    : QueryValue | EnumSubKeys | Notify | ReadControl\n" +
			"        Object           [Type: _OBJECT_HEADER]\n" +
			"            ObjectName       : \\REGISTRY\\MACHINE\\SOFTWARE\\Contoso\n" +
			"            [+0x008] HandleCount      : 6 [Type: __int64]\n",
		lines: facts.LineCounts{Total: 16, Parsed: 15, Ignored: 1},
		want: []dxProc{{Count: -1, Parsed: 2, Types: "Event=1 Key=1",
			Names: `Key:\REGISTRY\MACHINE\SOFTWARE\Contoso`}},
	}, {
		name: "a count and a grid of a process's handles by pid",
		text: "lkd> dx @$cursession.Processes[0n4242].Io.Handles.Count()\n" +
			"@$cursession.Processes[0n4242].Io.Handles.Count() : 0x1b4\n" +
			"lkd> dx -g @$cursession.Processes[4242].Io.Handles.Select(h => new { Type = h.Type, Name = h.Object.ObjectName })\n" +
			"==========================================================\n" +
			"=           = Type         = Name                        =\n" +
			"==========================================================\n" +
			"= [0x4]     - Event        -                             =\n" +
			"= [0x8]     - File         - \\Device\\HarddiskVolume3\\a - b.log =\n" +
			"= [0xc]     - Key          - \\REGISTRY\\MACHINE\\SYSTEM  =\n" +
			"==========================================================\n",
		lines: facts.LineCounts{Total: 10, Parsed: 7, Ignored: 3},
		want: []dxProc{{PID: 4242, Count: 0x1b4, Parsed: 3, Types: "Event=1 File=1 Key=1",
			Names: `File:\Device\HarddiskVolume3\a - b.log Key:\REGISTRY\MACHINE\SYSTEM`}},
	}, {
		name: "a projection of every process's name and handle count, as a list and as a grid",
		text: "0: kd> dx -r2 @$cursession.Processes.Select(p => new { Name = p.Name, Handles = p.Io.Handles.Count() })\n" +
			"@$cursession.Processes.Select(p => new { Name = p.Name, Handles = p.Io.Handles.Count() })                \n" +
			"    [0x4]           \n" +
			"        Name             : System\n" +
			"        Handles          : 0xb2c\n" +
			"    [0x2a8]         \n" +
			"        Name             : smss.exe\n" +
			"        Handles          : 0x35\n" +
			"0: kd> dx -g @$cursession.Processes.Select(p => new { Name = p.Name, Id = p.Id, HandleCount = p.Io.Handles.Count() })\n" +
			"=================================================================\n" +
			"=          = Name              = Id        = HandleCount        =\n" +
			"=================================================================\n" +
			"= [0x1f4]  - ContosoAgent.exe  - 0x1f4     - 0x4f9c             =\n" +
			"=================================================================\n",
		lines: facts.LineCounts{Total: 14, Parsed: 11, Ignored: 3},
		want: []dxProc{
			{PID: 4, Image: "System", Count: 0xb2c},
			{PID: 0x1f4, Image: "ContosoAgent.exe", Count: 0x4f9c},
			{PID: 0x2a8, Image: "smss.exe", Count: 0x35},
		},
	}, {
		name: "one process, and the process list with DML links",
		text: "0: kd> dx -r1 @$cursession.Processes[4]\n" +
			"@$cursession.Processes[4]                 : System [Switch To]\n" +
			"    KernelObject     [Type: _EPROCESS]\n" +
			"    Name             : System\n" +
			"    Id               : 0x4\n" +
			"    Threads         \n" +
			"    Io              \n" +
			"0: kd> dx @$cursession.Processes\n" +
			"@$cursession.Processes                \n" +
			"    [0x0]            : Idle [Switch To]\n" +
			"    [0x4]            : System [Switch To]\n" +
			"    [0x1a0]          : Registry [Switch To]\n",
		lines: facts.LineCounts{Total: 12, Parsed: 12},
		want: []dxProc{
			{PID: 0, Image: "Idle", Count: -1},
			{PID: 4, Image: "System", Count: -1},
			{PID: 0x1a0, Image: "Registry", Count: -1},
		},
	}, {
		name: "user mode: @$curprocess is the debugged process",
		text: "0:000> dx @$curprocess.Io.Handles.Count()\n" +
			"@$curprocess.Io.Handles.Count() : 0x2f\n",
		lines: facts.LineCounts{Total: 2, Parsed: 2},
		want:  []dxProc{{Count: 0x2f}},
	}, {
		name: "a session: dx after !process adds to the processes its blocks showed",
		text: "0: kd> !process 0 0\n" +
			"PROCESS ffffc509c5488040\n" +
			"    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000\n" +
			"    DirBase: 001ae002  ObjectTable: ffffda878c2aae80  HandleCount: 2860.\n" +
			"    Image: System\n" +
			"\n" +
			"0: kd> dx -g @$cursession.Processes[4].Io.Handles.Select(h => new { Type = h.Type })\n" +
			"=======================\n" +
			"=          = Type     =\n" +
			"=======================\n" +
			"= [0x4]    - Process  =\n" +
			"=======================\n" +
			"0: kd> dx -r2 @$cursession.Processes.Select(p => new { Handles = p.Io.Handles.Count() })\n" +
			"@$cursession.Processes.Select(p => new { Handles = p.Io.Handles.Count() })\n" +
			"    [0x4]\n" +
			"        Handles          : 0xb2c\n" +
			"    [0x2a8]\n" +
			"        Handles          : 0x35\n",
		lines: facts.LineCounts{Total: 18, Parsed: 14, Ignored: 4},
		want: []dxProc{
			{PID: 4, Image: "System", Count: 2860, Parsed: 1, Types: "Process=1"},
			{PID: 0x2a8, Count: 0x35},
		},
	}, {
		name: "dx output pasted without its command",
		text: "@$cursession.Processes.Select(p => new { Name = p.Name, Handles = p.Io.Handles.Count() })                \n" +
			"    [0x4]           \n" +
			"        Name             : System\n" +
			"        Handles          : 0xb2c\n" +
			"@$curprocess.Modules\n",
		lines: facts.LineCounts{Total: 5, Parsed: 4, Unrecognized: 1},
		want:  []dxProc{{PID: 4, Image: "System", Count: 0xb2c}},
	}, {
		name: "dx output of things leakdiag does not read, and an error",
		text: "0: kd> dx -r1 @$curprocess.Threads\n" +
			"@$curprocess.Threads                \n" +
			"    [0x1a4]          [Switch To]\n" +
			"0: kd> dx @$curprocess.Io.Handles[0x999]\n" +
			"Error: Unable to find handle 0x999\n",
		lines: facts.LineCounts{Total: 5, Parsed: 2, Ignored: 2, Unrecognized: 1},
		want:  nil,
		diags: []string{"5:unrecognized-line"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.text)
			if diff := cmp.Diff(tc.lines, snap.Sources[0].Lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, dxProcs(snap)); diff != "" {
				t.Errorf("processes (-want +got):\n%s", diff)
			}
			if tc.diags != nil {
				if diff := cmp.Diff(tc.diags, dxDiags(snap)); diff != "" {
					t.Errorf("diagnostics (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestReadDXDamaged: grids a paste has misaligned or cut, and hostile
// headers, are read for what is certain and bounded.
func TestReadDXDamaged(t *testing.T) {
	var wide strings.Builder
	wide.WriteString("=")
	for i := 0; i < 500; i++ {
		wide.WriteString(" c =")
	}
	text := "dx -g @$cursession.Processes[8].Io.Handles.Select(h => new { Type = h.Type, Name = h.Object.ObjectName })\n" +
		"======\n" +
		"=   = Type = Name =\n" +
		"= [0x4] - Event - BaseNamedObjects\\x =\n" + // misaligned: split at " - "
		"= [0x8] - File =\n" + // a cell short
		"= [zz] - Key - y =\n" + // a key that is no number
		"dx -g @$cursession.Processes.Select(p => new { Name = p.Name })\n" +
		wide.String() + "\n" +
		"= [0x4] - System =\n"
	snap := readString(t, text)
	want := facts.LineCounts{Total: 9, Parsed: 6, Ignored: 1, Unrecognized: 2}
	if diff := cmp.Diff(want, snap.Sources[0].Lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if len(snap.Processes) != 1 || snap.Processes[0].PID != 8 || snap.Processes[0].HandlesParsed != 1 || snap.Processes[0].ByType["Event"] != 1 {
		t.Errorf("processes: %+v", dxProcs(snap))
	}
}

// TestSniffDX: a capture of dx output alone is kd text; prose that
// names dx is not.
func TestSniffDX(t *testing.T) {
	for text, want := range map[string]bool{
		"dx -g @$cursession.Processes.Select(p => new { Name = p.Name })\n": true,
		"0: kd> dx @$curprocess.Io.Handles\n":                               true,
		"Run dx to see the handles of the process.\n":                       false,
		"The dx command: dx @$curprocess.Io.Handles\n":                      false,
	} {
		if got := Sniff([]byte(text), false); got != want {
			t.Errorf("Sniff(%q) = %v, want %v", text, got, want)
		}
	}
}

// dxCorpusCases are what the dx files of the shared corpus must yield,
// read by hand (cat -A).
var dxCorpusCases = []struct {
	file  string
	lines facts.LineCounts
	want  []dxProc
	diags []string
}{
	{
		// A fence (1), the command without a prompt (2), a grid of 4
		// borders (3, 5, 10), a header (4), 4 rows (6-9), a fence (11).
		file:  "dx-g-grid-explorer-handles-type-name-take4-ntoseye.txt",
		lines: facts.LineCounts{Total: 11, Parsed: 6, Ignored: 5},
		want: []dxProc{{Image: "explorer.exe", Count: -1, Parsed: 4, Types: "Directory=2 Mutant=1 Semaphore=1",
			Names: "Directory:BaseNamedObjects Directory:KnownDlls Mutant:SM0:5164:304:WilStaging_02 Semaphore:SM0:5164:304:WilStaging_02_p0"}},
		diags: []string{"2:partial-listing"},
	},
	{
		// Two fenced blocks (fences 1, 10, 14, 46) around one prose line
		// (12) between blanks (11, 13). The first: prompt (2), echo (3),
		// 5 keys (4-8), "..." (9). The second: prompt (15), echo (16), 4
		// fields (17-20), 23 structure fields "[+0x...]" (21-43), 2 fields
		// (44-45). Handle 0x8 is shown twice; no type is readable.
		file:  "dx-io-handles-r1-list-and-r2-first-objheader-unexpected-failure-msdocs.txt",
		lines: facts.LineCounts{Total: 46, Parsed: 15, Ignored: 30, Unrecognized: 1},
		want:  []dxProc{{Count: -1, Parsed: 5}},
		diags: []string{"12:unrecognized-line", "15:partial-listing", "2:handle-without-process", "9:elision"},
	},
}

func TestDXCorpus(t *testing.T) {
	dir := corpus.Path(t, "wintools")
	files, err := filepath.Glob(filepath.Join(dir, "dx-*"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{}
	for _, tc := range dxCorpusCases {
		cases[tc.file] = true
	}
	for _, f := range files {
		if !cases[filepath.Base(f)] {
			t.Errorf("%s: no case in dxCorpusCases; read it by hand and add one", f)
		}
	}
	for _, tc := range dxCorpusCases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !Sniff(data, false) {
				t.Errorf("not detected as kd text")
			}
			snap := readString(t, string(data))
			if diff := cmp.Diff(tc.lines, snap.Sources[0].Lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, dxProcs(snap)); diff != "" {
				t.Errorf("processes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.diags, dxDiags(snap)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDXCastEcho: dx of a structure at an address echoes the cast
// expression first; that line is the command's own, not unrecognized.
func TestDXCastEcho(t *testing.T) {
	snap := readString(t, "lkd> dx -r1 ((ntkrnlmp!_SECTION_OBJECT_POINTERS *)0xffffac0f066a6358)\n"+
		"((ntkrnlmp!_SECTION_OBJECT_POINTERS *)0xffffac0f066a6358)                 : 0xffffac0f066a6358 [Type: _SECTION_OBJECT_POINTERS *]\n"+
		"    [+0x000] DataSectionObject : 0xffffac0f0727b1d0 [Type: void *]\n")
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
	}
}
