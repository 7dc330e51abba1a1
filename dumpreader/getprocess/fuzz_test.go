package getprocess_test

import (
	"bytes"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/facts"
)

// FuzzReadGetProcess feeds the Get-Process reader arbitrary bytes and checks what
// proctest.Fuzz says, seeded also with the parse cases.
func FuzzReadGetProcess(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.In))
	}
	proctest.Fuzz(f, dumpreader.FormatGetProcess, getprocess.Sniff, "")
}

// FuzzReadGetProcessSeries feeds ReadSeries arbitrary bytes: no panic,
// every line accounted for, at least one snapshot, each sound.
func FuzzReadGetProcessSeries(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.In))
	}
	f.Add([]byte("Monday, December 7, 2026 10:41:02 AM\n" + loopTable(1200, 812) + "Monday, December 7, 2026 10:51:02 AM\n" + loopTable(1900, 810)))
	f.Add([]byte("Montag, 7. Dezember 2026 10:41:02\n" + loopTable(1200, 812) + "07.12.2026 10:51:02\n" + loopTable(1900, 810)))
	f.Add([]byte("Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName  PSComputerName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------  --------------\n" +
		"   1200      40    10300      16156       0.20   4242   0 agent        WEB01\n" +
		"    812      33    16496      28400      92.75   2208   0 spoolsv      WEB02\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		log := facts.NewSourceLog("fuzz.txt", getprocess.Name)
		snaps, err := getprocess.ReadSeries(log, bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(snaps) == 0 {
			t.Fatal("no snapshot")
		}
		if l := log.Lines; l.Parsed+l.Ignored+l.Unrecognized != l.Total {
			t.Fatalf("lines %+v do not add up", l)
		}
		for _, s := range snaps {
			s.Sources = append(s.Sources, log.Source()) // as dumpreader gives them
			readtest.CheckSnapshot(t, s)
		}
	})
}
