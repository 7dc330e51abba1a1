package counterlog

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// read reads text as a counter log named "log.csv".
func read(t *testing.T, text string) ([]*facts.Snapshot, *facts.SourceLog) {
	t.Helper()
	log := facts.NewSourceLog("log.csv", Name)
	snaps, err := Read(log, strings.NewReader(text))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if l := log.Lines; l.Parsed+l.Ignored+l.Unrecognized != l.Total {
		t.Errorf("lines %+v do not add up", l)
	}
	return snaps, log
}

func codes(log *facts.SourceLog) []string {
	var out []string
	for _, d := range log.Diagnostics() {
		out = append(out, d.Code)
	}
	return out
}

// proc finds the process of image in snap, nil if absent.
func proc(snap *facts.Snapshot, instance string) *facts.Process {
	for _, p := range snap.Processes {
		if p.Instance == instance {
			return p
		}
	}
	return nil
}

func count(p *facts.Process) int64 {
	if p == nil || p.HandleCount == nil {
		return -1
	}
	return *p.HandleCount
}

const typeperfCSV = `"(PDH-CSV 4.0) (Pacific Standard Time)(480)","\\WEB01\Process(w3wp)\Handle Count","\\WEB01\Process(w3wp)\ID Process","\\WEB01\Process(w3wp#1)\Handle Count","\\WEB01\Process(w3wp#1)\ID Process","\\WEB01\Process(_Total)\Handle Count","\\WEB01\Process(Idle)\Handle Count","\\WEB01\Process(System)\Handle Count","\\WEB01\Process(System)\Thread Count","\\WEB01\Process(w3wp)\Private Bytes","\\WEB01\Process(w3wp)\Pool Nonpaged Bytes","\\WEB01\Memory\Available MBytes"
"11/26/2016 13:46:30.874","1200","4242","800","5151","90000","0","3000","150","104857600","20480.000000","512"
"11/26/2016 13:47:30.874","1300","4242","801","5151","90100","0","3001","151","105857600","20480","511"
"11/26/2016 13:48:30.874","1400","4242"," "," ","90200","0","3002","152","106857600","20480","510"
`

func TestReadTypeperfCSV(t *testing.T) {
	snaps, log := read(t, typeperfCSV)
	if len(snaps) != 3 {
		t.Fatalf("%d snapshots, want one per sample: 3", len(snaps))
	}
	if want := (facts.LineCounts{Total: 4, Parsed: 4}); log.Lines != want {
		t.Errorf("lines %+v, want %+v", log.Lines, want)
	}
	first, last := snaps[0], snaps[2]
	if first.Host != "WEB01" || first.CapturedAt != "2016-11-26T13:46:30.874-08:00" {
		t.Errorf("host %q at %q, want WEB01 at 2016-11-26T13:46:30.874-08:00 (bias 480 minutes)", first.Host, first.CapturedAt)
	}
	if at, ok := facts.ParseCaptureTime(last.CapturedAt); !ok || !at.Equal(time.Date(2016, 11, 26, 21, 48, 30, 874e6, time.UTC)) {
		t.Errorf("last sample at %q (%v), want 21:48:30.874 UTC", last.CapturedAt, at)
	}
	if len(first.Processes) != 3 {
		t.Errorf("%d processes in the first sample, want w3wp, w3wp#1 and System (_Total and Idle are none)", len(first.Processes))
	}
	w3 := proc(last, "w3wp")
	if w3 == nil || w3.PID != 4242 || w3.Image != "w3wp.exe" || count(w3) != 1400 {
		t.Fatalf("w3wp in the last sample: %+v", w3)
	}
	if w3.PrivateBytes == nil || *w3.PrivateBytes != 106857600 || w3.PoolNonpagedBytes == nil || *w3.PoolNonpagedBytes != 20480 {
		t.Errorf("w3wp private bytes %v, pool %v", w3.PrivateBytes, w3.PoolNonpagedBytes)
	}
	if w3.Source.Line != 4 {
		t.Errorf("w3wp of the last sample at line %d, want 4", w3.Source.Line)
	}
	if p := proc(last, "w3wp#1"); p != nil {
		t.Errorf("w3wp#1 is blank in the last sample, yet read: %+v", p)
	}
	sys := proc(first, "System")
	if sys == nil || sys.Image != "System" || sys.Threads != 150 || sys.PID != 0 {
		t.Errorf("System: %+v", sys)
	}
	if got := codes(log); strings.Join(got, " ") != CodeOtherCounters {
		t.Errorf("diagnostics %v, want one noting the Memory counter", got)
	}
}

// The console output of typeperf, pasted from a console 80 columns wide:
// lines cut anywhere, mid-path and between values.
func TestReadWrappedConsole(t *testing.T) {
	var whole strings.Builder
	whole.WriteString(`"(PDH-CSV 4.0)"`)
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&whole, `,"\\SRV\Process(agent#%d)\Handle Count"`, i)
	}
	header := whole.String()
	row := func(s, v int) string {
		r := fmt.Sprintf(`"03/01/2024 10:%02d:00.000"`, s)
		for i := 0; i < 6; i++ {
			r += fmt.Sprintf(`,"%d"`, v+i)
		}
		return r
	}
	wrap := func(s string) string {
		var out []string
		for len(s) > 80 {
			out = append(out, s[:80])
			s = s[80:]
		}
		return strings.Join(append(out, s), "\n")
	}
	// A blockquote (a mail's, an issue's "> ") prefixes every line alike:
	// the console's cuts keep their width.
	for _, quote := range []string{"", "> ", "> > "} {
		t.Run(fmt.Sprintf("quote %q", quote), func(t *testing.T) {
			text := "C:\\> typeperf \"\\Process(agent*)\\Handle Count\"\n\n" + wrap(header) + "\n" + wrap(row(0, 100)) + "\n" + wrap(row(1, 200)) +
				"\nExiting, please wait...\nThe command completed successfully.\n"
			text = quoteLines(text, quote)
			snaps, log := read(t, text)
			if len(snaps) != 2 {
				t.Fatalf("%d snapshots, want 2", len(snaps))
			}
			if log.Lines.Unrecognized != 0 || log.Lines.Ignored != 4 {
				t.Errorf("lines %+v, want the command, a blank line and the closing two ignored, none unrecognized", log.Lines)
			}
			for i := 0; i < 6; i++ {
				p := proc(snaps[1], fmt.Sprintf("agent#%d", i))
				if count(p) != int64(200+i) {
					t.Errorf("agent#%d: count %d, want %d", i, count(p), 200+i)
				}
			}
			if got := codes(log); strings.Join(got, " ") != CodeTime {
				t.Errorf("diagnostics %v, want one saying the times have no zone", got)
			}
		})
	}
}

func quoteLines(text, quote string) string {
	if quote == "" {
		return text
	}
	return quote + strings.ReplaceAll(strings.TrimSuffix(text, "\n"), "\n", "\n"+quote) + "\n"
}

// Without ID Process, an instance that vanishes and comes back is a
// restart: another run.
func TestRestartIsAnotherRun(t *testing.T) {
	text := `"(PDH-CSV 4.0) (UTC)(0)","\\H\Process(svc)\Handle Count","\\H\Process(other)\Handle Count"
"01/01/2025 00:00:00.000","100","5"
"01/01/2025 00:01:00.000"," ","5"
"01/01/2025 00:02:00.000","900","5"
`
	snaps, _ := read(t, text)
	a, b := proc(snaps[0], "svc"), proc(snaps[2], "svc")
	if a == nil || b == nil || a.Run != 0 || b.Run != 1 {
		t.Fatalf("runs: before %+v, after %+v; want 0 and 1", a, b)
	}
	s, err := facts.NewSeries(snaps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Processes) != 3 {
		t.Errorf("%d processes in the series, want svc twice (a restart) and other", len(s.Processes))
	}
}

// Localized counter names: German and French.
func TestLocalizedNames(t *testing.T) {
	text := `"(PDH-CSV 4.0) (W. Europe Standard Time)(-60)","\\PC\Prozess(explorer)\Handleanzahl","\\PC\Prozess(explorer)\Prozesskennung","\\PC\Prozess(explorer)\Threadanzahl","\\PC\Processus(agent)\Nombre de handles"
"05/02/2024 08:00:00.000","2500","1234","40","700"
`
	snaps, log := read(t, text)
	if len(snaps) != 1 || len(snaps[0].Processes) != 2 {
		t.Fatalf("got %d snapshots, want 1 with 2 processes", len(snaps))
	}
	ex := proc(snaps[0], "explorer")
	if ex == nil || ex.PID != 1234 || count(ex) != 2500 || ex.Threads != 40 {
		t.Errorf("explorer: %+v", ex)
	}
	if snaps[0].CapturedAt != "2024-05-02T08:00:00.000+01:00" {
		t.Errorf("at %q, want +01:00 (bias -60)", snaps[0].CapturedAt)
	}
	if len(log.Diagnostics()) != 0 {
		t.Errorf("diagnostics: %v", log.Diagnostics())
	}
}

// A long log keeps at most MaxPoints samples, the first and last among
// them, in order.
func TestThinning(t *testing.T) {
	var b strings.Builder
	b.WriteString(`"(PDH-CSV 4.0) (UTC)(0)","\\H\Process(a)\Handle Count"` + "\n")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 3*MaxPoints + 7
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%q,\"%d\"\n", start.Add(time.Duration(i)*time.Minute).Format("01/02/2006 15:04:05.000"), i)
	}
	snaps, log := read(t, b.String())
	if len(snaps) > MaxPoints || len(snaps) < MaxPoints/4 {
		t.Fatalf("%d snapshots of %d samples, want at most %d and not far fewer", len(snaps), n, MaxPoints)
	}
	if count(snaps[0].Processes[0]) != 0 || count(snaps[len(snaps)-1].Processes[0]) != n-1 {
		t.Errorf("first and last kept: %d and %d, want 0 and %d", count(snaps[0].Processes[0]), count(snaps[len(snaps)-1].Processes[0]), n-1)
	}
	prev := int64(-1)
	for _, s := range snaps {
		if c := count(s.Processes[0]); c <= prev {
			t.Fatalf("samples out of order: %d after %d", c, prev)
		} else {
			prev = c
		}
	}
	if log.Lines.Parsed != n+1 {
		t.Errorf("parsed %d lines, want every one: %d", log.Lines.Parsed, n+1)
	}
	if got := codes(log); strings.Join(got, " ") != CodeThinned {
		t.Errorf("diagnostics %v", got)
	}
}

func TestParsePath(t *testing.T) {
	for _, c := range []struct {
		in   string
		want counterPath
		ok   bool
	}{
		{`\\H\Process(svchost#2)\Handle Count`, counterPath{"H", "Process", "svchost#2", "Handle Count"}, true},
		{`\Process(a (x86))\ID Process`, counterPath{"", "Process", "a (x86)", "ID Process"}, true},
		{`\\h\memory\% committed bytes in use`, counterPath{"h", "memory", "", "% committed bytes in use"}, true},
		{`\\h`, counterPath{}, false},
		{`no path`, counterPath{}, false},
		{`\Process(a\`, counterPath{}, false},
	} {
		got, ok := parsePath(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parsePath(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	for in, want := range map[string]string{"svchost#12": "svchost.exe", "System": "System", "Memory Compression": "Memory Compression", "a#b": "a#b.exe", "x.exe": "x.exe"} {
		if got := imageOf(in); got != want {
			t.Errorf("imageOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// PowerShell's Get-Counter table: a timestamp starts each sample, and
// each counter path is followed by its value.
func TestReadGetCounter(t *testing.T) {
	data, err := os.ReadFile("testdata/getcounter-3-samples.txt")
	if err != nil {
		t.Fatal(err)
	}
	snaps, log := read(t, string(data))
	if len(snaps) != 3 {
		t.Fatalf("%d snapshots, want 3", len(snaps))
	}
	// 43 lines: the prompt, blank lines and the dashes ignored (18); the
	// header, 3 timestamps, 9 other path lines and 12 values parsed (25).
	if want := (facts.LineCounts{Total: 43, Parsed: 25, Ignored: 18}); log.Lines != want {
		t.Errorf("lines %+v, want %+v", log.Lines, want)
	}
	a := proc(snaps[2], "agent")
	if a == nil || a.PID != 4242 || count(a) != 3000 || snaps[2].Host != "srv01" {
		t.Errorf("agent at the last sample: %+v, host %q", a, snaps[2].Host)
	}
	if snaps[2].CapturedAt != "2024-03-01T12:00:00.000Z" || snaps[0].CapturedAt != "2024-03-01T10:00:00.000Z" {
		t.Errorf("times %q to %q", snaps[0].CapturedAt, snaps[2].CapturedAt)
	}
	if s := proc(snaps[0], "svchost#1"); s == nil || s.PID != 0 || count(s) != 800 || s.Image != "svchost.exe" {
		t.Errorf("svchost#1: %+v", s)
	}
	if proc(snaps[0], "_total") != nil {
		t.Error("_Total read as a process")
	}
	if got := strings.Join(codes(log), " "); got != CodeTime+" "+CodeOtherCounters {
		t.Errorf("diagnostics %q", got)
	}
	if !Sniff(data) {
		t.Error("not sniffed")
	}
}

func TestGetCounterDamaged(t *testing.T) {
	text := "Timestamp  CounterSamples\n" +
		"13/45/2024 99:00:00     \\\\h\\process(a)\\handle count :\n" + // no time
		"                          5\n" + // a value for no path
		"1/1/2024 1:00:00 AM     \\\\h\\process(a)\\handle count :\n" +
		"                          \\\\h\\process(b)\\handle count :\n" + // a path without a value before it
		"                          7\n" +
		"some prose\n"
	snaps, log := read(t, text)
	if len(snaps) != 1 || proc(snaps[0], "b") == nil || count(proc(snaps[0], "b")) != 7 || proc(snaps[0], "a") != nil {
		t.Fatalf("snapshots %d: %+v", len(snaps), snaps[0].Processes)
	}
	if log.Lines.Unrecognized != 3 {
		t.Errorf("lines %+v, want the bad time, the stray value and the prose unrecognized", log.Lines)
	}
}

// Get-Counter's output kept in a script as a PowerShell comment block
// ("# " before every line), with its prompts, in a culture that writes
// the day first with dashes (en-IN).
func TestGetCounterCommentedDayFirst(t *testing.T) {
	text := "# PS C:\\Users\\ops> Get-Counter '\\Process(agent)\\Handle Count' -MaxSamples 2\n\n" +
		"# Timestamp                 CounterSamples\n" +
		"# ---------                 --------------\n" +
		"# 11-04-2023 10:22:32       \\\\srv01\\process(agent)\\handle count :\n" +
		"#                           1200\n\n" +
		"# 11-04-2023 10:22:33       \\\\srv01\\process(agent)\\handle count :\n" +
		"#                           1300\n\n" +
		"# PS C:\\Users\\ops>\n"
	if !Sniff([]byte(text)) {
		t.Fatal("not sniffed")
	}
	snaps, log := read(t, text)
	if len(snaps) != 2 || count(proc(snaps[1], "agent")) != 1300 {
		t.Fatalf("%d snapshots, want 2 with agent at 1300", len(snaps))
	}
	if snaps[0].CapturedAt != "2023-04-11T10:22:32.000Z" {
		t.Errorf("first sample at %q, want April 11th", snaps[0].CapturedAt)
	}
	if log.Lines.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized", log.Lines)
	}
}

// Get-Counter's samples piped to Format-List: a record of Timestamp and
// Readings a sample, the Readings' paths and values as in the table;
// Select-Object -Property * puts the Readings before the Timestamp, then
// CounterSamples.
func TestGetCounterFormatList(t *testing.T) {
	for _, tc := range []struct{ name, text string }{{
		name: "Format-List",
		text: "PS C:\\> Get-Counter '\\Process(contoso)\\Handle Count','\\Memory\\Pool Nonpaged Bytes' -MaxSamples 2 | Format-List\n\n" +
			"Timestamp : 3/1/2024 10:00:00 AM\n" +
			"Readings  : \\\\srv01\\process(contoso)\\handle count :\n" +
			"            1200\n\n" +
			"            \\\\srv01\\memory\\pool nonpaged bytes :\n" +
			"            421310464\n\n\n" +
			"Timestamp : 3/1/2024 10:01:00 AM\n" +
			"Readings  : \\\\srv01\\process(contoso)\\handle count :\n" +
			"            1300\n\n" +
			"            \\\\srv01\\memory\\pool nonpaged bytes :\n" +
			"            421400000\n",
	}, {
		name: "Select-Object -Property * | Format-List",
		text: "Readings       : \\\\srv01\\process(contoso)\\handle count :\n" +
			"                 1200\n\n" +
			"                 \\\\srv01\\memory\\pool nonpaged bytes :\n" +
			"                 421310464\n\n\n" +
			"Timestamp      : 3/1/2024 10:00:00 AM\n" +
			"CounterSamples : {contoso, }\n\n" +
			"Readings       : \\\\srv01\\process(contoso)\\handle count :\n" +
			"                 1300\n\n" +
			"                 \\\\srv01\\memory\\pool nonpaged bytes :\n" +
			"                 421400000\n\n\n" +
			"Timestamp      : 3/1/2024 10:01:00 AM\n" +
			"CounterSamples : {contoso, }\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if !Sniff([]byte(tc.text)) {
				t.Fatal("not sniffed")
			}
			snaps, log := read(t, tc.text)
			if len(snaps) != 2 {
				t.Fatalf("%d snapshots, want 2", len(snaps))
			}
			if c := proc(snaps[1], "contoso"); c == nil || count(c) != 1300 || snaps[1].Host != "srv01" {
				t.Errorf("contoso at the last sample: %+v, host %q", c, snaps[1].Host)
			}
			if snaps[0].CapturedAt != "2024-03-01T10:00:00.000Z" || snaps[1].CapturedAt != "2024-03-01T10:01:00.000Z" {
				t.Errorf("times %q, %q", snaps[0].CapturedAt, snaps[1].CapturedAt)
			}
			if m := snaps[0].Memory; m == nil || m.VM == nil {
				t.Errorf("no memory summary in the first sample: %+v", m)
			}
			if log.Lines.Unrecognized != 0 {
				t.Errorf("lines %+v, want none unrecognized (diagnostics %v)", log.Lines, log.Diagnostics())
			}
		})
	}
}

// A log a spreadsheet saved again: unquoted, semicolons, times without
// seconds.
func TestReadResavedCSV(t *testing.T) {
	text := "(PDH-CSV 4.0) (W. Europe Standard Time)(-60);\\\\PC\\Prozess(agent)\\Handleanzahl;\\\\PC\\Prozess(agent)\\Prozesskennung\n" +
		"03/01/2024 10:00;100;42\n" +
		"03/01/2024 10:01;200;42\n"
	snaps, log := read(t, text)
	if len(snaps) != 2 || log.Lines != (facts.LineCounts{Total: 3, Parsed: 3}) {
		t.Fatalf("%d snapshots, lines %+v", len(snaps), log.Lines)
	}
	if a := proc(snaps[1], "agent"); a == nil || a.PID != 42 || count(a) != 200 {
		t.Errorf("agent: %+v", a)
	}
	if !Sniff([]byte(text)) {
		t.Error("not sniffed")
	}
}

// A header whose first cell a spreadsheet renamed is still a header: its
// counter paths tell it.
func TestRenamedFirstCell(t *testing.T) {
	text := `"Time","\\H\Process(agent)\Handle Count"` + "\n" + `"01/01/2025 00:00:00.000","5"` + "\n"
	snaps, log := read(t, text)
	if len(snaps) != 1 || count(proc(snaps[0], "agent")) != 5 || log.Lines.Parsed != 2 {
		t.Errorf("%d snapshots, lines %+v", len(snaps), log.Lines)
	}
	if !Sniff([]byte(text)) || Sniff([]byte("\"Time\",\"Value\"\n")) {
		t.Error("sniffed wrongly")
	}
}

// A header whose first cell has a blank inside its quote, before
// "(PDH-CSV" (retyped, or built by a script), is still a header, its
// zone read.
func TestBlankInFirstCell(t *testing.T) {
	text := `" (PDH-CSV 4.0) (UTC)(0)","\\H\Memory\Pool Nonpaged Bytes","\\H\Process(agent)\Handle Count"` + "\n" +
		`"01/01/2025 00:00:00.000","1048576","5"` + "\n"
	snaps, log := read(t, text)
	if len(snaps) != 1 || count(proc(snaps[0], "agent")) != 5 || log.Lines.Parsed != 2 {
		t.Fatalf("%d snapshots, lines %+v", len(snaps), log.Lines)
	}
	if !Sniff([]byte(text)) {
		t.Error("not sniffed")
	}
	for _, d := range log.Diagnostics() {
		if d.Code == CodeTime {
			t.Errorf("zone not read: %s", d.Message)
		}
	}
}

// typeperf -f TSV: tabs between the quoted cells.
func TestReadTSV(t *testing.T) {
	text := "\"(PDH-TSV 4.0) (UTC)(0)\"\t\"\\\\H\\Process(a)\\Handle Count\"\t\"\\\\H\\Process(a)\\ID Process\"\n" +
		"\"01/01/2025 00:00:00.000\"\t\"10\"\t\"77\"\n"
	snaps, log := read(t, text)
	if len(snaps) != 1 || log.Lines.Parsed != 2 {
		t.Fatalf("%d snapshots, lines %+v", len(snaps), log.Lines)
	}
	if a := proc(snaps[0], "a"); a == nil || a.PID != 77 || count(a) != 10 {
		t.Errorf("a: %+v", a)
	}
}

// Instances named with their pids (perfmon's ProcessNameFormat 2) give
// the pids when every instance has one.
func TestInstanceNamesWithPIDs(t *testing.T) {
	text := `"(PDH-CSV 4.0) (UTC)(0)","\\H\Process(svchost_1204)\Handle Count","\\H\Process(System_4)\Handle Count","\\H\Process(_Total)\Handle Count"` + "\n" +
		`"01/01/2025 00:00:00.000","600","4000","4600"` + "\n"
	snaps, _ := read(t, text)
	if p := proc(snaps[0], "svchost_1204"); p == nil || p.PID != 1204 || p.Image != "svchost.exe" {
		t.Errorf("svchost_1204: %+v", p)
	}
	if p := proc(snaps[0], "System_4"); p == nil || p.PID != 4 || p.Image != "System" {
		t.Errorf("System_4: %+v", p)
	}
	// One name without: none is read as a pid.
	text = strings.Replace(text, "System_4", "System", 1)
	snaps, _ = read(t, text)
	if p := proc(snaps[0], "svchost_1204"); p == nil || p.PID != 0 || p.Image != "svchost_1204.exe" {
		t.Errorf("svchost_1204 beside System: %+v", p)
	}
}
