package proctable

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseCount reads counts of every locale's grouping, as strings
// and as bytes (the two kinds of cells the readers hold).
func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"458", 458, true}, {"4263", 4263, true}, {"0", 0, true},
		{"1,234", 1234, true}, {"51,234", 51234, true}, {"1,234,567", 1234567, true},
		{"1.234", 1234, true}, {"51.234", 51234, true},
		{"51 234", 51234, true}, {"1 957 454", 1957454, true},
		{"12\u00a0345", 12345, true}, {"51\u00a0234", 51234, true}, {"12\u202f345", 12345, true},
		{"1'234'567", 1234567, true},
		{" 4263 ", 4263, true}, // blanks around a cell
		{"999999999999999", 999999999999999, true},

		{"", 0, false}, {"-", 0, false}, {"-1", 0, false},
		{"...79", 0, false},                                            // cut by the table
		{"1,5", 0, false}, {"12,34", 0, false}, {"8 786,38", 0, false}, // decimals
		{"535,27 MB", 0, false}, // a size
		{"12345,678", 0, false}, {"1234,567", 0, false}, {"1,2345", 0, false},
		{",123", 0, false}, {"1,", 0, false},
		{"0x10", 0, false}, {"12a", 0, false}, {"n/a", 0, false},
		{"1000000000000000", 0, false}, {"1234567890123456", 0, false}, {"99999999999999999999", 0, false},
		{"12\xa0345", 0, false}, // not UTF-8
	}
	for _, tc := range tests {
		got, ok := ParseCount(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseCount(%q) = %d, %v, want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		got, ok = ParseCount([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseCount([]byte(%q)) = %d, %v, want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseDMTF(t *testing.T) {
	tests := []struct{ in, want string }{
		{"20261206090112.500000+060", "2026-12-06T08:01:12Z"},
		{"20261206233512.123456-300", "2026-12-07T04:35:12Z"},
		{"12/6/2026 9:01:12 AM", ""},
		{"20261306090112.500000+060", ""},
	}
	for _, tc := range tests {
		if got, _ := ParseDMTF(tc.in); got != tc.want {
			t.Errorf("ParseDMTF(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestImageName(t *testing.T) {
	tests := []struct {
		in   string
		role Role
		want string
	}{
		{"spoolsv", ImageNoExt, "spoolsv.exe"}, {"spoolsv.exe", ImageNoExt, "spoolsv.exe"},
		{"System", ImageNoExt, "System"}, {"Memory Compression", ImageNoExt, "Memory Compression"},
		{"Microsoft.Photos", ImageNoExt, "Microsoft.Photos.exe"}, {"System Idle Process", Image, "System Idle Process"},
		{"csrss", Image, "csrss"},
	}
	for _, tc := range tests {
		if got := ImageName(tc.in, tc.role); got != tc.want {
			t.Errorf("ImageName(%q, %d) = %q, want %q", tc.in, tc.role, got, tc.want)
		}
	}
}

func TestParsePrompt(t *testing.T) {
	tests := []struct {
		in, cmd, remote string
		ok              bool
	}{
		{`PS C:\> Get-Process`, "Get-Process", "", true},
		{`*Evil-WinRM* PS C:\Users\Chase\Desktop> get-process`, "get-process", "", true},
		{`[HYPVCON]: PS C:\> get-process | where {$_.Id -gt 4}`, "get-process | where {$_.Id -gt 4}", "HYPVCON", true},
		{`C:\Windows\system32>wmic process list brief`, "wmic process list brief", "", true},
		{`PS>`, "", "", true},
		{`PS /home/alice> Get-Process -Name pwsh`, "Get-Process -Name pwsh", "", true},
		{`PS temp> pslist notepad`, "pslist notepad", "", true},
		{`PS ~/src> ps`, "ps", "", true},
		{`PS are welcome > here`, "", "", false},
		{`Handles  NPM(K)`, "", "", false},
	}
	for _, tc := range tests {
		p, ok := ParsePrompt([]byte(tc.in))
		if ok != tc.ok || string(p.Command) != tc.cmd || p.Remote != tc.remote {
			t.Errorf("ParsePrompt(%q) = %q, %q, %v; want %q, %q, %v", tc.in, p.Command, p.Remote, ok, tc.cmd, tc.remote, tc.ok)
		}
	}
}

func TestPromptNotRow(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{`C:\Users>pskill -t 10480`, true},
		{`PS C:\Program Files\Tools> handle -p 4228`, true},
		{`C:\Users>`, false}, // a bare prompt: no command, no row either
		// Rows whose first cell is a path and a later one a redirection.
		{`C:\Windows\system32\cmd.exe  4228  312  cmd /c dir > out.txt`, false},
		{"C:\\Windows\\system32\\cmd.exe\t4228\t312\tcmd /c dir > out.txt", false},
		{`C:\Windows\system32\cmd.exe,4228,312,cmd /c dir > out.txt`, false},
		{`firefox           10480   8  69 1335 167308`, false},
	}
	for _, tc := range tests {
		if got := promptNotRow([]byte(tc.in)); got != tc.want {
			t.Errorf("promptNotRow(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestSplitDelimited(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{`"a","b,c","d""e"`, []string{"a", "b,c", `d"e`}, true},
		{`a,,c`, []string{"a", "", "c"}, true},
		{`"a","b`, nil, false},
	}
	for _, tc := range tests {
		got, ok := SplitDelimited([]byte(tc.in), ',', nil)
		if ok != tc.ok || (ok && !cmp.Equal(got, tc.want)) {
			t.Errorf("SplitDelimited(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestKeyValue(t *testing.T) {
	tests := []struct {
		in       string
		sep      byte
		key, val string
		ok       bool
	}{
		{"Handles : 466", ':', "Handles", "466", true},
		{"CPU     :", ':', "CPU", "", true},
		{"Image: csrss.exe", ':', "", "", false},
		{"HandleCount=466", '=', "HandleCount", "466", true},
		{"Description = Access denied", '=', "", "", false},
		{"a b : c", ':', "", "", false},
	}
	for _, tc := range tests {
		k, v, ok := KeyValue([]byte(tc.in), tc.sep)
		if ok != tc.ok || string(k) != tc.key || string(v) != tc.val {
			t.Errorf("KeyValue(%q) = %q, %q, %v", tc.in, k, v, ok)
		}
	}
}

// TestSplitFixed reads rows of a PowerShell table, of a CIM table whose
// name column is in the middle, and of wmic.
func TestSplitFixed(t *testing.T) {
	vocab := Vocab{"handles": Handles, "id": PID, "processname": ImageNoExt, "processid": PID, "name": Image, "handlecount": Handles}
	tests := []struct {
		header, dashes, row string
		want                []string
	}{
		{
			"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName",
			"-------  ------    -----      -----     ------     --  -- -----------",
			"   2040     256   651580     642160   8 786,38  13080   1 firefox",
			[]string{"2040", "256", "651580", "642160", "8 786,38", "13080", "1", "firefox"},
		},
		{
			"Handles  NPM(K)    PM(K)      WS(K) VM(M)   CPU(s)     Id  SI ProcessName",
			"-------  ------    -----      ----- -----   ------     --  -- -----------",
			"              4      452       1520 ...63     0.06    956   1 csrss",
			[]string{"", "4", "452", "1520", "...63", "0.06", "956", "1", "csrss"},
		},
		{
			"ProcessId Name                HandleCount",
			"--------- ----                -----------",
			"        0 System Idle Process           0",
			[]string{"0", "System Idle Process", "0"},
		},
		{
			"HandleCount  Name                 ProcessId",
			"",
			"0            System Idle Process  0",
			[]string{"0", "System Idle Process", "0"},
		},
	}
	for _, tc := range tests {
		h, ok := ParseFixed([]byte(tc.header), vocab, true)
		if !ok {
			t.Fatalf("ParseFixed(%q) failed", tc.header)
		}
		if tc.dashes != "" && !h.Underline([]byte(tc.dashes)) {
			t.Fatalf("Underline(%q) failed", tc.dashes)
		}
		var s Splitter
		got, ok := s.Split(&h, []byte(tc.row))
		if !ok {
			t.Fatalf("Split(%q) failed", tc.row)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Split(%q): diff (-want +got):\n%s", tc.row, diff)
		}
	}
}

func TestStripANSI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x1b[32;1mHandles\x1b[0m  Id", "Handles  Id"},
		{"[32;1mHandles[0m", "Handles"},
		{"System [m] 4", "System [m] 4"},
		{"plain", "plain"},
	}
	for _, tc := range tests {
		if got := string(stripANSI([]byte(tc.in))); got != tc.want {
			t.Errorf("stripANSI(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestIsWorkingDirectory: a directory alone on its line (a two-line
// prompt's) is passed over; a program's path with its arguments, a row
// whose blanks a page collapsed, is not, and is reported unrecognized
// instead of lost without a word.
func TestIsWorkingDirectory(t *testing.T) {
	for in, want := range map[string]bool{
		`C:\Users\me\Tools\SysInternals`:                                         true,
		`C:\Program Files\Contoso`:                                               true,
		`C:\Windows\system32\svchost.exe -k netsvcs -p 1420 svchost.exe 868`:     false,
		`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.EXE -NoProfile 9`: false,
		`C:\Windows\system32\svchost.exe`:                                        true, // a path alone: nothing after it
		`not a path`:                                                             false,
	} {
		if got := isWorkingDirectory([]byte(in)); got != want {
			t.Errorf("isWorkingDirectory(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestServiceList(t *testing.T) {
	for in, want := range map[string][]string{
		"BrokerInfrastructure, DcomLaunch, PlugPlay,": {"BrokerInfrastructure", "DcomLaunch", "PlugPlay"},
		"Winmgmt":  {"Winmgmt"},
		"N/A":      nil,
		" , ,":     nil,
		"RpcSs,,X": {"RpcSs", "X"},
	} {
		if got := ServiceList(in); !slices.Equal(got, want) {
			t.Errorf("ServiceList(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ServiceList(strings.Repeat("a,", 1000)); len(got) != maxServices {
		t.Errorf("%d services of 1,000 kept, want %d", len(got), maxServices)
	}
}
