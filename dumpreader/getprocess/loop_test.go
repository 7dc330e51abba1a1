package getprocess_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// TestLoopOneHeader: Get-Process in a loop that is one statement prints
// one header and a row a process a run: the runs, each showing the
// processes of the one before it, are a series. A row shown again in a
// table of other rows (a paste that doubled a line) is no run: the
// capture is one, and the diagnostic names the process whose count
// changed most, from what to what.
func TestLoopOneHeader(t *testing.T) {
	const header = "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n"
	t.Run("a series", func(t *testing.T) {
		in := "PS C:\\> while ($true) { Get-Process -Name agent, svchost; sleep 60 }\n\n" + header +
			"   1200      40    10300      16156       0.20   5120   0 agent\n" +
			"    812      31    16496      28400      92.75   1104   0 svchost\n" +
			"   1900      41    10396      16224       0.25   5120   0 agent\n" +
			"    810      31    16496      28400      92.80   1104   0 svchost\n" +
			"   2600      43    10500      16300       0.31   5120   0 agent\n" +
			"    815      31    16496      28400      92.85   1104   0 svchost\n"
		snaps, err := getprocess.ReadSeries(facts.NewSourceLog("loop.txt", getprocess.Name), strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		var agent []int64
		for _, s := range snaps {
			for _, p := range s.Processes {
				if p.PID == 5120 && p.HandleCount != nil {
					agent = append(agent, *p.HandleCount)
				}
			}
		}
		if diff := cmp.Diff([]int64{1200, 1900, 2600}, agent); diff != "" {
			t.Errorf("agent's counts, a snapshot each (-want +got):\n%s", diff)
		}
	})
	t.Run("a doubled row", func(t *testing.T) {
		in := "PS C:\\> Get-Process\n\n" + header +
			"   1200      40    10300      16156       0.20   5120   0 agent\n" +
			"    812      31    16496      28400      92.75   1104   0 svchost\n" +
			"    200       9     1416       3064       0.50    880   1 notepad\n" +
			"    815      31    16496      28400      92.85   1104   0 svchost\n"
		snap := proctest.Read(t, []byte(in), "loop.txt", dumpreader.FormatGetProcess)
		var msg string
		for _, d := range snap.Diagnostics {
			if d.Code == facts.CodeDuplicate {
				msg = d.Message
			}
		}
		for _, want := range []string{"svchost.exe (pid 1104)", "from 812 (line 6) to 815", "its 2 rows"} {
			if !strings.Contains(msg, want) {
				t.Errorf("duplicate diagnostic %q does not say %q", msg, want)
			}
		}
	})
}

// loopTable is one run's table of Get-Process -Name agent, svchost.
func loopTable(agent, svchost int) string {
	return "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n" +
		fmt.Sprintf("%7d      40    10300      16156       0.20   5120   0 agent\n", agent) +
		fmt.Sprintf("%7d      31    16496      28400      92.75   1104   0 svchost\n", svchost) + "\n"
}

// TestLoopTablesAreASeries: Get-Process in a loop pasted as one file
// (a table per run) is a series, a snapshot per table, with the times
// Get-Date printed beside the tables when every table has one; tables of
// other processes (a list, then one process of it) stay one capture.
func TestLoopTablesAreASeries(t *testing.T) {
	const cmd = "PS C:\\> while ($true) { Get-Date; Get-Process -Name agent, svchost; Start-Sleep 600 }\n\n"
	tests := []struct {
		name   string
		in     string
		agent  []int64  // agent's count in each snapshot
		times  []string // each snapshot's CapturedAt
		codes  []string // severity:code of the series' diagnostics
		series bool
	}{
		{
			name: "Get-Date before each table",
			in: cmd + "Monday, December 7, 2026 10:41:02 AM\n\n" + loopTable(1200, 812) +
				"Monday, December 7, 2026 10:51:02 AM\n\n" + loopTable(1900, 810) +
				"Monday, December 7, 2026 11:01:02 AM\n\n" + loopTable(2600, 815),
			agent: []int64{1200, 1900, 2600},
			times: []string{"2026-12-07T10:41:02Z", "2026-12-07T10:51:02Z", "2026-12-07T11:01:02Z"},
			codes: []string{"info:" + getprocess.CodeTime, "info:" + getprocess.CodeLoop},
		},
		{
			name: "times with a zone after each table",
			in: cmd + loopTable(1200, 812) + "2026-12-07T10:41:02.1234567+01:00\n" +
				loopTable(1900, 810) + "2026-12-07T10:51:02.1234567+01:00\n",
			agent: []int64{1200, 1900},
			times: []string{"2026-12-07T10:41:02.1234567+01:00", "2026-12-07T10:51:02.1234567+01:00"},
			codes: []string{"info:" + getprocess.CodeLoop},
		},
		{
			name:  "no times",
			in:    cmd + loopTable(1200, 812) + loopTable(1900, 810) + loopTable(2600, 815),
			agent: []int64{1200, 1900, 2600},
			times: []string{"", "", ""},
			codes: []string{"info:" + getprocess.CodeTime, "info:" + getprocess.CodeLoop},
		},
		{
			name: "framed times, one missing",
			in: cmd + "=== 2026-12-07 10:41:02 ===\n" + loopTable(1200, 812) +
				loopTable(1900, 810) + "=== 2026-12-07 11:01:02 ===\n" + loopTable(2600, 815),
			agent: []int64{1200, 1900, 2600},
			times: []string{"", "", ""},
			codes: []string{"info:" + getprocess.CodeTime, "info:" + getprocess.CodeLoop},
		},
		{
			name: "German long dates",
			in: cmd + "Montag, 7. Dezember 2026 13:05:12\n\n" + loopTable(1200, 812) +
				"Montag, 7. Dezember 2026 13:15:12\n\n" + loopTable(1900, 810),
			agent: []int64{1200, 1900},
			times: []string{"2026-12-07T13:05:12Z", "2026-12-07T13:15:12Z"},
			codes: []string{"info:" + getprocess.CodeTime, "info:" + getprocess.CodeLoop},
		},
		{
			name: "French long dates across a month",
			in: cmd + "lundi 30 novembre 2026 23:55:00\n\n" + loopTable(1200, 812) +
				"mardi 1 décembre 2026 00:05:00\n\n" + loopTable(1900, 810),
			agent: []int64{1200, 1900},
			times: []string{"2026-11-30T23:55:00Z", "2026-12-01T00:05:00Z"},
			codes: []string{"info:" + getprocess.CodeTime, "info:" + getprocess.CodeLoop},
		},
		{
			name: "day.month.year and year/month/day short dates",
			in: cmd + "07.12.2026 13:05:12\n" + loopTable(1200, 812) +
				"2026/12/07 13:15:12\n" + loopTable(1900, 810),
			agent: []int64{1200, 1900},
			times: []string{"2026-12-07T13:05:12Z", "2026-12-07T13:15:12Z"},
			codes: []string{"info:" + getprocess.CodeTime, "info:" + getprocess.CodeLoop},
		},
		{
			name: "day-first slashes a day past 12 tells",
			in: cmd + "07/12/2026 23:55:00\n" + loopTable(1200, 812) +
				"13/12/2026 00:05:00\n" + loopTable(1900, 810),
			agent: []int64{1200, 1900},
			times: []string{"2026-12-07T23:55:00Z", "2026-12-13T00:05:00Z"},
			codes: []string{"info:" + getprocess.CodeTime, "info:" + getprocess.CodeLoop},
		},
		{
			name: "slashes nothing tells are read month first, said so",
			in: cmd + "07/12/2026 13:05:12\n" + loopTable(1200, 812) +
				"07/12/2026 13:15:12\n" + loopTable(1900, 810),
			agent: []int64{1200, 1900},
			times: []string{"2026-07-12T13:05:12Z", "2026-07-12T13:15:12Z"},
			codes: []string{"info:" + getprocess.CodeTime, "info:" + getprocess.CodeTime, "info:" + getprocess.CodeLoop},
		},
		{
			name: "a weekday and month of no language read keep the tables' order",
			in: cmd + "Pazartesi, 7 Aralık 2026 13:05:12\n" + loopTable(1200, 812) +
				"Pazartesi, 7 Aralık 2026 13:15:12\n" + loopTable(1900, 810),
			agent: []int64{1200, 1900},
			times: []string{"", ""},
			codes: []string{"info:" + getprocess.CodeTime, "info:" + getprocess.CodeTime, "info:" + getprocess.CodeLoop},
		},
		{
			name: "a list, then one process of it",
			in: "PS C:\\> Get-Process\n\n" + loopTable(1200, 812) +
				"PS C:\\> Get-Process -Id 5120\n\n" +
				"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
				"-------  ------    -----      -----     ------     --  -- -----------\n" +
				"   1300      40    10300      16156       0.20   5120   0 agent\n",
			agent: []int64{1300},
			times: []string{""},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "loop.txt")
			if err := os.WriteFile(path, []byte(tc.in), 0o600); err != nil {
				t.Fatal(err)
			}
			snaps, err := dumpreader.ReadSeries([]string{path}, dumpreader.Options{})
			if err != nil {
				t.Fatalf("ReadSeries: %v", err)
			}
			var agent []int64
			var times []string
			for _, s := range snaps {
				if s.Sources[0].Format != getprocess.Name {
					t.Fatalf("read as %s, want %s", s.Sources[0].Format, getprocess.Name)
				}
				times = append(times, s.CapturedAt)
				for _, p := range s.Processes {
					if p.PID == 5120 && p.HandleCount != nil {
						agent = append(agent, *p.HandleCount)
					}
				}
			}
			if diff := cmp.Diff(tc.agent, agent); diff != "" {
				t.Errorf("agent's counts, a snapshot each (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.times, times); diff != "" {
				t.Errorf("times (-want +got):\n%s", diff)
			}
			last := snaps[len(snaps)-1]
			var codes []string
			for _, d := range last.Diagnostics {
				if d.Code == getprocess.CodeLoop || d.Code == getprocess.CodeTime {
					codes = append(codes, string(d.Severity)+":"+d.Code)
				}
			}
			if diff := cmp.Diff(tc.codes, codes); diff != "" {
				t.Errorf("series diagnostics (-want +got):\n%s\n%+v", diff, last.Diagnostics)
			}
			if n := last.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %+v", n, last.Diagnostics)
			}
			if len(snaps) > 1 {
				if _, err := facts.NewSeries(snaps, nil); err != nil {
					t.Errorf("NewSeries: %v", err)
				}
			}
		})
	}
}

// TestLoopNeedsOneCommand: tables of the same process after different
// command lines (a name pattern, then the process's id) are two queries
// that matched it, not runs of one command: the capture is one snapshot,
// and a process only the first table showed stays in it. Before, the
// last two tables were read as a loop whose last run lacked the first
// table's other process, and that process was lost from the verdict.
func TestLoopNeedsOneCommand(t *testing.T) {
	const header = "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n"
	in := "Get-Process\n" + header +
		"    300      20    11000      21000       0.50   4100   1 contoso\n" +
		"    150      10     2500       7000       0.02   4200   1 fabrikam\n" +
		"Get-Process -Name \"*toso*\"\n" + header +
		"    300      20    11000      21000       0.50   4100   1 contoso\n" +
		"Get-Process -Id 4100\n" + header +
		"    300      20    11000      21000       0.50   4100   1 contoso\n"
	snaps, err := getprocess.ReadSeries(facts.NewSourceLog("queries.txt", getprocess.Name), strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 1 {
		t.Fatalf("%d snapshots, want 1: different commands are no loop", len(snaps))
	}
	var pids []uint64
	for _, p := range snaps[0].Processes {
		pids = append(pids, p.PID)
	}
	if diff := cmp.Diff([]uint64{4100, 4200}, pids); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	// The same command typed again is a run again.
	again := "PS C:\\> Get-Process -Id 4100\n" + header +
		"    300      20    11000      21000       0.50   4100   1 contoso\n" +
		"PS C:\\> get-process  -Id 4100\n" + header +
		"    340      20    11000      21000       0.50   4100   1 contoso\n"
	snaps, err = getprocess.ReadSeries(facts.NewSourceLog("again.txt", getprocess.Name), strings.NewReader(again))
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 2 {
		t.Errorf("%d snapshots, want 2: one command typed twice is two runs", len(snaps))
	}
}
