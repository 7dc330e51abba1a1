package getprocess_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// TestHostsAreCapturesOfTheirOwn: Get-Process run on several machines
// (Invoke-Command -ComputerName) prints one table with a PSComputerName
// column; each machine's rows are a capture of their own, so one pid on
// two machines is two processes, and a loop over the machines is a
// series per machine.
func TestHostsAreCapturesOfTheirOwn(t *testing.T) {
	const header = "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName  PSComputerName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------  --------------\n"
	table := func(a, b int) string {
		return header +
			"   1200      40    10300      16156       0.20   4242   0 agent        WEB01\n" +
			"    812      31    16496      28400      92.75   1104   0 svchost      WEB01\n" +
			fmt.Sprintf("%7d      40    10300      16156       0.20   4242   0 agent        WEB02\n", a) +
			fmt.Sprintf("%7d      33    16496      28400      92.75   2208   0 spoolsv      WEB02\n\n", b)
	}
	type proc struct {
		Host    string
		PID     uint64
		Image   string
		Handles int64
	}
	read := func(t *testing.T, in string) ([]proc, []facts.Diagnostic) {
		t.Helper()
		log := facts.NewSourceLog("hosts.txt", getprocess.Name)
		snaps, err := getprocess.ReadSeries(log, strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		var got []proc
		for _, s := range snaps {
			for _, p := range s.Processes {
				got = append(got, proc{s.Host, p.PID, p.Image, *p.HandleCount})
			}
		}
		if log.Lines.Unrecognized != 0 {
			t.Errorf("%d unrecognized lines: %v", log.Lines.Unrecognized, log.Diagnostics())
		}
		return got, log.Diagnostics()
	}
	t.Run("one table", func(t *testing.T) {
		got, diags := read(t, "PS C:\\> Invoke-Command -ComputerName WEB01, WEB02 { Get-Process agent, svchost, spoolsv }\n\n"+table(5100, 700))
		want := []proc{
			{"WEB01", 1104, "svchost.exe", 812}, {"WEB01", 4242, "agent.exe", 1200},
			{"WEB02", 2208, "spoolsv.exe", 700}, {"WEB02", 4242, "agent.exe", 5100},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("processes (-want +got):\n%s", diff)
		}
		var codes []string
		for _, d := range diags {
			codes = append(codes, d.Code)
		}
		if diff := cmp.Diff([]string{proctable.CodeHosts}, codes); diff != "" {
			t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, diags)
		}
	})
	t.Run("in a loop", func(t *testing.T) {
		got, _ := read(t, table(5100, 700)+table(6100, 705))
		want := []proc{
			{"WEB01", 1104, "svchost.exe", 812}, {"WEB01", 4242, "agent.exe", 1200},
			{"WEB01", 1104, "svchost.exe", 812}, {"WEB01", 4242, "agent.exe", 1200},
			{"WEB02", 2208, "spoolsv.exe", 700}, {"WEB02", 4242, "agent.exe", 5100},
			{"WEB02", 2208, "spoolsv.exe", 705}, {"WEB02", 4242, "agent.exe", 6100},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("processes, a series per machine (-want +got):\n%s", diff)
		}
	})
}

// TestLoopOfManyHostsIsBounded: a loop over many machines makes a
// snapshot per machine of each table kept, so the tables kept are fewer
// the more machines (a 28 MB paste of 360 tables of 1,000 machines made
// 91,000 snapshots and 520 MB); the machines are named once, not at
// every table.
func TestLoopOfManyHostsIsBounded(t *testing.T) {
	const hosts, tables = 200, 120
	var in strings.Builder
	for i := range tables {
		fmt.Fprintf(&in, "Monday, December 7, 2026 10:%02d:00 AM\n\n", i%60)
		in.WriteString("Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName  PSComputerName\n" +
			"-------  ------    -----      -----     ------     --  -- -----------  --------------\n")
		for h := range hosts {
			fmt.Fprintf(&in, "%7d      40    10300      16156       0.20   %d   0 agent        H%03d\n", 100+i, 4000+h, h)
		}
		in.WriteString("\n")
	}
	log := facts.NewSourceLog("hosts.txt", getprocess.Name)
	snaps, err := getprocess.ReadSeries(log, strings.NewReader(in.String()))
	if err != nil {
		t.Fatal(err)
	}
	perHost := map[string]int{}
	for _, s := range snaps {
		perHost[s.Host]++
	}
	if len(perHost) != hosts {
		t.Fatalf("%d machines read, want %d", len(perHost), hosts)
	}
	// 200 processes and 199 more machines weigh as 1,792 processes: the
	// points a series of that many keeps (scan.SeriesPoints).
	if most := scan.SeriesPoints(hosts + (hosts-1)*8); perHost["H000"] > most || perHost["H199"] > most {
		t.Errorf("%d and %d snapshots of the first and last machine, want at most %d", perHost["H000"], perHost["H199"], most)
	}
	said := 0
	for _, d := range log.Diagnostics() {
		if d.Code == proctable.CodeHosts {
			said++
		}
	}
	if said != 1 {
		t.Errorf("the machines are named in %d diagnostics, want 1", said)
	}
}

// TestWrapperTable: a script's table of Win32_Process properties
// gathered from several machines names each row's in a ComputerName
// column, has no Name (its Description holds it, which Get-Process's
// tables use for the file's description), and Format-Table cut its
// CommandLine to the column's width. The machines are captures of their
// own, the image is the path's last element, and a cut command line is
// no command line: naming a host process's service from "-k netsv..."
// would name the wrong one. Before, the table was refused (ComputerName
// unknown), and a cut command line was read as the process's.
func TestWrapperTable(t *testing.T) {
	in := "ComputerName Description  ExecutablePath                  ProcessId ParentProcessId HandleCount CommandLine\n" +
		"------------ -----------  --------------                  --------- --------------- ----------- -----------\n" +
		"CONTOSO01    svchost.exe  C:\\Windows\\system32\\svchost.exe 1104      600             812         C:\\Windows\\system32\\svchost.exe -k netsv...\n" +
		"CONTOSO01    agent.exe    C:\\Fabrikam\\agent.exe          4242      600             1200        C:\\Fabrikam\\agent.exe --serve\n" +
		"CONTOSO02    agent.exe    C:\\Fabrikam\\agent.exe          4242      600             9000        C:\\Fabrikam\\agent.exe --serve\n"
	log := facts.NewSourceLog("wrapper.txt", getprocess.Name)
	snaps, err := getprocess.ReadSeries(log, strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	type proc struct {
		Host, Image, Cmdline string
		PID                  uint64
		Handles              int64
	}
	var got []proc
	for _, s := range snaps {
		for _, p := range s.Processes {
			got = append(got, proc{s.Host, p.Image, p.Cmdline, p.PID, *p.HandleCount})
		}
	}
	want := []proc{
		{"CONTOSO01", "svchost.exe", "", 1104, 812},
		{"CONTOSO01", "agent.exe", `C:\Fabrikam\agent.exe --serve`, 4242, 1200},
		{"CONTOSO02", "agent.exe", `C:\Fabrikam\agent.exe --serve`, 4242, 9000},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	cut := false
	for _, d := range log.Diagnostics() {
		cut = cut || (d.Code == facts.CodeMissing && strings.Contains(d.Message, "Format-Table cut it"))
	}
	if !cut {
		t.Errorf("no diagnostic says a command line was cut: %v", log.Diagnostics())
	}
}
