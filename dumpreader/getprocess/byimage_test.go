package getprocess_test

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// TestPidlessByImage: a table without pids names processes by image. An
// image shown once is read as its process, without a pid; one shown in
// several rows, or with a pid in another table, is not (nothing tells
// its processes apart), and the diagnostic says so as a warning.
func TestPidlessByImage(t *testing.T) {
	in := "PS C:\\> Get-Process | Sort-Object Handles -Descending | Select-Object -First 5 Name,Handles\n\n" +
		"Name          Handles\n----          -------\n" +
		"sihost         261440\n" +
		"svchost          2210\n" +
		"svchost          1804\n" +
		"explorer         1489\n" +
		"lsass            1320\n\n" +
		"PS C:\\> Get-Process -Id 3520\n\n" +
		"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n" +
		"   1490      58    23732      78908              3520   1 explorer\n"
	snap := proctest.Read(t, []byte(in), "top.txt", dumpreader.FormatGetProcess)
	got := map[string]int64{}
	for _, p := range snap.Processes {
		if p.HandleCount != nil {
			got[p.Image+"/"+strconv.FormatUint(p.PID, 10)] = *p.HandleCount
		}
	}
	want := map[string]int64{"sihost.exe/0": 261440, "lsass.exe/0": 1320, "explorer.exe/3520": 1490}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	var warned bool
	for _, d := range snap.Diagnostics {
		warned = warned || d.Code == facts.CodeMissing && d.Severity == facts.SevWarning && d.Line == 5
	}
	if !warned {
		t.Errorf("no warning at line 5 that rows were not read:\n%s", proctest.Diags(snap))
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized", l)
	}
}

// TestPidlessRecord: a Format-List record without an Id (Select-Object
// Name,Handles | Format-List, or a record pasted from its Handles line
// on, the image then in its Path) is read by image as a table's row
// without a pid is, and the capture is taken for PowerShell's: before,
// the block was dropped and the capture refused as of no known format.
func TestPidlessRecord(t *testing.T) {
	in := "Handles                    : 612\n" +
		"NPM                        : 30112\n" +
		"Path                       : C:\\Program Files\\Contoso\\Contoso Agent.exe\n" +
		"Company                    : Contoso\n" +
		"HasExited                  : False\n\n" +
		"Name    : fabrikam\n" +
		"Handles : 48210\n"
	if !getprocess.Sniff([]byte(in)) {
		t.Fatalf("Sniff = false, want a Format-List of processes taken for getprocess's")
	}
	snap := proctest.Read(t, []byte(in), "fl.txt", dumpreader.FormatGetProcess)
	got := map[string]int64{}
	paths := map[string]string{}
	for _, p := range snap.Processes {
		if p.HandleCount != nil {
			got[p.Image+"/"+strconv.FormatUint(p.PID, 10)] = *p.HandleCount
			paths[p.Image] = p.Path
		}
	}
	want := map[string]int64{"Contoso Agent.exe/0": 612, "fabrikam.exe/0": 48210}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if p := paths["Contoso Agent.exe"]; p != "C:\\Program Files\\Contoso\\Contoso Agent.exe" {
		t.Errorf("path %q, want the record's", p)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
		t.Errorf("lines %+v, want none unrecognized", l)
	}
}
