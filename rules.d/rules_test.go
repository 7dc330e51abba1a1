package rulesd_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
	rulesd "github.com/leakdiag/leakdiag/rules.d"
	"github.com/leakdiag/leakdiag/severity"
)

// The default rules are tested through the path a capture takes: the
// embedded rule files are loaded as leakdiag loads them, snapshots are
// built with facts.Builder the way the kd reader builds them (a PROCESS
// block sets pid, image and HandleCount, a `!handle` dump adds each handle
// and sets the table's entries in use), and engine.Run reports findings.
// A case names every finding it expects as "RULE pid N" (or "RULE capture"
// for a snapshot-scope rule), so a rule firing where it should not is
// caught as surely as one staying quiet.

// ---------------------------------------------------------------------------
// Loading and running.

// loadRules loads the embedded default rules, then each site file in
// order, layered on them.
func loadRules(t *testing.T, site ...string) *rules.Set {
	t.Helper()
	srcs, err := rules.ReadDir(rulesd.FS, ".")
	if err != nil {
		t.Fatalf("reading the default rules: %v", err)
	}
	if len(srcs) == 0 {
		t.Fatal("no default rule files embedded")
	}
	for i, s := range site {
		srcs = append(srcs, rules.Source{Path: fmt.Sprintf("site/%02d-site.yaml", i), Data: []byte(s)})
	}
	set, err := rules.Load(srcs)
	if err != nil {
		t.Fatalf("loading the rules: %v", err)
	}
	return set
}

// run evaluates set over snap and fails the test on any rule error: a rule
// that cannot be evaluated is as bad as a wrong one.
func run(t *testing.T, set *rules.Set, snap *facts.Snapshot) *engine.Report {
	t.Helper()
	rep, err := engine.Run(context.Background(), set, snap, engine.Options{})
	if err != nil {
		t.Fatalf("engine.Run: %v", err)
	}
	for _, e := range rep.Errors {
		t.Errorf("rule %s failed for pid %d: %s (and %d more)", e.RuleID, e.PID, e.Message, e.More)
	}
	return rep
}

// fired lists the findings of rep as "RULE pid N" or "RULE capture",
// sorted.
func fired(rep *engine.Report) []string {
	out := []string{}
	for _, f := range rep.Findings {
		if f.Process == nil {
			out = append(out, f.RuleID+" capture")
			continue
		}
		out = append(out, fmt.Sprintf("%s pid %d", f.RuleID, f.Process.PID))
	}
	sort.Strings(out)
	return out
}

// checkFired compares the findings of rep with want (in any order).
func checkFired(t *testing.T, rep *engine.Report, want []string) {
	t.Helper()
	w := append([]string{}, want...)
	sort.Strings(w)
	if got := fired(rep); !cmp.Equal(got, w) {
		t.Errorf("fired %v, want %v", got, w)
		for _, f := range rep.Findings {
			t.Logf("  #%d %s %s: %s", f.Rank, f.RuleID, f.Severity, f.Message)
		}
	}
}

// ---------------------------------------------------------------------------
// A healthy, busy server.

// TestHealthyBusyMachine runs the defaults over a busy, healthy server
// (a SQL Server and IIS host with an interactive session) whose capture
// is complete. No rule may fire: not a warning, and not LD0008 either,
// since every process has its count and its whole table dumped.
func TestHealthyBusyMachine(t *testing.T) {
	m := newMachine()
	services := base(m, 4600)
	var svchosts []uint64
	for i, n := range []int{1020, 840, 2100, 430, 612, 388, 275, 190, 745, 1310, 520, 240} {
		svchosts = append(svchosts, addrOf(m.proc(uint64(812+56*i), 700, 0, "svchost.exe", typical(n))))
	}
	others := []struct {
		pid, ppid uint64
		session   int64
		image     string
		hs        []hs
	}{
		{1504, 700, 0, "spoolsv.exe", typical(430)},
		{1620, 700, 0, "MsMpEng.exe", typical(1450)},
		{1688, 700, 0, "sqlservr.exe", server(4300)},
		{1712, 700, 0, "SQLAGENT.EXE", typical(480)},
		{1740, 700, 0, "vmtoolsd.exe", typical(380)},
		{1768, 700, 0, "ContosoAgent.exe", typical(640)},
		{2108, 700, 0, "w3wp.exe", server(1210)},
		{2344, 700, 0, "w3wp.exe", server(1050)},
		{2420, 868, 0, "WmiPrvSE.exe", typical(520)},
		{2896, 868, 0, "WmiPrvSE.exe", typical(340)},
		{3012, 868, 0, "dllhost.exe", typical(210)},
		{3100, 700, 0, "SearchIndexer.exe", typical(1050)},
		{3240, 700, 0, "NisSrv.exe", typical(260)},
		{900, 564, 0, "fontdrvhost.exe", typical(40)},
		{908, 648, 1, "fontdrvhost.exe", typical(38)},
		{1236, 648, 1, "dwm.exe", desktop(1120)},
		{4012, 4000, 1, "explorer.exe", desktop(2800)},
		{4120, 812, 1, "sihost.exe", desktop(560)},
		{4188, 1036, 1, "taskhostw.exe", desktop(310)},
		{4404, 868, 1, "RuntimeBroker.exe", desktop(320)},
		{4560, 868, 1, "RuntimeBroker.exe", desktop(410)},
		{4772, 868, 1, "RuntimeBroker.exe", desktop(280)},
		{4896, 1036, 1, "ctfmon.exe", desktop(420)},
		{5204, 4012, 1, "msedge.exe", desktop(3100)},
		{5240, 5204, 1, "msedge.exe", desktop(420)},
		{5296, 5204, 1, "msedge.exe", desktop(380)},
		{5380, 5204, 1, "msedge.exe", desktop(260)},
		{5412, 5204, 1, "msedge.exe", desktop(610)},
		{5468, 5204, 1, "msedge.exe", desktop(240)},
		{5620, 4012, 1, "cmd.exe", typical(70)},
		{5628, 5620, 1, "conhost.exe", typical(95)},
		{5804, 4012, 1, "powershell.exe", typical(610)},
		{5812, 5804, 1, "conhost.exe", typical(90)},
	}
	byPID := map[uint64]*facts.ProcessBuilder{}
	for _, o := range others {
		byPID[o.pid] = m.proc(o.pid, o.ppid, o.session, o.image, o.hs)
	}
	// services.exe holds a handle to each service host and one to a
	// scan that has just exited; explorer.exe one to a thread that has
	// ended: a handful, as on any machine, not a leak.
	scan := m.exited(6240, 1620, 0, "MpCmdRun.exe")
	m.add(services, hs{typ: "Process", n: len(svchosts), objs: svchosts}, hs{typ: "Process", n: 1, objs: []uint64{scan}})
	explorer := byPID[4012]
	m.add(explorer, hs{typ: "Thread", n: 1, objs: []uint64{m.terminatedThread(explorer)}})

	snap := m.snapshot()
	if len(snap.Processes) < 40 {
		t.Fatalf("%d processes, want a busy machine of 40 or more", len(snap.Processes))
	}
	var largest int64
	for _, p := range snap.Processes {
		if p.HandleCount == nil {
			t.Fatalf("%s (pid %d) has no handle count", p.Image, p.PID)
		}
		largest = max(largest, *p.HandleCount)
	}
	if largest < 2000 || largest >= 10000 {
		t.Fatalf("largest handle count %d, want a few thousand", largest)
	}
	rep := run(t, loadRules(t), snap)
	for _, f := range rep.Findings {
		if f.Severity.AtLeast(severity.Warning) {
			t.Errorf("%s %s on a healthy machine: %s", f.RuleID, f.Severity, f.Message)
		}
	}
	checkFired(t, rep, nil)
}

// ---------------------------------------------------------------------------
// The seed, with a leaking third-party service.

// xp is the handle table of a Windows XP / Server 2003 service process.
func xp(n int) []hs {
	return mix(n, []part{
		{"Event", 34, 0.15, eventNames},
		{"Key", 14, 1, keyNames},
		{"File", 12, 0.9, fileNames},
		{"Semaphore", 8, 0.1, semNames},
		{"Thread", 10, 0, nil},
		{"Port", 6, 0.3, alpcNames},
		{"Section", 5, 0.5, sectionNames},
		{"Mutant", 4, 0.5, mutantNames},
		{"Token", 2, 0, nil},
		{"IoCompletion", 2, 0, nil},
		{"Timer", 1, 0, nil},
		{"KeyedEvent", 1, 1, []string{"CritSecOutOfMemoryEvent"}},
		{"Directory", 1, 1, dirNames},
	})
}

// TestSeedWithLeakingAgent reads the capture of the post that started
// leakdiag (`!process 0 0` of five processes, and 3 of the 21 handles of
// smss.exe), with a third-party service that holds 40,000 handles, 36,000
// of them to one registry key, its table dumped whole. The report must
// name the agent first, and Contoso from the key's path.
func TestSeedWithLeakingAgent(t *testing.T) {
	m := newMachine()
	m.listedAt("8a5295f0", 0x4, 0x0, -1, "System", 1056)
	// .process -p -r 897e6c00; !handle: 21 entries in use, 3 shown.
	smss := m.blockAt("897e6c00", 0x4fc, 0x4, -1, "smss.exe")
	m.add(smss, hs{typ: "KeyedEvent", n: 1, names: []string{"CritSecOutOfMemoryEvent"}},
		hs{typ: "File", n: 1, names: []string{`\WINDOWS {HarddiskVolume1}`}},
		hs{typ: "Port", n: 1, names: []string{"SmApiPort"}})
	setCounts(smss, 21, 21)
	m.listedAt("89a26da0", 0x52c, 0x4fc, 0, "csrss.exe", 691)
	m.listedAt("890f0da0", 0x548, 0x4fc, 0, "winlogon.exe", 986)
	m.listedAt("89a345a0", 0x574, 0x548, 0, "services.exe", 396)
	// !handle 0 f 89b2c020: HandleCount and entries in use 40,000, all shown.
	agent := m.blockAt("89b2c020", 0x6f0, 0x574, 0, "ContosoAgent.exe")
	m.add(agent, join([]hs{{typ: "Key", n: 36000, names: []string{leaky}}}, xp(4000))...)
	setCounts(agent, 40000, 40000)

	rep := run(t, loadRules(t), m.snapshot())
	// The agent's count, its type skew and its one key; the info that the
	// dump of smss.exe shows 3 of 21 handles.
	checkFired(t, rep, []string{"LD0001 pid 1776", "LD0003 pid 1776", "LD0004 pid 1776", "LD0008 capture"})
	if len(rep.Findings) == 0 {
		t.Fatal("no findings")
	}
	first := rep.Findings[0]
	if first.Rank != 1 || first.Process == nil || first.Process.PID != 0x6f0 || first.Process.Image != "ContosoAgent.exe" {
		t.Errorf("first finding %d %s about %+v, want rank 1 about ContosoAgent.exe (pid 1776)", first.Rank, first.RuleID, first.Process)
	}
	got := [3]string{first.Component.Name, first.Component.Vendor, string(first.Component.InferredFrom)}
	if want := [3]string{"Contoso Agent", "Contoso", "object_name:registry"}; got != want {
		t.Errorf("first finding's component (name, vendor, inferred from) %q, want %q; reason: %s", got, want, first.Component.Reason)
	}
	for _, f := range rep.Findings {
		if f.Severity.AtLeast(severity.Warning) && (f.Process == nil || f.Process.PID != 0x6f0) {
			t.Errorf("#%d %s is a %s about %+v, want warnings about the agent only", f.Rank, f.RuleID, f.Severity, f.Process)
		}
	}
	if !strings.Contains(first.Message, "40,000") {
		t.Errorf("first finding's message %q does not give the agent's 40,000 handles", first.Message)
	}
}

// ---------------------------------------------------------------------------
// Site files retune the defaults.

// siteMachine: a backup service over the default threshold, the leaking
// agent, store.exe and an in-house database busy but each under its own
// expectation, and a svchost.exe at 3x its siblings.
func siteMachine(m *machine) {
	base(m, 2600)
	m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(12000))
	m.proc(2240, 700, 0, "ContosoAgent.exe", []hs{{typ: "Key", n: 36000, names: []string{leaky}}}, typical(4000))
	m.proc(6844, 700, 0, "store.exe", server(50000))
	m.proc(7020, 700, 0, "ourdb.exe", server(60000))
	for i, n := range []int{700, 800, 750, 2250} {
		m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
	}
}

func TestSiteFilesRetuneDefaults(t *testing.T) {
	defaults := []string{"LD0001 pid 2240", "LD0001 pid 3412", "LD0001 pid 7020", "LD0003 pid 2240", "LD0004 pid 2240"}
	cases := []struct {
		name string
		site []string
		want []string
	}{
		{"no site file", nil, defaults},
		{"LD0001 threshold raised to 50,000", []string{
			"rules: [{id: LD0001, override: true, params: {threshold: 50000}}]",
		}, []string{"LD0001 pid 7020", "LD0003 pid 2240", "LD0004 pid 2240"}},
		{"LD0001 threshold lowered to 2,000", []string{
			"rules:\n  - id: LD0001\n    override: true\n    params:\n      threshold: 2000\n",
		}, append(append([]string{}, defaults...), "LD0001 pid 920")},
		{"the later of two site files wins", []string{
			"rules: [{id: LD0001, override: true, params: {threshold: 50000}}]",
			"rules: [{id: LD0001, override: true, params: {threshold: 11000}}]",
		}, defaults},
		{"LD0001 disabled", []string{
			"rules: [{id: LD0001, override: true, enabled: false}]",
		}, []string{"LD0003 pid 2240", "LD0004 pid 2240"}},
		{"LD0004 disabled", []string{
			"rules: [{id: LD0004, override: true, enabled: false}]",
		}, []string{"LD0001 pid 2240", "LD0001 pid 3412", "LD0001 pid 7020", "LD0003 pid 2240"}},
		{"LD0003 min_share raised to 0.95", []string{
			"rules: [{id: LD0003, override: true, params: {min_share: 0.95}}]",
		}, []string{"LD0001 pid 2240", "LD0001 pid 3412", "LD0001 pid 7020", "LD0004 pid 2240"}},
		{"LD0007 min_ratio lowered to 3 and min_handles to 2,000", []string{
			"rules: [{id: LD0007, override: true, params: {min_ratio: 3, min_handles: 2000}}]",
		}, append(append([]string{}, defaults...), "LD0007 pid 920")},
		{"ourdb.exe added to heavy_thresholds at 50,000", []string{
			// 00-params.yaml: "Tables and lists from later files add to
			// these": store.exe stays a heavy image.
			"params:\n  heavy_thresholds: {ourdb.exe: 50000}\n",
		}, []string{"LD0001 pid 2240", "LD0001 pid 3412", "LD0002 pid 7020", "LD0003 pid 2240", "LD0004 pid 2240"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newMachine()
			siteMachine(m)
			checkFired(t, run(t, loadRules(t, c.site...), m.snapshot()), c.want)
		})
	}
}

// ---------------------------------------------------------------------------
// Messages.

// TestMessagesSayOnlyWhatIsKnown: a process whose types the capture does
// not give is not said to be "0%" of anything, a process without an image
// leaves no gap where the image would be, and a Linux process's handles are
// file descriptors.
func TestMessagesSayOnlyWhatIsKnown(t *testing.T) {
	set := loadRules(t)

	m := newMachine()
	m.listedAt("ffffa50c2b999080", 3412, 700, 0, "FabrikamBackupSvc.exe", 12000) // !process 0 0: a count, no types
	um := newMachine()
	nameless := um.b.Debuggee(um.pos(1)) // a user-mode summary of an unnamed process
	nameless.ReportTypeCount("Event", 26762)
	nameless.ReportTypeCount("Key", 20745)
	msgs := map[string]string{}
	for _, snap := range []*facts.Snapshot{m.snapshot(), um.snapshot()} {
		for _, f := range run(t, set, snap).Findings {
			if f.RuleID == "LD0001" {
				msgs[f.Process.Image] = f.Message
			}
		}
	}
	if got := msgs["FabrikamBackupSvc.exe"]; got == "" || strings.Contains(got, "0%") || strings.Contains(got, "makes up") {
		t.Errorf("LD0001 on a process without types: %q; want no share", got)
	}
	if got := msgs[""]; !strings.HasPrefix(got, "the process the dump was taken of holds 47,507 handles") || !strings.Contains(got, "Event makes up 56%") {
		t.Errorf("LD0001 on an unnamed debuggee: %q", got)
	}
	for image, msg := range msgs {
		if strings.Contains(msg, "  ") || strings.Contains(msg, "(pid 0)") {
			t.Errorf("LD0001 on %q: %q has a gap or a pid 0", image, msg)
		}
	}

	b := facts.NewBuilder()
	p := b.ProcessByPID(614, facts.Position{Path: "lsof.txt", Line: 2})
	p.P.Image, p.P.SocketStates = "ossfs", map[string]int64{"CLOSE_WAIT": 12, "ESTABLISHED": 3}
	// fd N is value 4N, as the lsof reader adds it (handle values keep two tag bits).
	for i := 0; i < 12000; i++ {
		p.AddHandle(&facts.Handle{Value: uint64(4*i + 12), Type: "file", Naming: facts.Named, Name: fmt.Sprintf("/tmp/f%d", i)})
	}
	log := facts.NewSourceLog("lsof.txt", "lsof")
	log.Lines = facts.LineCounts{Total: 12001, Parsed: 12001}
	b.AddSource(log)
	linux := map[string]bool{}
	for _, f := range run(t, set, b.Snapshot()).Findings {
		if f.Process == nil {
			continue
		}
		linux[f.RuleID] = true
		if strings.Contains(f.Message, "handles") || strings.Contains(f.Message, "!htrace") {
			t.Errorf("%s on a Linux process speaks of handles: %q", f.RuleID, f.Message)
		}
	}
	if !linux["LD0001"] || !linux["LD0017"] {
		t.Errorf("findings on the Linux process: %v, want LD0001 and LD0017 among them", linux)
	}
}

// TestZombieHoldersRanked: of two holders FindZombieHandles names, the
// one keeping more zombies is ranked first, whatever their order.
func TestZombieHoldersRanked(t *testing.T) {
	m := newMachine()
	base(m, 2600)
	small := m.proc(6876, 700, 0, "svchost.exe", typical(900))
	holdZombies(m, small, 1410, "Code.exe", 1058, "cmd.exe", 352)
	big := m.proc(4076, 700, 1, "synergyd.exe", typical(300))
	holdZombies(m, big, 339424, "syntool.exe", 169712, "synergys.exe", 169712)
	rep := run(t, loadRules(t), m.snapshot())
	checkFired(t, rep, []string{"LD0029 pid 4076", "LD0029 pid 6876"})
	if len(rep.Findings) == 0 || rep.Findings[0].Process == nil || rep.Findings[0].Process.PID != 4076 {
		t.Fatalf("first finding is not the holder of 339,424 zombies: %+v", rep.Findings)
	}
	var held string
	for _, e := range rep.Findings[0].Evidence {
		if e.Name == "zombies held" {
			held = e.Value
		}
	}
	if !strings.HasPrefix(held, "339,424 exited processes") {
		t.Errorf("evidence of zombies held: %q", held)
	}
	msg := rep.Findings[0].Message
	for _, want := range []string{"synergyd.exe (pid 4076)", "339,424", "169,712 of synergys.exe", "169,712 of syntool.exe"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

// TestIncompleteCaptureAdviceCoversLinux: LD0008 fires on Linux captures
// too (an lsof listing filtered by grep, a listing of /proc/PID/fd cut
// short), whose readers cannot follow advice about debuggers and
// Windows tools alone.
func TestIncompleteCaptureAdviceCoversLinux(t *testing.T) {
	r, err := loadRules(t).Rule("LD0008")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"lsof -p PID", "/proc/PID/fd", "/proc/PID/limits"} {
		if !strings.Contains(r.Remediation, want) {
			t.Errorf("LD0008's remediation does not mention %q: %q", want, r.Remediation)
		}
	}
}

// TestIncompleteCaptureSaysWhatIsMissing: LD0008 names only what a
// capture lacks. A table whose every process has its count, pasted with a
// few lines of prose, lacks no count, and its message must not say "0
// processes without a readable handle count"; counts of one are said in
// the singular.
func TestIncompleteCaptureSaysWhatIsMissing(t *testing.T) {
	tests := []struct {
		name          string
		build         func(m *machine)
		want, notWant []string
	}{
		{
			name:    "only lines unrecognized",
			build:   func(m *machine) { base(m, 2600); m.unrecognized = 3 },
			want:    []string{"3 of ", "lines not recognized"},
			notWant: []string{"readable handle count", "tables hold"},
		},
		{
			name: "a count missing, every line read",
			build: func(m *machine) {
				base(m, 2600)
				m.block(2240, 700, 0, "ContosoAgent.exe")
			},
			want:    []string{"1 process of 11 without a readable handle count."},
			notWant: []string{"not recognized", "handle dump"},
		},
		{
			name: "both",
			build: func(m *machine) {
				base(m, 2600)
				m.block(2240, 700, 0, "ContosoAgent.exe")
				m.unrecognized = 2
			},
			want: []string{"1 process of 11 without a readable handle count; 2 of ", "not recognized"},
		},
	}
	set := loadRules(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine()
			tc.build(m)
			var msg string
			for _, f := range run(t, set, m.snapshot()).Findings {
				if f.RuleID == "LD0008" {
					msg = f.Message
				}
			}
			if msg == "" {
				t.Fatal("LD0008 did not fire")
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(msg, w) {
					t.Errorf("message %q says %q", msg, w)
				}
			}
		})
	}
}

// TestPoolExhaustedMessageSaysWhatIsNotGiven: LD0024 fires on a !vm
// whose warning banner says pool is exhausted while one pool's usage row
// is missing (cut off, or printed per paged pool only). Its message must
// not turn the missing figure into "0% (-1 KB)".
// LD0011, which names the top handle holder of such a machine, says the
// same of the pools.
func TestPoolExhaustedMessageSaysWhatIsNotGiven(t *testing.T) {
	for _, tc := range []struct {
		rule  string
		build func(m *machine)
	}{
		{"LD0024", func(m *machine) {}},
		{"LD0011", func(m *machine) {
			base(m, 2600)
			m.proc(2240, 700, 0, "ContosoAgent.exe", typical(9000))
		}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			m := newMachine()
			tc.build(m)
			v := m.b.VM(m.pos(30))
			np, npMax := int64(125476), int64(127944)
			v.NonPagedPoolKB, v.NonPagedPoolMaxKB = &np, &npMax
			v.AddWarning("Excessive NonPaged Pool Usage")
			var msg string
			for _, f := range run(t, loadRules(t), m.snapshot()).Findings {
				if f.RuleID == tc.rule {
					msg = f.Message
				}
			}
			if msg == "" {
				t.Fatalf("%s did not fire", tc.rule)
			}
			for _, want := range []string{"nonpaged pool is at 98% of its maximum (125,476 KB in use)", "paged pool use is not given"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			for _, bad := range []string{"-1 KB", "at 0%"} {
				if strings.Contains(msg, bad) {
					t.Errorf("message %q says %q", msg, bad)
				}
			}
		})
	}
}

// TestZombieMessagesSayOneInTheSingular: a count of one handle is "1
// handle" in the zombie rules' messages, a larger one in the plural.
func TestZombieMessagesSayOneInTheSingular(t *testing.T) {
	set := loadRules(t)
	byID := map[string]*rules.Rule{}
	for _, r := range set.Enabled() {
		byID[r.ID] = r
	}
	snap := &facts.SnapshotFacts{ProcessCount: 2}
	for _, tc := range []struct {
		id   string
		p    facts.ProcessFacts
		want string
	}{
		{"LD0006", facts.ProcessFacts{Label: "app.exe (pid 8)", HandlesToExitedProcesses: 1, HandlesToExitedThreads: 4}, "holds 1 handle to exited processes and 4 to terminated threads"},
		{"LD0006", facts.ProcessFacts{Label: "app.exe (pid 8)", HandlesToExitedProcesses: 5, HandlesToExitedThreads: 0}, "holds 5 handles to exited processes and 0 to terminated threads"},
		{"LD0029", facts.ProcessFacts{Label: "app.exe (pid 8)", ZombiesHeld: 120, HandlesToExitedThreads: 1}, "it also holds 1 handle to their threads."},
	} {
		r := byID[tc.id]
		if r == nil {
			t.Fatalf("no rule %s", tc.id)
		}
		msg, err := r.Render(snap, &tc.p)
		if err != nil || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q (%v), want it to say %q", tc.id, msg, err, tc.want)
		}
	}
}

// TestExitedSameImageTitleNamesBothCases: LD0022 fires on a zombie shown
// with its terminated threads, and on one of several zombies of an image
// shown without threads ("No active threads"); its title, printed above
// either, names both, not the threads alone.
func TestExitedSameImageTitleNamesBothCases(t *testing.T) {
	for _, r := range loadRules(t).Enabled() {
		if r.ID == "LD0022" && (!strings.Contains(r.Title, "threads") || !strings.Contains(r.Title, "of its image")) {
			t.Errorf("LD0022 title %q, want it to name both the threads and the others of its image", r.Title)
		}
	}
}

// TestDriverPoolLeakMessageNamesWhatWasLeft: with the allocations
// !verifier 3 lists, LD0031 says their bytes, the tag with most of them
// and the code that made its largest; without them, nothing of the kind.
func TestDriverPoolLeakMessageNamesWhatWasLeft(t *testing.T) {
	for _, tc := range []struct {
		name    string
		unfreed []facts.UnfreedAllocation
		want    []string
	}{
		{"listed", []facts.UnfreedAllocation{
			{Address: "8a2c1e20", Bytes: 4096, Tag: "Cbuf", Caller: "contosoio!Read+0x10"},
			{Address: "8a2c2f80", Bytes: 64, Tag: "Cio", Caller: "contosoio!Setup+0x27"},
		}, []string{"contosoio.sys unloaded with 2 pool allocations", "!verifier 3 lists 4,160 bytes", "pool tag Cbuf", "contosoio!Read+0x10 allocated"}},
		{"not listed", nil, []string{"contosoio.sys unloaded with 2 pool allocations"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine()
			m.b.AddDriverPoolLeak(facts.DriverPoolLeak{Driver: "contosoio.sys", Allocations: 2, Unfreed: tc.unfreed, Source: m.pos(1)})
			var msg string
			for _, f := range run(t, loadRules(t), m.snapshot()).Findings {
				if f.RuleID == "LD0031" {
					msg = f.Message
				}
			}
			for _, want := range tc.want {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if tc.unfreed == nil && strings.Contains(msg, "!verifier 3 lists") {
				t.Errorf("message %q lists allocations the capture does not give", msg)
			}
		})
	}
}

// TestPoolExhaustedEventsMessage: LD0038 names only the pools whose
// events were read, in the singular for one, the times where given, and
// its evidence points at the first event.
func TestPoolExhaustedEventsMessage(t *testing.T) {
	at := time.Date(2026, 12, 7, 14, 13, 5, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		add     func(m *machine) facts.Position
		want    []string
		notWant []string
	}{
		{"one nonpaged with its time", func(m *machine) facts.Position {
			p := m.pos(1)
			m.b.AddPoolExhaustionEvent(false, "12/7/2026 2:13:05 PM", at, p)
			return p
		}, []string{"1 event 2019 (nonpaged pool was empty), from 12/7/2026 2:13:05 PM to 12/7/2026 2:13:05 PM"}, []string{"2020"}},
		{"both pools without times", func(m *machine) facts.Position {
			p := m.pos(1)
			m.b.AddPoolExhaustionEvent(false, "", time.Time{}, p)
			m.b.AddPoolExhaustionEvent(true, "", time.Time{}, m.pos(1))
			m.b.AddPoolExhaustionEvent(true, "", time.Time{}, m.pos(1))
			return p
		}, []string{"1 event 2019 (nonpaged pool was empty) and 2 events 2020 (paged pool was empty):"}, []string{"from"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine()
			first := tc.add(m)
			var f *engine.Finding
			rep := run(t, loadRules(t), m.snapshot())
			for i := range rep.Findings {
				if rep.Findings[i].RuleID == "LD0038" {
					f = &rep.Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("LD0038 did not fire: %v", fired(rep))
			}
			for _, want := range tc.want {
				if !strings.Contains(f.Message, want) {
					t.Errorf("message %q lacks %q", f.Message, want)
				}
			}
			for _, no := range tc.notWant {
				if strings.Contains(f.Message, no) {
					t.Errorf("message %q says %q", f.Message, no)
				}
			}
			if f.Component.Name != "(the capture)" {
				t.Errorf("component %q, want (the capture)", f.Component.Name)
			}
			if len(f.Locations) == 0 || f.Locations[0].Line != first.Line {
				t.Errorf("locations %+v, want the first event's line %d first", f.Locations, first.Line)
			}
		})
	}
}
