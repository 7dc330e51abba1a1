package handleexe

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

func TestParseHandleExeEntry(t *testing.T) {
	type entry struct {
		Value uint64
		Type  string
		Flags bool
		Name  string
	}
	tests := []struct {
		line string
		want entry
		ok   bool
	}{
		{`4: File  (RW-)   C:\Windows`, entry{0x4, "File", true, `C:\Windows`}, true},
		{`14F8: File  (R-D)   C:\Windows\System32\en-US\x.mui`, entry{0x14f8, "File", true, `C:\Windows\System32\en-US\x.mui`}, true},
		{`2E8: Section       \Sessions\1\BaseNamedObjects\CrSharedMem_5a`, entry{0x2e8, "Section", false, `\Sessions\1\BaseNamedObjects\CrSharedMem_5a`}, true},
		{`130: File          C:\Windows\System32\en-US\Conhost.exe.mui`, entry{0x130, "File", false, `C:\Windows\System32\en-US\Conhost.exe.mui`}, true},
		{`48: Event`, entry{0x48, "Event", false, ""}, true},
		{`4C: WaitCompletionPacket`, entry{0x4c, "WaitCompletionPacket", false, ""}, true},
		{`74: ALPC Port`, entry{0x74, "ALPC Port", false, ""}, true},
		{`88: ALPC Port     \RPC Control\OLE5A`, entry{0x88, "ALPC Port", false, `\RPC Control\OLE5A`}, true},
		{`A4: <Unknown type>`, entry{0xa4, "<Unknown type>", false, ""}, true},
		{`60: Thread        notepad.exe(6312): 6316`, entry{0x60, "Thread", false, "notepad.exe(6312): 6316"}, true},
		{`68: Token         NT AUTHORITY\SYSTEM:3e7`, entry{0x68, "Token", false, `NT AUTHORITY\SYSTEM:3e7`}, true},
		{`68: Token NT AUTHORITY\SYSTEM:3e7`, entry{0x68, "Token", false, `NT AUTHORITY\SYSTEM:3e7`}, true},
		{`C: File (RW-) C:\Program Files\Acme`, entry{0xc, "File", true, `C:\Program Files\Acme`}, true},
		// An unknown two-word type, padded as Handle pads the column.
		{`90: Cross Session    \Sessions\2\x`, entry{0x90, "Cross Session", false, `\Sessions\2\x`}, true},
		{`90: Cross Session`, entry{0x90, "Cross Session", false, ""}, true},
		{`90: Event Xyz`, entry{0x90, "Event", false, "Xyz"}, true},
		{`0004: Object: e1009568  GrantedAccess: 000f0003`, entry{}, false},
		{`0: kd> !handle`, entry{}, false},
		{`C:\bin>handle64 lockfile`, entry{}, false},
		{`4:File`, entry{}, false},
		{`12345678901234567: File C:\x`, entry{}, false},
		{`ACE: 12`, entry{}, false},
	}
	for _, tc := range tests {
		e, ok := parseHandleExeEntry([]byte(tc.line))
		got := entry{e.value, string(e.typ), e.flags, string(e.name)}
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseHandleExeEntry(%q) = %+v, %v, want %+v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

func TestHandleExePrompt(t *testing.T) {
	tests := []struct {
		line, cmd string
		ok        bool
	}{
		{`C:\bin>handle64 lockfile`, "handle64 lockfile", true},
		{`C:>handle -s`, "handle -s", true},
		{`PS C:\Users\evlon> wechat2`, "wechat2", true},
		{`02/04  9.54.28 C:\Windows\system32>"%SysWinInt%"\handle64 -u PDFforge`, `"%SysWinInt%"\handle64 -u PDFforge`, true},
		{`d:\work tree\x>`, "", true},
		{`chrome.exe pid: 17000 type: File 7D8: C:\a>b`, "", false},
		{`88: Mutant \Sessions\1\BaseNamedObjects\x>y`, "", false},
		{`0:000> !handle`, "", false},
		{`kd> !process 0 0`, "", false},
		{`Note: C:\x> is a prompt`, "", false},
	}
	for _, tc := range tests {
		cmd, ok := handleExePrompt([]byte(tc.line))
		if ok != tc.ok || string(cmd) != tc.cmd {
			t.Errorf("handleExePrompt(%q) = %q, %v, want %q, %v", tc.line, cmd, ok, tc.cmd, tc.ok)
		}
	}
}

func TestFindHandleExeValue(t *testing.T) {
	tests := []struct {
		text     string
		value    uint64
		suffixed bool
		tok      string
	}{
		{`File           7D8: C:\Users\you\lockfile`, 0x7d8, false, "7D8:"},
		{`File          CLNTNAME\Alias1           1dd3408X E:\Users`, 0x1dd34, true, "1dd3408X"},
		{`File          \<unable to open process>  9A8: C:\x`, 0x9a8, false, "9A8:"},
		{`ALPC Port     CONTOSO\alice             14008X \RPC Control\x`, 0x140, true, "14008X"},
		{`File CONTOSO\alice`, 0, false, ""},
		{`File 08X C:\x`, 0, false, ""},
	}
	for _, tc := range tests {
		at, end, v, suffixed := findHandleExeValue([]byte(tc.text))
		tok := ""
		if at >= 0 {
			tok = tc.text[at:end]
		}
		if tok != tc.tok || v != tc.value || suffixed != tc.suffixed {
			t.Errorf("findHandleExeValue(%q) = %q, %#x, %v, want %q, %#x, %v", tc.text, tok, v, suffixed, tc.tok, tc.value, tc.suffixed)
		}
	}
}

func TestParseHandleExeCSVRow(t *testing.T) {
	type row struct {
		Image, Type, Name, Layout string
		PID, Value                uint64
		Search                    bool
	}
	tests := []struct {
		name   string
		line   string
		delim  byte
		access bool
		want   row
		ok     bool
	}{
		{"search", `pwsh.exe,64336,File,0x00000054,D:\lockprobe `, ',', false,
			row{"pwsh.exe", "File", `D:\lockprobe`, "Process,PID,Type,Handle,Name", 64336, 0x54, true}, true},
		{"comma in name", `x.exe,7,File,0x1F,D:\a,b\c, d.txt `, ',', false,
			row{"x.exe", "File", `D:\a,b\c, d.txt`, "Process,PID,Type,Handle,Name", 7, 0x1f, true}, true},
		{"comma in image", `a,b.exe,7,File,0x20,D:\x`, ',', false,
			row{"a,b.exe", "File", `D:\x`, "Process,PID,Type,Handle,Name", 7, 0x20, true}, true},
		{"v5 -u search", `sihost.exe,6616,File,PcName\UserName,0x00000050,C:\Windows\System32 `, ',', true,
			row{"sihost.exe", "File", `C:\Windows\System32`, "Process,PID,Type,User,Handle,Name", 6616, 0x50, true}, true},
		{"every handle", `explorer.exe,14032,CONTOSO\user,0x0C,Key,,HKLM\SOFTWARE\Classes `, ',', false,
			row{"explorer.exe", "Key", `HKLM\SOFTWARE\Classes`, "Process,PID,User,Handle,Type,Share Flags,Name", 14032, 0xc, false}, true},
		{"every handle, access", `explorer.exe,14032,CONTOSO\user,0x40,File,RW-,C:\Windows ,0x00100020`, ',', true,
			row{"explorer.exe", "File", `C:\Windows`, "Process,PID,User,Handle,Type,Share Flags,Name,Access", 14032, 0x40, false}, true},
		{"every handle, unnamed, blanks trimmed", "svchost.exe\t1288\tNT AUTHORITY\\LOCAL SERVICE\t0x00000004\tEvent", '\t', false,
			row{"svchost.exe", "Event", "", "Process,PID,User,Handle,Type,Share Flags,Name", 1288, 0x4, false}, true},
		{"tab search", "pwsh.exe\t64336\tFile\t0x00000054\tD:\\a, b ", '\t', false,
			row{"pwsh.exe", "File", `D:\a, b`, "Process,PID,Type,Handle,Name", 64336, 0x54, true}, true},
		{"no value", `chrome.exe,14180,File,CONTOSO\alice,C:\x`, ',', false, row{}, false},
		{"too short", `chrome.exe,14180,File,0x00001008`, ',', false, row{}, false},
		{"other csv", `alice,30,Paris,16,x`, ',', false, row{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := splitHandleExeCSV([]byte(tc.line), tc.delim, nil)
			r, ok := parseHandleExeCSVRow(f, tc.access)
			got := row{string(r.image), string(r.typ), string(r.name), strings.Join(r.layout, ","), r.pid, r.value, r.search}
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("parseHandleExeCSVRow(%q) = %+v, %v, want %+v, %v", tc.line, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestIsHandleExeVersion(t *testing.T) {
	for line, want := range map[string]bool{
		"Handle v3.5":                    true,
		"Handle v3.42":                   true,
		"Nthandle v4.22 - Handle viewer": true,
		"Nthandle v5.0 - Handle viewer":  true,
		"NtHandle v1.11":                 true,
		"Handle v4.22 was released":      false,
		"Handle viewer":                  false,
		"Handle v":                       false,
		"Handle 4":                       false,
	} {
		if got := isHandleExeVersion([]byte(line)); got != want {
			t.Errorf("isHandleExeVersion(%q) = %v, want %v", line, got, want)
		}
	}
}

// TestReadHandleExeForms reads short captures of one form each and
// checks the facts that form gives.
func TestReadHandleExeForms(t *testing.T) {
	type proc struct {
		PID    uint64
		Image  string
		Count  int64 // -1: not stated
		Parsed int64
		Types  map[string]int64
	}
	tests := []struct {
		name   string
		text   string
		procs  []proc
		totals map[string]int64
		codes  []string
	}{
		{
			name:  "section",
			text:  "----------\nx.exe pid: 12 D\\u\n   4: File  (RW-)   C:\\a\n   8: Event\n",
			procs: []proc{{12, "x.exe", -1, 2, map[string]int64{"File": 1, "Event": 1}}},
		},
		{
			name:  "image with spaces",
			text:  "Acme Agent Service.exe pid: 2188 CONTOSO\\svc\n   4: File  (RW-)   C:\\a\n",
			procs: []proc{{2188, "Acme Agent Service.exe", -1, 1, map[string]int64{"File": 1}}},
			codes: []string{scan.CodePartial},
		},
		{
			name:  "same pid, two images",
			text:  "a.exe pid: 12 D\\u\n   4: Event\nb.exe pid: 12 D\\u\n   8: Event\n",
			procs: []proc{{12, "a.exe", -1, 2, map[string]int64{"Event": 2}}},
			codes: []string{scan.CodePIDImage},
		},
		{
			name:  "handle shown twice",
			text:  "a.exe pid: 12 D\\u\n   4: Event\n   4: Event\n",
			procs: []proc{{12, "a.exe", -1, 1, map[string]int64{"Event": 1}}},
			codes: []string{facts.CodeDuplicate},
		},
		{
			name:  "summary for -p pid",
			text:  "C:\\>handle -s -p 12\nHandle type summary:\n  Event : 3\n  Event : 2\n  File : 1\nTotal handles: 6\n",
			procs: []proc{{12, "", 6, 0, map[string]int64{"Event": 5, "File": 1}}},
			codes: []string{CodeDuplicateType},
		},
		{
			name:  "summary after a command echo",
			text:  "%SysInternals%\\handle64 -nobanner -s -p 12\nHandle type summary:\n  Event : 3\nTotal handles: 3\n",
			procs: []proc{{12, "", 3, 0, map[string]int64{"Event": 3}}},
		},
		{
			name:   "summary cut",
			text:   "C:\\>handle -s\nHandle type summary:\n  Event : 3\n",
			totals: map[string]int64{"Event": 3},
			codes:  []string{facts.CodeTruncated},
		},
		{
			name:   "summary total mismatch",
			text:   "C:\\>handle -s\nHandle type summary:\n  Event : 3\nTotal handles: 4\n",
			totals: map[string]int64{"Event": 3},
			codes:  []string{facts.CodeCountMismatch},
		},
		{
			name:  "close with -p",
			text:  "C:\\>handle -c 4 -y -p 12\n   4: Event\nHandle closed.\n",
			procs: []proc{{12, "", -1, 1, map[string]int64{"Event": 1}}},
			codes: []string{scan.CodePartial},
		},
		{
			name:  "csv header mismatch",
			text:  "Process,PID,User,Handle,Type,Share Flags,Name,Access\nx.exe,12,File,D\\u,0x00000004,C:\\a \n",
			procs: []proc{{12, "x.exe", -1, 1, map[string]int64{"File": 1}}},
			codes: []string{CodeHeaderMismatch, scan.CodePartial},
		},
		{
			name:  "csv header right",
			text:  "Process,PID,Type,Handle,Name\nx.exe,12,File,0x00000004,C:\\a \n",
			procs: []proc{{12, "x.exe", -1, 1, map[string]int64{"File": 1}}},
			codes: []string{scan.CodePartial},
		},
		{
			name:  "orphans",
			text:  "   4: Mutant        \\BaseNamedObjects\\m\n",
			procs: []proc{{0, "", -1, 1, map[string]int64{"Mutant": 1}}},
			codes: []string{facts.CodeNoProcess},
		},
		{
			name:  "unrecognized",
			text:  "what is this\n",
			codes: []string{facts.CodeUnrecognized},
		},
		{
			name:  "long line",
			text:  strings.Repeat("x", scan.MaxLineLen+10) + "\n",
			codes: []string{facts.CodeLongLine, facts.CodeUnrecognized},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readHandleExeBytes(t, []byte(tc.text), "t.txt")
			checkHandleExeLines(t, snap, "t.txt")
			var procs []proc
			for _, p := range snap.Processes {
				n := int64(-1)
				if p.HandleCount != nil {
					n = *p.HandleCount
				}
				procs = append(procs, proc{p.PID, p.Image, n, p.HandlesParsed, p.ByType})
			}
			if diff := cmp.Diff(tc.procs, procs); diff != "" {
				t.Errorf("processes: diff (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.totals, snap.TypeTotals); diff != "" {
				t.Errorf("type totals: diff (-want +got):\n%s", diff)
			}
			var codes []string
			for _, d := range snap.Diagnostics {
				codes = append(codes, d.Code)
			}
			if diff := cmp.Diff(tc.codes, codes); diff != "" {
				t.Errorf("diagnostic codes: diff (-want +got):\n%s\n%+v", diff, snap.Diagnostics)
			}
		})
	}
}

// TestReadHandleExeBoundedMemory reads listings of ten times more handles
// of one process: what the reader allocates must not grow with them (the
// Builder's one bit per handle value aside).
func TestReadHandleExeBoundedMemory(t *testing.T) {
	alloc := func(n int) uint64 {
		var buf bytes.Buffer
		buf.WriteString("----------\nagent.exe pid: 2188 CONTOSO\\svc\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&buf, "%5X: File  (RW-)   C:\\ProgramData\\Agent\\logs\\agent-%d.log\n", 4*(i+1), i%8)
		}
		data := buf.Bytes()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b := facts.NewBuilder()
		log := facts.NewSourceLog("m.txt", Name)
		if err := Read(b, log, bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(20_000), alloc(200_000)
	// 180,000 more handles: the Builder's bitmap grows by 180,000 bits.
	t.Logf("allocated %d bytes for 20,000 handles, %d for 200,000", small, large)
	if growth := int64(large) - int64(small); growth > 256<<10 {
		t.Errorf("reading 180,000 more handles allocated %d more bytes (%d vs %d)", growth, large, small)
	}
}
