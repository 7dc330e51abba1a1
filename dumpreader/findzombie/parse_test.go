package findzombie

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// readText reads text as a capture named z.txt.
func readText(t *testing.T, text string) *facts.Snapshot {
	t.Helper()
	b := facts.NewBuilder()
	log := facts.NewSourceLog("z.txt", Name)
	if err := Read(b, log, strings.NewReader(text)); err != nil {
		t.Fatalf("Read: %v", err)
	}
	b.AddSource(log)
	return b.Snapshot()
}

// holder is what a test expects of one holder.
type holder struct {
	PID                     uint64
	Image, Path             string
	Zombies, Procs, Threads int64
	Images                  string // "count name, ..."
}

func holders(snap *facts.Snapshot) []holder {
	var out []holder
	for _, p := range snap.Processes {
		var imgs []string
		for _, n := range p.ZombieImages {
			if n.Type != "Process" {
				imgs = append(imgs, "type "+n.Type)
			}
			imgs = append(imgs, fmt.Sprintf("%d %s", n.Count, n.Name))
		}
		out = append(out, holder{p.PID, p.Image, p.Path, p.ZombiesHeld, p.HandlesToExitedProcesses, p.HandlesToExitedThreads, strings.Join(imgs, ", ")})
	}
	return out
}

func diagCodes(snap *facts.Snapshot) []string {
	var out []string
	for _, d := range snap.Diagnostics {
		out = append(out, fmt.Sprintf("%d:%s", d.Line, d.Code))
	}
	sort.Strings(out)
	return out
}

func TestGenerations(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		lines facts.LineCounts
		want  []holder
		diags []string
	}{{
		name: "first generation: counts of handles, images only",
		text: "12 total zombie processes.\n" +
			"    10 zombies held by agent.exe(700)\n" +
			"        7 zombies of helper.exe\n" +
			"        3 zombies of cmd.exe\n" +
			"    2 zombies held by services.exe(640)\n" +
			"        1 zombie of a b.exe\n" +
			"        1 zombie of c.exe\n" +
			"Pass -verbose to get full zombie names.\n",
		lines: facts.LineCounts{Total: 8, Parsed: 7, Ignored: 1},
		want: []holder{
			{PID: 640, Image: "services.exe", Zombies: 2, Procs: 2, Images: "1 a b.exe, 1 c.exe"},
			{PID: 700, Image: "agent.exe", Zombies: 10, Procs: 10, Images: "7 helper.exe, 3 cmd.exe"},
		},
	}, {
		name: "middle generation: process and thread handles per image",
		text: "5 total zombie processes.\n" +
			"    6 zombies held by agent.exe(700)\n" +
			"        4 zombies of helper.exe (process: 4 - thread: 4)\n" +
			"        2 zombies of helper.exe (process: 2 - thread: 0)\n",
		lines: facts.LineCounts{Total: 4, Parsed: 4},
		want:  []holder{{PID: 700, Image: "agent.exe", Zombies: 6, Procs: 6, Threads: 4, Images: "6 helper.exe"}},
	}, {
		name: "latest generation: zombie threads, verbose paths, an unnamed holder, typographic dashes",
		text: "WARNING: Can\u2019t enable debug privilege. Some zombies may not be found. Run as admin for full results.\n" +
			"23 total zombie processes.\n" +
			"14 total zombie threads.\n" +
			"    11 zombies held by C:\\Program Files (x86)\\HP\\doctor.exe(5080)\n" +
			"        11 zombies of C:\\Program Files\\HP\\upd.exe - process handle count: 11 - thread handle count: 11\n" +
			"    1 zombie held by Unknown(8620)\n" +
			"        1 zombie of wsl.exe \u2013 process handle count: 1 \u2013 thread handle count: 0\n" +
			"\n" +
			"See this for more details on handle leaks in processes: https://example.invalid/zombies\n",
		lines: facts.LineCounts{Total: 9, Parsed: 7, Ignored: 2},
		want: []holder{
			{PID: 5080, Image: "doctor.exe", Path: `C:\Program Files (x86)\HP\doctor.exe`, Zombies: 11, Procs: 11, Threads: 11, Images: "11 upd.exe"},
			{PID: 8620, Zombies: 1, Procs: 1, Images: "1 wsl.exe"},
		},
		diags: []string{"1:tool-note", "7:repaired"},
	}, {
		name: "the tool's note that a driver holds the zombies",
		text: "400 total zombie processes.\n" +
			"0 total zombie threads.\n" +
			"    2 zombies held by svc.exe(12)\n" +
			"        2 zombies of x.exe - process handle count: 2 - thread handle count: 0\n" +
			"\n" +
			"2 of 400 process zombies accounted for.\n" +
			"0 of 0 thread zombies accounted for.\n" +
			"This suggests a thread or process handle leak in a driver, rather than a process.\n" +
			"See this for more details on handle leaks in drivers: https://example.invalid/drivers\n",
		lines: facts.LineCounts{Total: 9, Parsed: 7, Ignored: 2},
		want:  []holder{{PID: 12, Image: "svc.exe", Zombies: 2, Procs: 2, Images: "2 x.exe"}},
		diags: []string{"6:tool-note", "7:tool-note", "8:tool-note"},
	}, {
		name:  "no zombies",
		text:  "0 total zombie processes.\nNo zombies found. Maybe all software is working correctly, but I doubt it. More likely the zombie counting process failed for some reason. Please try again.\nPress any key to continue",
		lines: facts.LineCounts{Total: 3, Parsed: 2, Ignored: 1},
		diags: []string{"2:tool-note"},
	}, {
		name: "a prompt glued to a fence, a cut list, an elision of dots",
		text: "```C:\\tools>FindZombieHandles.exe\n" +
			"30 total zombie processes.\n" +
			"    30 zombies held by a.exe(4)\n" +
			"        20 zombies of b.exe\n" +
			".\n.\n.\n```\n",
		lines: facts.LineCounts{Total: 8, Parsed: 4, Ignored: 4},
		want:  []holder{{PID: 4, Image: "a.exe", Zombies: 30, Procs: 30, Images: "20 b.exe"}},
		diags: []string{"3:count-mismatch", "5:elision"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readText(t, tc.text)
			if diff := cmp.Diff(tc.lines, snap.Sources[0].Lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, holders(snap)); diff != "" {
				t.Errorf("holders (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.diags, diagCodes(snap)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, snap.Diagnostics)
			}
		})
	}
}

// TestDamaged: what the reader does with lines it cannot trust.
func TestDamaged(t *testing.T) {
	text := "        3 zombies of early.exe\n" + // before any holder
		"    5 zombies held by svc.exe(40)\n" +
		"        9 zombies of many.exe\n" + // more than stated
		"    5 zombies held by svc.exe(40)\n" + // a second run
		"        5 zombies of again.exe\n" +
		"    7 zombies held by nopid.exe\n" +
		"    7 zombies held by bad.exe(12x)\n" +
		"        2 zombies of x.exe (process: two - thread: 0)\n" +
		"    99999999999999999999 zombies held by huge.exe(1)\n" +
		"Some exception message the tool printed.\n"
	snap := readText(t, text)
	want := facts.LineCounts{Total: 10, Parsed: 5, Unrecognized: 5}
	if diff := cmp.Diff(want, snap.Sources[0].Lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	wantHolders := []holder{{PID: 40, Image: "svc.exe", Zombies: 5, Procs: 5, Images: "9 many.exe"}}
	if diff := cmp.Diff(wantHolders, holders(snap)); diff != "" {
		t.Errorf("holders (-want +got):\n%s", diff)
	}
	wantDiags := []string{"10:unrecognized-line", "1:handle-without-process", "2:count-mismatch", "4:repeated-holder",
		"6:unrecognized-line", "7:unrecognized-line", "8:unrecognized-line", "9:unrecognized-line"}
	if diff := cmp.Diff(wantDiags, diagCodes(snap)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestUnescapeName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\\Build\\agent\.worker\.exe`: `C:\Build\agent.worker.exe`,
		`C:\Program Files\x.exe`:        `C:\Program Files\x.exe`,
		`\\\\srv\\share\\a\_b.exe`:      `\\srv\share\a_b.exe`,
		`\\srv\share\a.exe`:             `\\srv\share\a.exe`,
		`svchost.exe`:                   `svchost.exe`,
	} {
		if got := unescapeName(in); got != want {
			t.Errorf("unescapeName(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestImagesBounded: a holder with more distinct images than are kept
// still counts every zombie, and lists the most held.
func TestImagesBounded(t *testing.T) {
	var b strings.Builder
	n := zombieImageLimitForTest + 10
	fmt.Fprintf(&b, "%d zombies held by big.exe(8)\n", n+99)
	fmt.Fprintf(&b, "100 zombies of top.exe\n")
	for i := 0; i < n-1; i++ {
		fmt.Fprintf(&b, "1 zombie of img%d.exe\n", i)
	}
	snap := readText(t, b.String())
	p := snap.Processes[0]
	if p.ZombiesHeld != int64(n+99) || p.HandlesToExitedProcesses != int64(n+99) {
		t.Errorf("zombies %d, handles %d, want %d", p.ZombiesHeld, p.HandlesToExitedProcesses, n+99)
	}
	if len(p.ZombieImages) != facts.TopNamesLimit || p.ZombieImages[0].Name != "top.exe" {
		t.Errorf("images %v, want %d with top.exe first", p.ZombieImages, facts.TopNamesLimit)
	}
}

// zombieImageLimitForTest is the number of distinct images facts keeps
// per holder while reading (facts.zombieImageLimit).
const zombieImageLimitForTest = 4096

func TestSniff(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"341592 total zombie processes.\n", true},
		{"    339424 zombies held by synergyd.exe(4076)\n        169712 zombies of syntool.exe\n", true},
		{"Some prose: 12 zombies held by a.exe(1) says the ticket.\n", false},
		{"    339424 zombies held by synergyd.exe(4076)\n", false},
		{"0: kd> !process 0 0\n", false},
		{"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n", false},
		{"The tool prints N zombies of IMAGE per holder.\n", false},
	}
	for _, tc := range tests {
		if got := Sniff([]byte(tc.text)); got != tc.want {
			t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
