package getprocess_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
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
