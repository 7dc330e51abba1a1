package osquery_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// read reads text as osqueryi output.
func read(t *testing.T, text string) *facts.Snapshot {
	t.Helper()
	return proctest.Read(t, []byte(text), "t.txt", dumpreader.FormatOsquery)
}

// summary lists each process as "pid image count ppid path start".
func summary(snap *facts.Snapshot) []string {
	var out []string
	for _, p := range snap.Processes {
		out = append(out, fmt.Sprintf("%d %s %s %d %s %s", p.PID, p.Image, proctest.Count(p.HandleCount), p.PPID, p.Path, p.CreateTime))
	}
	return out
}

// TestModes reads one row in each output mode.
func TestModes(t *testing.T) {
	snap := read(t, "osquery> .mode json\n"+ // 1
		"osquery> select * from processes;\n"+ // 2
		"[\n"+ // 3
		"  {\"pid\":\"10\",\"name\":\"a.exe\",\"handle_count\":\"100\",\"parent\":\"4\",\"start_time\":\"86400\"},\n"+ // 4
		"  {\n"+ // 5
		"    \"pid\": \"11\",\n"+ // 6
		"    \"name\": \"b.exe\",\n"+ // 7
		"    \"handle_count\": \"-1\"\n"+ // 8
		"  }\n"+ // 9
		"]\n"+ // 10
		"pid,name,handle_count,path\n"+ // 11: --separator ,
		"12,c.exe,300,C:\\c.exe\n"+ // 12
		"\n"+ // 13
		"   pid = 13\n"+ // 14
		"  name = d.exe\n"+ // 15
		"handle_count = 400\n") // 16
	want := []string{
		"10 a.exe 100 4  1970-01-02T00:00:00Z",
		"11 b.exe - 0  ",
		"12 c.exe 300 0 C:\\c.exe ",
		"13 d.exe 400 0  ",
	}
	if diff := cmp.Diff(want, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l != (facts.LineCounts{Total: 16, Parsed: 15, Ignored: 1}) {
		t.Errorf("lines %+v", l)
	}
	if len(snap.Diagnostics) != 0 {
		t.Errorf("diagnostics %v, want none", proctest.DiagLines(snap))
	}
}

// TestHostileBox: rows that do not fit their header, a cell holding the
// separator, broken JSON, a JSON object cut short.
func TestHostileBox(t *testing.T) {
	snap := read(t, "+----+-------+--------------+\n"+ // 1
		"| pid | name | handle_count |\n"+ // 2: not aligned with the border: cut at '|'
		"+----+-------+--------------+\n"+ // 3
		"| 1  | a|b   | 5            |\n"+ // 4: aligned: the cell keeps its '|'
		"| 2 | c | d | 6 |\n"+ // 5
		"| 3 | e | 99999999999999999999999 |\n"+ // 6
		"+----+-------+--------------+\n"+ // 7
		"{\"pid\": 4, \"name\": nope}\n"+ // 8
		"{\n"+ // 9
		"  \"pid\": \"5\",\n") // 10
	want := []string{"1 a|b 5 0  ", "3 e - 0  "}
	if diff := cmp.Diff(want, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l != (facts.LineCounts{Total: 10, Parsed: 8, Unrecognized: 2}) {
		t.Errorf("lines %+v", l)
	}
	wantDiags := []string{"5:cell-count", "5:unrecognized-line", "6:missing-value", "8:bad-json", "8:unrecognized-line", "9:truncated-block"}
	if diff := cmp.Diff(wantDiags, proctest.DiagLines(snap)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestJSONOneLine: --json output whose line breaks were lost.
func TestJSONOneLine(t *testing.T) {
	snap := read(t, `[{"pid":"1","name":"a","handle_count":"5"},{"pid":"2","name":"b","handle_count":"6"}]`+"\n")
	if diff := cmp.Diff([]string{"1 a 5 0  ", "2 b 6 0  "}, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l != (facts.LineCounts{Total: 1, Parsed: 1}) {
		t.Errorf("lines %+v", l)
	}
}
