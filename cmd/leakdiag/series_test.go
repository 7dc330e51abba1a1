package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seriesProc is a process of a generated capture: its handles by type.
type seriesProc struct {
	pid    int
	image  string
	addr   string
	byType [][2]any // {type, count}
}

// kdCapture writes a kd capture of FILESRV01 at a time: the banner with the
// machine name and session time, `!process 0 0`, and `!handle 0 3` of
// each process.
func kdCapture(t *testing.T, path, sessionTime string, procs []seriesProc) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "Windows 10 Kernel Version 20348 MP (8 procs) Free x64\nMachine Name: FILESRV01\nDebug session time: %s\n", sessionTime)
	b.WriteString("0: kd> !process 0 0\n**** NT ACTIVE PROCESS DUMP ****\n")
	total := func(p seriesProc) int {
		n := 0
		for _, tc := range p.byType {
			n += tc[1].(int)
		}
		return n
	}
	for _, p := range procs {
		fmt.Fprintf(&b, "PROCESS %s\n    SessionId: 0  Cid: %04x    Peb: 00000000  ParentCid: 0004\n    DirBase: 001ad002  ObjectTable: ffffc4613ec3%04x  HandleCount: %d.\n    Image: %s\n\n",
			p.addr, p.pid, p.pid, total(p), p.image)
	}
	for _, p := range procs {
		fmt.Fprintf(&b, "0: kd> !handle 0 3 %s\n\nPROCESS %s\n    SessionId: 0  Cid: %04x    Peb: 00000000  ParentCid: 0004\n    DirBase: 001ad002  ObjectTable: ffffc4613ec3%04x  HandleCount: %d.\n    Image: %s\n\nHandle table at ffffc4613ec3%04x with %d entries in use\n\n",
			p.addr, p.addr, p.pid, p.pid, total(p), p.image, p.pid, total(p))
		v := 4
		for _, tc := range p.byType {
			for range tc[1].(int) {
				obj := fmt.Sprintf("ffffc461%08x", v*16+p.pid)
				fmt.Fprintf(&b, "%04x: Object: %s  GrantedAccess: 001f0003 Entry: ffffc460bc7%05x\nObject: %s  Type: (fffff9852c644a00) %s\n    ObjectHeader: %s (new version)\n        HandleCount: 1  PointerCount: 1\n\n",
					v, obj, v, obj, tc[0], obj)
				v += 4
			}
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// seriesCaptures writes three captures of one machine an hour apart: the
// Contoso agent gains 2,500 Event handles an hour; SQL Server, busier,
// stays flat; others do not change.
func seriesCaptures(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, events := range []int{1000, 3500, 6000} {
		procs := []seriesProc{
			{4, "System", "ffffb30c1a29c040", [][2]any{{"Process", 150}, {"Key", 80}}},
			{0x2a4, "svchost.exe", "ffffb30c1d1e8080", [][2]any{{"Event", 300}, {"Key", 120}, {"ALPC Port", 40}}},
			{0x5e0, "sqlservr.exe", "ffffb30c1f3a1080", [][2]any{{"Event", 6000 + 10*i}, {"File", 4000}, {"Key", 2000 - 10*i}}},
			{0x9b8, "ContosoAgent.exe", "ffffb30c20b44080", [][2]any{{"Event", events}, {"Key", 300}}},
		}
		p := filepath.Join(dir, fmt.Sprintf("filesrv01-%d.txt", i+1))
		kdCapture(t, p, fmt.Sprintf("Fri Nov 27 %02d:00:00.000 2026 (UTC + 0:00)", 8+i), procs)
		paths = append(paths, p)
	}
	return paths
}

// TestAnalyzeSeriesGrowerFirst: three kd captures of one machine (the same
// host, times from the captures) form a series; the process that grows by
// thousands of Event handles an hour ranks first, above a busier one that
// stays flat, and the report says so with the growth.
func TestAnalyzeSeriesGrowerFirst(t *testing.T) {
	paths := seriesCaptures(t)
	code, out, errOut := runCLI(t, append([]string{"analyze", "--format", "json"}, paths...)...)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Process  struct {
				Image   string `json:"image"`
				Handles int64
			} `json:"process"`
			Evidence []struct{ Name, Value string } `json:"evidence"`
		} `json:"findings"`
		Summary struct {
			Series *struct {
				Points []struct{ Time string } `json:"points"`
				Hours  float64                 `json:"hours"`
				Reason string                  `json:"reason"`
			} `json:"series"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Series == nil || len(rep.Summary.Series.Points) != 3 || rep.Summary.Series.Hours != 2 {
		t.Fatalf("series summary %+v, want three points two hours apart", rep.Summary.Series)
	}
	if want := "they name the same host, FILESRV01"; rep.Summary.Series.Reason != want {
		t.Errorf("series reason %q, want %q", rep.Summary.Series.Reason, want)
	}
	f := rep.Findings[0]
	if f.RuleID != "LD0013" || f.Process.Image != "ContosoAgent.exe" || !strings.Contains(f.Message, "gained 5,000 handles over 3 captures") {
		t.Errorf("first finding %s %s: %s; want LD0013 on ContosoAgent.exe", f.RuleID, f.Process.Image, f.Message)
	}
	var growth string
	for _, e := range f.Evidence {
		if e.Name == "growth" {
			growth = e.Value
		}
	}
	if growth != "+5,000 handles over 2.0 hours (+2,500/h, rising at every capture)" {
		t.Errorf("growth evidence %q", growth)
	}
	for _, g := range rep.Findings {
		if g.Process.Image == "sqlservr.exe" && (g.RuleID == "LD0013" || g.RuleID == "LD0014") {
			t.Errorf("the flat busy process has a growth finding: %+v", g)
		}
	}
	// Without the host names, --series and --at say the same.
	code, out, _ = runCLI(t, "analyze", "--format", "json", "--series",
		"--at", paths[0]+"=2026-11-27 08:00", paths[0], paths[1], paths[2])
	if code != 1 || !strings.Contains(out, `"rule_id": "LD0013"`) {
		t.Errorf("--series: exit %d\n%.500s", code, out)
	}
	if code, _, errOut := runCLI(t, "analyze", "--at", "nope.txt=2026-11-27 08:00", paths[0], paths[1]); code != 2 || !strings.Contains(errOut, "not one of the captures") {
		t.Errorf("--at of another file: exit %d %s", code, errOut)
	}
}

// TestDiffGolden: `leakdiag diff` of the first and last captures, in each
// format, against testdata/diff/*.
func TestDiffGolden(t *testing.T) {
	paths := seriesCaptures(t)
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := runCLI(t, "diff", "--format", format, paths[0], paths[2])
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			// The captures are written to a temporary directory.
			out = strings.ReplaceAll(out, filepath.Dir(paths[0]), "CAPTURES")
			checkCLIGolden(t, filepath.Join("testdata", "diff", "filesrv01."+map[string]string{"text": "txt", "json": "json", "markdown": "md"}[format]), out)
		})
	}
	if code, _, errOut := runCLI(t, "diff", "--format", "html", paths[0], paths[2]); code != 2 || !strings.Contains(errOut, "diff writes text, json, markdown") {
		t.Errorf("--format html: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "diff", "--fail-on", "error", paths[0], paths[2]); code != 1 {
		t.Errorf("--fail-on error with an LD0013 finding: exit %d %s", code, errOut)
	}
}

// sameProcs holds captures under testdata/series: same/ is one machine
// that names no host, three hours of `!process 0 0` (and a README); the
// others share some of its processes but are no series with it.
const sameProcs = "testdata/series/"

// TestAnalyzeSeriesBySameProcesses: captures that name no host but show
// the same processes are read as a series, and the report says why; the
// grower ranks first with its growth (golden, text).
func TestAnalyzeSeriesBySameProcesses(t *testing.T) {
	code, out, errOut := runCLI(t, "analyze", "--fail-on", "never", sameProcs+"same")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkCLIGolden(t, sameProcs+"same.text", out)
	for _, want := range []string{
		"captures read as one machine over time: they name no host and show the same 5 processes",
		"LD0013", "fabrikam-sync.exe (pid 2488) gained 5,000 handles over 3 captures",
		"same/README.md: skipped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestAnalyzeNoSeriesByChance: captures that share some processes, one
// pid under another image, or too few processes to tell, stay a batch.
func TestAnalyzeNoSeriesByChance(t *testing.T) {
	for _, tc := range []struct{ name, a, b string }{
		{"another machine, 2 of 5 processes in common", "same/0800.txt", "other-host.txt"},
		{"a pid under another image", "same/0800.txt", "reused-pid.txt"},
		{"two processes each", "tiny-1.txt", "tiny-2.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "analyze", "--fail-on", "never", sameProcs+tc.a, sameProcs+tc.b)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, "2 captures: 2 analysed") || strings.Contains(out, "series of") {
				t.Errorf("not a batch of two:\n%s", out)
			}
		})
	}
	// --series=false keeps one machine's captures a batch.
	code, out, _ := runCLI(t, "analyze", "--fail-on", "never", "--series=false", sameProcs+"same")
	if code != exitOK || !strings.Contains(out, "3 captures: 3 analysed") {
		t.Errorf("--series=false: exit %d:\n%s", code, out)
	}
	// --series still says they are one machine.
	code, out, _ = runCLI(t, "analyze", "--fail-on", "never", "--series", sameProcs+"tiny-1.txt", sameProcs+"tiny-2.txt")
	if code != exitOK || !strings.Contains(out, "captures read as one machine over time: --series says so") {
		t.Errorf("--series: exit %d:\n%s", code, out)
	}
}
