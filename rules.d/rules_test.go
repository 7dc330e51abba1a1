package rulesd_test

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/engine/ruletest"
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
// Building captures.

// machine builds a snapshot as the kd reader does from `!process 0 0`
// and `!handle 0 f 0`: one PROCESS block per process, then its handles.
type machine struct {
	b            *facts.Builder
	line         int64 // lines of the capture so far
	procs        int
	objects      uint64
	threads      uint64
	unrecognized int64
}

func newMachine() *machine {
	m := &machine{b: facts.NewBuilder()}
	m.b.SetHost("SRV-APP07", "Windows 10 Kernel Version 17763 MP (8 procs) Free x64", "Tue Mar 12 03:14:07.122 2024 (UTC + 1:00)")
	return m
}

func (m *machine) pos(lines int64) facts.Position {
	p := facts.Position{Path: "capture.txt", Line: m.line + 1}
	m.line += lines
	return p
}

// hs is a run of handles of one type: n handles, named after names in
// turn (unnamed when names is nil), to the objects objs in turn (new
// objects when objs is nil). With spread, the names are taken a few times
// over, then the handles go to distinct objects below them, as in a big
// process's table.
type hs struct {
	typ    string
	n      int
	names  []string
	objs   []uint64
	spread bool
}

// block adds the PROCESS block of a live process (pid, parent, session or
// -1 for "none", image) without handle count.
func (m *machine) block(pid, ppid uint64, session int64, image string) *facts.ProcessBuilder {
	m.procs++
	p := m.blockAt(fmt.Sprintf("ffffa50c%08x", 0x2b000080+uint64(m.procs)*0x1000), pid, ppid, session, image)
	p.P.ObjectTable = fmt.Sprintf("ffffd98a%08x", 0x1c000000+uint64(m.procs)*0x40)
	return p
}

// blockAt adds the PROCESS block of the process object at addr.
func (m *machine) blockAt(addr string, pid, ppid uint64, session int64, image string) *facts.ProcessBuilder {
	p := m.b.Process(addr, m.pos(4))
	p.P.PID, p.P.PPID, p.P.Image = pid, ppid, image
	if session >= 0 {
		s := session
		p.P.Session = &s
	}
	return p
}

// proc adds a live process and a complete dump of its handle table:
// HandleCount and the table's entries in use are the handles added.
func (m *machine) proc(pid, ppid uint64, session int64, image string, handles ...[]hs) *facts.ProcessBuilder {
	p := m.block(pid, ppid, session, image)
	zero, zero2 := int64(0), int64(0)
	p.P.HandleCount, p.P.TableEntries = &zero, &zero2
	for _, h := range handles {
		m.add(p, h...)
	}
	return p
}

// listedAt adds the process object at addr as `!process 0 0` shows it: a
// handle count, no dump.
func (m *machine) listedAt(addr string, pid, ppid uint64, session int64, image string, count int64) *facts.ProcessBuilder {
	p := m.blockAt(addr, pid, ppid, session, image)
	p.P.HandleCount = &count
	return p
}

// exited adds a process that has exited but whose object is still
// referenced: "ObjectTable: 00000000  HandleCount: 0." It returns the
// address of its process object.
func (m *machine) exited(pid, ppid uint64, session int64, image string) uint64 {
	p := m.block(pid, ppid, session, image)
	zero := int64(0)
	p.P.HandleCount, p.P.ObjectTable, p.P.Exited = &zero, "00000000", true
	return addrOf(p)
}

// lastAddr returns the address of the process object block added last.
func (m *machine) lastAddr() uint64 {
	return 0xffffa50c2b000080 + uint64(m.procs)*0x1000
}

// terminatedThread records a TERMINATED thread of p and returns the
// address of its thread object.
func (m *machine) terminatedThread(p *facts.ProcessBuilder) uint64 {
	m.threads++
	a := 0xffffa50c3e000080 + m.threads*0x800
	p.AddThread(a, true)
	m.b.ThreadTerminated(a)
	return a
}

// add dumps more handles of p; the counts of a complete dump follow.
func (m *machine) add(p *facts.ProcessBuilder, handles ...hs) {
	before := p.Parsed()
	for _, h := range handles {
		for i := 0; i < h.n; i++ {
			m.objects++
			hd := &facts.Handle{
				Value:  uint64(4 * (p.Parsed() + 1)),
				Object: 0xffffa50c50000000 + m.objects*0x30,
				Type:   h.typ,
				Naming: facts.Unnamed,
				Pos:    m.pos(5),
			}
			if h.objs != nil {
				hd.Object = h.objs[i%len(h.objs)]
			}
			if h.names != nil {
				hd.Naming, hd.Name = facts.Named, h.names[i%len(h.names)]
				if h.spread {
					hd.Name = spreadName(h.names, i)
				}
			}
			if got := p.AddHandle(hd); got != facts.AddedNew {
				panic(fmt.Sprintf("handle %#x of %s added twice", hd.Value, p.P.Image))
			}
		}
	}
	added := p.Parsed() - before
	if p.P.HandleCount != nil {
		n := *p.P.HandleCount + added
		p.P.HandleCount = &n
	}
	if p.P.TableEntries != nil {
		n := *p.P.TableEntries + added
		p.P.TableEntries = &n
	}
}

// setCounts sets what the PROCESS block and the table header say, -1 for
// not shown (<Data Not Accessible>, no `!handle` dump).
func setCounts(p *facts.ProcessBuilder, handleCount, tableEntries int64) {
	p.P.HandleCount, p.P.TableEntries = nil, nil
	if handleCount >= 0 {
		p.P.HandleCount = &handleCount
	}
	if tableEntries >= 0 {
		p.P.TableEntries = &tableEntries
	}
}

// snapshot finishes the capture: its one source, with every line read.
func (m *machine) snapshot() *facts.Snapshot {
	log := facts.NewSourceLog("capture.txt", "kd")
	log.Lines = facts.LineCounts{Total: m.line + m.unrecognized, Parsed: m.line, Unrecognized: m.unrecognized}
	for i := int64(0); i < m.unrecognized; i++ {
		log.Diag(m.line+i+1, facts.SevWarning, facts.CodeUnrecognized, "unrecognized line")
	}
	m.b.AddSource(log)
	return m.b.Snapshot()
}

func addrOf(p *facts.ProcessBuilder) uint64 {
	a, err := strconv.ParseUint(p.P.Address, 16, 64)
	if err != nil {
		panic(err)
	}
	return a
}

// spreadName is the name of the i-th handle of a spread run named after
// pool: the pool's names a few times over (a process opens common objects
// more than once), then distinct objects below them.
func spreadName(pool []string, i int) string {
	if i < 3*len(pool) {
		return pool[i%len(pool)]
	}
	return fmt.Sprintf(`%s\%d`, pool[i%len(pool)], i)
}

// seq returns n distinct names, format applied to 0..n-1.
func seq(format string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i)
	}
	return out
}

// Name pools, as a Windows Server 2019 capture shows them.
var (
	keyNames = prefixed(`\REGISTRY\MACHINE\`, []string{
		`SYSTEM\ControlSet001\Control\Nls\Sorting\Versions`, `SYSTEM\ControlSet001\Control\Session Manager`,
		`SYSTEM\ControlSet001\Control\Lsa`, `SYSTEM\ControlSet001\Control\NetworkProvider\HwOrder`,
		`SYSTEM\ControlSet001\Services\WinSock2\Parameters\Protocol_Catalog9`,
		`SYSTEM\ControlSet001\Services\WinSock2\Parameters\NameSpace_Catalog5`,
		`SYSTEM\ControlSet001\Services\Tcpip\Parameters\Interfaces`, `SYSTEM\ControlSet001\Enum`,
		`SYSTEM\Setup`, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`,
		`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options`,
		`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Perflib\009`, `SOFTWARE\Microsoft\Windows\CurrentVersion`,
		`SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings`, `SOFTWARE\Microsoft\Windows\CurrentVersion\SideBySide`,
		`SOFTWARE\Microsoft\Ole`, `SOFTWARE\Microsoft\Rpc`, `SOFTWARE\Microsoft\Cryptography\Defaults\Provider`,
		`SOFTWARE\Microsoft\WBEM\CIMOM`, `SOFTWARE\Microsoft\Tracing`, `SOFTWARE\Policies\Microsoft\Windows\System`,
		`SOFTWARE\Classes`, `SOFTWARE\Classes\AppID`, `SOFTWARE\Classes\Interface`,
		`SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion`,
	})
	fileNames = suffixed(prefixed(`\Windows\System32\`, []string{
		"kernel32.dll", "KernelBase.dll", "ntdll.dll", "advapi32.dll", "sechost.dll", "rpcrt4.dll",
		"combase.dll", "ole32.dll", "oleaut32.dll", "msvcrt.dll", "ucrtbase.dll", "ws2_32.dll",
		"mswsock.dll", "dnsapi.dll", "crypt32.dll", "bcrypt.dll", "winhttp.dll", "wininet.dll",
		"en-US\\KernelBase.dll.mui", "en-US\\mswsock.dll.mui", "locale.nls", "wbem\\Repository\\OBJECTS.DATA",
	}), " {HarddiskVolume3}")
	pipeNames  = []string{`\lsass {NamedPipe}`, `\ntsvcs {NamedPipe}`, `\srvsvc {NamedPipe}`, `\epmapper {NamedPipe}`, `\Endpoint {Afd}`, `\Nsi {Nsi}`}
	eventNames = []string{"TermSrvReadyEvent", "SC_AutoStartComplete", "LSA_AUTHENTICATION_INITIALIZED",
		"CLR_PerfMon_StartEnumEvent", "BcastSystemShutdownEvent", "EventLogReadyEvent", "NlaSvc_WaitEvent",
		"Global_WFP_IPSEC_EVENT", "WnfEvent_SystemUpdateRequired", "ShellReadyEvent"}
	mutantNames  = []string{"ZonesCacheCounterMutex", "ZonesLockedCacheCounterMutex", "WininetStartupMutex", "WininetConnectionMutex", "RasPbFile"}
	sectionNames = []string{"__ComCatalogCache__", "windows_shell_global_counters", "Cor_SxSPublic_IPCBlock", "NlsSectionCP1252", "NlsSectionCP437", "UrlZonesSM_SYSTEM"}
	alpcNames    = []string{"epmapper", "actkernel", "lsasspirpc", "ntsvcs", "OLE-System", "DNSResolver", "LSMApi", "PlugPlay"}
	semNames     = seq("SM0:%d:120:WilStaging_02_p0", 12)
	dirNames     = []string{"KnownDlls", "BaseNamedObjects", "RPC Control", "Sessions"}
	desktopNames = []string{`\Default`, `\Winlogon`}
	winstaNames  = []string{`\Sessions\1\Windows\WindowStations\WinSta0`}
)

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

func suffixed(names []string, suffix string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n + suffix
	}
	return out
}

// part is one type of a handle mix: its weight in percent, and which share
// of its handles are named, after names.
type part struct {
	typ    string
	weight int
	named  float64
	names  []string
}

// mix spreads n handles over parts by weight (the first part takes the
// rounding), named ones first.
func mix(n int, parts []part) []hs {
	counts := make([]int, len(parts))
	rest := n
	for i, p := range parts[1:] {
		counts[i+1] = n * p.weight / 100
		rest -= counts[i+1]
	}
	counts[0] = rest
	var out []hs
	for i, p := range parts {
		named := int(float64(counts[i]) * p.named)
		if named > 0 {
			out = append(out, hs{typ: p.typ, n: named, names: p.names, spread: true})
		}
		if counts[i]-named > 0 {
			out = append(out, hs{typ: p.typ, n: counts[i] - named})
		}
	}
	return out
}

// typical is the handle table of an ordinary service process: events,
// ETW registrations, keys and files first, no type over a quarter, no name
// held more than a few times, under a fifth of the handles unnamed events.
func typical(n int) []hs {
	return mix(n, []part{
		{"Event", 24, 0.15, eventNames},
		{"EtwRegistration", 14, 0, nil},
		{"Key", 12, 1, keyNames},
		{"File", 12, 0.9, fileNames},
		{"WaitCompletionPacket", 7, 0, nil},
		{"Thread", 6, 0, nil},
		{"ALPC Port", 5, 0.2, alpcNames},
		{"Semaphore", 5, 0.1, semNames},
		{"Section", 4, 0.5, sectionNames},
		{"IoCompletion", 3, 0, nil},
		{"Mutant", 3, 0.5, mutantNames},
		{"TpWorkerFactory", 2, 0, nil},
		{"IRTimer", 2, 0, nil},
		{"Directory", 1, 1, dirNames},
	})
}

// desktop is the handle table of a process of the interactive session
// (explorer.exe, a browser): more sections, mutants, a desktop.
func desktop(n int) []hs {
	return mix(n, []part{
		{"Event", 22, 0.2, eventNames},
		{"File", 14, 0.9, fileNames},
		{"Key", 12, 1, keyNames},
		{"EtwRegistration", 10, 0, nil},
		{"Section", 8, 0.6, sectionNames},
		{"Thread", 6, 0, nil},
		{"Mutant", 5, 0.7, mutantNames},
		{"Semaphore", 5, 0.1, semNames},
		{"ALPC Port", 5, 0.2, alpcNames},
		{"WaitCompletionPacket", 5, 0, nil},
		{"IoCompletion", 2, 0, nil},
		{"IRTimer", 2, 0, nil},
		{"Desktop", 1, 1, desktopNames},
		{"WindowStation", 1, 1, winstaNames},
		{"Directory", 1, 1, dirNames},
		{"TpWorkerFactory", 1, 0, nil},
	})
}

// kernel is the kernel handle table, shown under System: keys, files,
// system threads.
func kernel(n int) []hs {
	return mix(n, []part{
		{"Event", 18, 0.1, eventNames},
		{"Key", 20, 1, keyNames},
		{"File", 18, 0.9, fileNames},
		{"Thread", 14, 0, nil},
		{"EtwRegistration", 8, 0, nil},
		{"Section", 6, 0.3, sectionNames},
		{"Semaphore", 4, 0, nil},
		{"ALPC Port", 4, 0.5, alpcNames},
		{"Mutant", 2, 0.5, mutantNames},
		{"Directory", 2, 1, dirNames},
		{"IoCompletion", 2, 0, nil},
		{"Timer", 2, 0, nil},
	})
}

// server is the handle table of a busy server process (SQL Server, IIS):
// many threads, sockets and pipes, files.
func server(n int) []hs {
	return mix(n, []part{
		{"Event", 26, 0.05, eventNames},
		{"Thread", 14, 0, nil},
		{"File", 16, 0.95, append(append([]string{}, fileNames...), pipeNames...)},
		{"Semaphore", 8, 0, nil},
		{"Key", 8, 1, keyNames},
		{"IoCompletion", 4, 0, nil},
		{"EtwRegistration", 8, 0, nil},
		{"WaitCompletionPacket", 6, 0, nil},
		{"Section", 3, 0.5, sectionNames},
		{"ALPC Port", 3, 0.2, alpcNames},
		{"Mutant", 2, 0.5, mutantNames},
		{"TpWorkerFactory", 1, 0, nil},
		{"Directory", 1, 1, dirNames},
	})
}

// join concatenates runs of handles.
func join(runs ...[]hs) []hs {
	var out []hs
	for _, r := range runs {
		out = append(out, r...)
	}
	return out
}

// base adds the processes every Windows server runs, all healthy, with
// complete dumps; System holds sysHandles. It returns services.exe.
// traces adds n open Event handles traced by !htrace to p, all from one
// stack through a vendor DLL; since marks them as listed by -diff.
func traces(p *facts.ProcessBuilder, n int, since bool) {
	for i := 0; i < n; i++ {
		p.AddTrace(&facts.Trace{Handle: uint64(0x10000 + 4*i), Kind: "OPEN", SinceSnapshot: since,
			Frames: []string{"ntdll!NtCreateEvent+0x14", "KERNELBASE!CreateEventW+0x55", "contosohook!QueueTelemetry+0x42", "ContosoAgent!main+0x20"}})
	}
}

// tracesOver adds n open handles' !htrace entries spread over stacks
// distinct stacks (the caller of CreateEventW differs), in turn.
func tracesOver(p *facts.ProcessBuilder, n, stacks int, since bool) {
	for i := 0; i < n; i++ {
		p.AddTrace(&facts.Trace{Handle: uint64(0x10000 + 4*i), Kind: "OPEN", SinceSnapshot: since,
			Frames: []string{"ntdll!NtCreateEvent+0x14", "KERNELBASE!CreateEventW+0x55",
				fmt.Sprintf("contosohook!Queue%d+0x42", i%stacks), "ContosoAgent!main+0x20"}})
	}
}

func base(m *machine, sysHandles int) *facts.ProcessBuilder {
	m.proc(4, 0, -1, "System", kernel(sysHandles))
	m.proc(92, 4, -1, "Registry") // a handle table with nothing in it
	m.proc(372, 4, -1, "smss.exe", typical(53))
	m.proc(488, 476, 0, "csrss.exe", typical(540))
	m.proc(564, 476, 0, "wininit.exe", typical(170))
	m.proc(576, 556, 1, "csrss.exe", typical(610))
	m.proc(648, 556, 1, "winlogon.exe", typical(275))
	services := m.proc(700, 564, 0, "services.exe", typical(690))
	m.proc(716, 564, 0, "lsass.exe", typical(1480))
	m.proc(1956, 4, -1, "Memory Compression")
	return services
}

// vm states what !vm shows of the pools, in KB, and of failed pool
// allocations.
func vm(m *machine, nonPagedKB, nonPagedMaxKB, pagedKB, pagedMaxKB, failures int64) {
	v := m.b.VM(m.pos(30))
	v.NonPagedPoolKB, v.NonPagedPoolMaxKB = &nonPagedKB, &nonPagedMaxKB
	v.PagedPoolKB, v.PagedPoolMaxKB = &pagedKB, &pagedMaxKB
	v.PoolFailures = failures
}

type tagBytes struct {
	tag   string
	bytes int64
}

// poolused states a !poolused 2 listing of the tags' nonpaged bytes, with
// its TOTAL row.
func poolused(m *machine, tags ...tagBytes) { poolListing(m, false, true, tags...) }

// poolusedCut states a !poolused listing cut short (no TOTAL row) without
// !vm: the tags' bytes in nonpaged pool, or with paged in paged pool.
func poolusedCut(m *machine, paged bool, tags ...tagBytes) { poolListing(m, paged, false, tags...) }

// poolListing states a !poolused listing of the tags' bytes in nonpaged
// pool (in allocations of 640 bytes), or with paged in paged pool (of 4
// KB), with its TOTAL row or cut short before it.
func poolListing(m *machine, paged, totalRow bool, tags ...tagBytes) {
	u := m.b.PoolUsage()
	pos := m.pos(int64(len(tags) + 6))
	var total facts.PoolTotals
	for _, t := range tags {
		tag := facts.PoolTag{Tag: t.tag, NonPagedAllocs: t.bytes / 640, NonPagedBytes: t.bytes, Source: pos}
		if paged {
			tag = facts.PoolTag{Tag: t.tag, PagedAllocs: t.bytes / 4096, PagedBytes: t.bytes, Source: pos}
		}
		u.AddTag(tag)
		total.NonPagedAllocs += tag.NonPagedAllocs
		total.NonPagedBytes += tag.NonPagedBytes
		total.PagedAllocs += tag.PagedAllocs
		total.PagedBytes += tag.PagedBytes
	}
	u.AddTotals(total, totalRow)
	sort, flags := facts.PoolSortNonPaged, int64(2)
	if paged {
		sort, flags = facts.PoolSortPaged, 4
	}
	u.AddListing(facts.PoolListing{Command: fmt.Sprintf("!poolused %d", flags), Sort: sort, Flags: flags,
		Rows: int64(len(tags)), TotalRow: totalRow, Source: pos})
}

// ---------------------------------------------------------------------------
// Every default rule fires where it should and stays quiet on near misses.

type ruleCase struct {
	rule  string // the rule the case is about
	fires bool   // whether that rule must fire in it
	name  string
	build func(m *machine)
	// want is every finding the capture must give, as "RULE pid N" or
	// "RULE capture".
	want []string
	// nearMiss, on a quiet case, retunes the rule a step: it must then
	// fire, which shows the case misses by a hair, not for another reason.
	nearMiss *nudge
}

// nudge is a site file and a finding it must bring about.
type nudge struct{ site, finding string }

// holdZombies gives p what FindZombieHandles would say it holds: held
// zombies in all, then image and count pairs, each zombie through one
// process handle.
func holdZombies(m *machine, p *facts.ProcessBuilder, held int64, images ...any) {
	p.ReportZombiesHeld(held)
	for i := 0; i+1 < len(images); i += 2 {
		n := int64(images[i+1].(int))
		p.HoldZombies(images[i].(string), n, n, 0, true, m.pos(1))
	}
}

const (
	leaky    = `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`
	jobsKey  = `\REGISTRY\MACHINE\SOFTWARE\Fabrikam\Backup\Jobs`
	irpSpool = `\ProgramData\IrpTracker\Client\Spool\irp%05d.bin {HarddiskVolume3}`
)

var ruleCases = []ruleCase{
	// LD0001: over 10,000 handles, images known to be heavy excepted.
	{rule: "LD0001", fires: true, name: "a backup service with 10,001 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(10001))
	}, want: []string{"LD0001 pid 3412"}},
	{rule: "LD0001", fires: true, name: "count not accessible, table holds 12,000", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(5120, 700, 0, "ContosoSyncHost.exe", typical(12000))
		setCounts(p, -1, 12000) // HandleCount: <Data Not Accessible>
	}, want: []string{"LD0001 pid 5120", "LD0008 capture"}},
	{rule: "LD0001", fires: false, name: "a backup service with exactly 10,000 handles",
		nearMiss: &nudge{"rules: [{id: LD0001, override: true, params: {threshold: 9999}}]", "LD0001 pid 3412"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(10000))
		}},
	{rule: "LD0001", fires: false, name: "store.exe with 50,000 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(6844, 700, 0, "store.exe", server(50000))
	}},
	{rule: "LD0001", fires: false, name: "STORE.EXE in capitals with 50,000 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(6844, 700, 0, "STORE.EXE", server(50000))
	}},
	{rule: "LD0001", fires: false, name: "System with 60,000 handles", build: func(m *machine) {
		base(m, 60000)
	}},

	// LD0002: a known-heavy image over its own threshold.
	{rule: "LD0002", fires: true, name: "store.exe with 200,001 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(6844, 700, 0, "store.exe", server(200001))
	}, want: []string{"LD0002 pid 6844"}},
	{rule: "LD0002", fires: true, name: "MsMpEng.exe with 52,000 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(3020, 700, 0, "MsMpEng.exe", typical(52000))
	}, want: []string{"LD0002 pid 3020"}},
	{rule: "LD0002", fires: false, name: "store.exe with exactly 200,000 handles",
		nearMiss: &nudge{"params: {heavy_thresholds: {store.exe: 199999}}", "LD0002 pid 6844"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(6844, 700, 0, "store.exe", server(200000))
		}},
	{rule: "LD0002", fires: false, name: "System with 95,000 handles",
		nearMiss: &nudge{"params: {heavy_thresholds: {system: 94999}}", "LD0002 pid 4"},
		build: func(m *machine) {
			base(m, 95000)
		}},
	{rule: "LD0002", fires: false, name: "an image not in the table, 11,000 handles (LD0001's)", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(11000))
	}, want: []string{"LD0001 pid 3412"}},

	// LD0003: one type makes up 80% of 5,000 handles or more.
	{rule: "LD0003", fires: true, name: "4,800 File handles of 6,000", build: func(m *machine) {
		base(m, 2600)
		m.proc(2876, 700, 0, "IrpTrackerSvc.exe", []hs{
			{typ: "File", n: 4800, names: seq(irpSpool, 4800)},
			{typ: "Event", n: 600}, {typ: "Key", n: 250, names: keyNames}, {typ: "Thread", n: 200}, {typ: "ALPC Port", n: 150},
		})
	}, want: []string{"LD0003 pid 2876"}},
	{rule: "LD0003", fires: false, name: "4,799 File handles of 6,000",
		nearMiss: &nudge{"rules: [{id: LD0003, override: true, params: {min_share: 0.79}}]", "LD0003 pid 2876"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(2876, 700, 0, "IrpTrackerSvc.exe", []hs{
				{typ: "File", n: 4799, names: seq(irpSpool, 4799)},
				{typ: "Event", n: 601}, {typ: "Key", n: 250, names: keyNames}, {typ: "Thread", n: 200}, {typ: "ALPC Port", n: 150},
			})
		}},
	{rule: "LD0003", fires: false, name: "90% File handles of 4,999",
		nearMiss: &nudge{"rules: [{id: LD0003, override: true, params: {min_handles: 4999}}]", "LD0003 pid 2876"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(2876, 700, 0, "IrpTrackerSvc.exe", []hs{
				{typ: "File", n: 4500, names: seq(irpSpool, 4500)},
				{typ: "Event", n: 200}, {typ: "Key", n: 150, names: keyNames}, {typ: "Thread", n: 149},
			})
		}},
	{rule: "LD0003", fires: false, name: "a dump of Event handles only (40 of 6,000)", build: func(m *machine) {
		// !handle 0 3 <process> Event: the table holds 6,000 handles of
		// every type; the capture shows its 40 events. Nothing says
		// events dominate the table.
		base(m, 2600)
		p := m.proc(3436, 700, 1, "telemetryhost.exe", []hs{{typ: "Event", n: 40}})
		setCounts(p, 6000, 6000)
	}, want: []string{"LD0008 capture"}},

	// LD0004: 1,000 handles or more to one name.
	{rule: "LD0004", fires: true, name: "1,000 handles to one key", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", []hs{{typ: "Key", n: 1000, names: []string{jobsKey}}}, typical(2000))
	}, want: []string{"LD0004 pid 3412"}},
	{rule: "LD0004", fires: false, name: "999 handles to one key",
		nearMiss: &nudge{"rules: [{id: LD0004, override: true, params: {min_count: 999}}]", "LD0004 pid 3412"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", []hs{{typ: "Key", n: 999, names: []string{jobsKey}}}, typical(2000))
		}},
	{rule: "LD0004", fires: false, name: "1,500 handles to 1,500 distinct keys", build: func(m *machine) {
		base(m, 2600)
		m.proc(4480, 700, 0, "TiWorker.exe", []hs{{typ: "Key", n: 1500,
			names: seq(`\REGISTRY\MACHINE\COMPONENTS\DerivedData\Components\amd64_microsoft-windows-c..-%05d`, 1500)}}, typical(1100))
	}},

	// LD0005: 5,000 unnamed handles of one type or more, half of those shown.
	{rule: "LD0005", fires: true, name: "5,000 unnamed Token handles of 9,000", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", []hs{{typ: "Token", n: 5000}}, typical(4000))
	}, want: []string{"LD0005 pid 3412"}},
	{rule: "LD0005", fires: false, name: "4,999 unnamed Token handles of 8,999",
		nearMiss: &nudge{"rules: [{id: LD0005, override: true, params: {min_count: 4999}}]", "LD0005 pid 3412"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", []hs{{typ: "Token", n: 4999}}, typical(4000))
		}},
	{rule: "LD0005", fires: true, name: "w3wp.exe with 12,000 unnamed Token handles of 24,000", build: func(m *machine) {
		base(m, 2600)
		m.proc(7212, 700, 0, "w3wp.exe", []hs{{typ: "Token", n: 12000}}, server(12000))
	}, want: []string{"LD0005 pid 7212"}},
	{rule: "LD0005", fires: false, name: "w3wp.exe with 11,999 unnamed Token handles of 24,000",
		nearMiss: &nudge{"rules: [{id: LD0005, override: true, params: {min_share: 0.49}}]", "LD0005 pid 7212"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(7212, 700, 0, "w3wp.exe", []hs{{typ: "Token", n: 11999}}, server(12001))
		}},

	// LD0006: 5 handles or more to exited processes and terminated threads.
	{rule: "LD0006", fires: true, name: "3 exited children and 2 terminated threads held", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		var kids []uint64
		for i := uint64(0); i < 3; i++ {
			kids = append(kids, m.exited(5000+4*i, 3412, 0, "FabrikamBackupWorker.exe"))
		}
		thr := []uint64{m.terminatedThread(p), m.terminatedThread(p)}
		m.add(p, hs{typ: "Process", n: 3, objs: kids}, hs{typ: "Thread", n: 2, objs: thr})
	}, want: []string{"LD0006 pid 3412"}},
	{rule: "LD0006", fires: true, name: "5 handles to terminated threads", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		var thr []uint64
		for i := 0; i < 5; i++ {
			thr = append(thr, m.terminatedThread(p))
		}
		m.add(p, hs{typ: "Thread", n: 5, objs: thr})
	}, want: []string{"LD0006 pid 3412"}},
	{rule: "LD0006", fires: false, name: "2 exited children and 2 terminated threads held",
		nearMiss: &nudge{"rules: [{id: LD0006, override: true, params: {min_handles: 4}}]", "LD0006 pid 3412"},
		build: func(m *machine) {
			base(m, 2600)
			p := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
			kids := []uint64{m.exited(5000, 3412, 0, "FabrikamBackupWorker.exe"), m.exited(5004, 3412, 0, "FabrikamBackupWorker.exe")}
			thr := []uint64{m.terminatedThread(p), m.terminatedThread(p)}
			m.add(p, hs{typ: "Process", n: 2, objs: kids}, hs{typ: "Thread", n: 2, objs: thr})
		}},
	{rule: "LD0006", fires: false, name: "an exited process with no holder", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		m.exited(5000, 3412, 0, "FabrikamBackupWorker.exe")
	}, want: []string{"LD0023 pid 5000"}},
	{rule: "LD0006", fires: false, name: "8 handles to live child processes", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		var kids []uint64
		for i := uint64(0); i < 8; i++ {
			kids = append(kids, addrOf(m.proc(5000+4*i, 3412, 0, "FabrikamBackupWorker.exe", typical(120+int(i)*7))))
		}
		m.add(p, hs{typ: "Process", n: 8, objs: kids})
	}},

	// LD0029: a process FindZombieHandles says holds 100 zombies or more.
	{rule: "LD0029", fires: true, name: "an updater holding 100 zombies of its helper", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3312, 700, 0, "ContosoUpdater.exe", typical(300))
		holdZombies(m, p, 100, "setuphelper.exe", 100)
	}, want: []string{"LD0029 pid 3312"}},
	{rule: "LD0029", fires: false, name: "a service manager holding 99 zombies",
		nearMiss: &nudge{"rules: [{id: LD0029, override: true, params: {min_zombies: 99}}]", "LD0029 pid 712"},
		build: func(m *machine) {
			base(m, 2600)
			p := m.proc(712, 600, 0, "services.exe", typical(300))
			holdZombies(m, p, 99, "svchost.exe", 60, "TrustedInstaller.exe", 39)
		}},
	{rule: "LD0006", fires: false, name: "a tool's count of 40 zombies is LD0029's to judge", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(712, 600, 0, "services.exe", typical(300))
		holdZombies(m, p, 40, "svchost.exe", 40)
	}},

	// LD0009: 10 exited processes or more in the capture.
	{rule: "LD0009", fires: true, name: "10 exited updaters, their parent holding each", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(900))
		var kids []uint64
		for i := uint64(0); i < 10; i++ {
			kids = append(kids, m.exited(6000+4*i, 2240, 0, "ContosoUpdater.exe"))
		}
		m.add(p, hs{typ: "Process", n: 10, objs: kids})
	}, want: []string{"LD0006 pid 2240", "LD0009 capture"}},
	{rule: "LD0009", fires: false, name: "9 exited processes",
		nearMiss: &nudge{"rules: [{id: LD0009, override: true, params: {min_exited: 9}}]", "LD0009 capture"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(2240, 700, 0, "ContosoAgent.exe", typical(900))
			for i := uint64(0); i < 9; i++ {
				m.exited(6000+4*i, 2240, 0, "ContosoUpdater.exe")
			}
		}, want: []string{"LD0022 pid 6000", "LD0022 pid 6004", "LD0022 pid 6008", "LD0022 pid 6012", "LD0022 pid 6016",
			"LD0022 pid 6020", "LD0022 pid 6024", "LD0022 pid 6028", "LD0022 pid 6032"}},

	// LD0022: an exited process nobody in the capture holds, with its
	// terminated threads shown or among 3 or more of its image.
	{rule: "LD0022", fires: true, name: "an exited process with its terminated thread, holder not in the capture", build: func(m *machine) {
		base(m, 2600)
		m.exited(5264, 9748, 1, "contoso.exe")
		p := m.b.Process(fmt.Sprintf("%x", m.lastAddr()), facts.Position{})
		m.terminatedThread(p)
	}, want: []string{"LD0022 pid 5264"}},
	{rule: "LD0022", fires: true, name: "three exited explorer.exe beside the live one", build: func(m *machine) {
		base(m, 2600)
		m.proc(1940, 256, 0, "explorer.exe", desktop(279))
		for _, pid := range []uint64{524, 944, 1684} {
			m.exited(pid, 256, 0, "explorer.exe")
		}
	}, want: []string{"LD0022 pid 524", "LD0022 pid 944", "LD0022 pid 1684"}},
	{rule: "LD0022", fires: false, name: "two exited of one image, no threads shown",
		nearMiss: &nudge{"rules: [{id: LD0022, override: true, params: {min_same_image: 2}}]", "LD0022 pid 5000"},
		build: func(m *machine) {
			base(m, 2600)
			m.exited(5000, 700, 0, "FabrikamBackupWorker.exe")
			m.exited(5004, 700, 0, "FabrikamBackupWorker.exe")
		}, want: []string{"LD0023 pid 5000", "LD0023 pid 5004"}},
	{rule: "LD0022", fires: false, name: "an exited process with its terminated thread, held by its parent", build: func(m *machine) {
		base(m, 2600)
		parent := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		kid := m.exited(5000, 3412, 0, "FabrikamBackupWorker.exe")
		m.terminatedThread(m.b.Process(fmt.Sprintf("%x", kid), facts.Position{}))
		m.add(parent, hs{typ: "Process", n: 1, objs: []uint64{kid}})
	}},

	// LD0023: one exited process, nobody in the capture holding it.
	{rule: "LD0023", fires: true, name: "an exited updater among live processes", build: func(m *machine) {
		base(m, 2600)
		m.exited(6000, 700, 0, "ContosoUpdater.exe")
	}, want: []string{"LD0023 pid 6000"}},
	{rule: "LD0023", fires: false, name: "an exited scan its parent still holds", build: func(m *machine) {
		services := base(m, 2600)
		scan := m.exited(6240, 700, 0, "MpCmdRun.exe")
		m.add(services, hs{typ: "Process", n: 1, objs: []uint64{scan}})
	}},

	// LD0007: 20 times the median of 2 or more others of the image, and
	// 5,000 handles or more.
	{rule: "LD0007", fires: true, name: "a svchost.exe at 26x its siblings", build: func(m *machine) {
		base(m, 2600)
		for i, n := range []int{280, 420, 360, 190, 8400} {
			m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
		}
	}, want: []string{"LD0007 pid 960"}},
	{rule: "LD0007", fires: true, name: "a svchost.exe at exactly 20x its siblings", build: func(m *machine) {
		base(m, 2600)
		for i, n := range []int{300, 300, 300, 300, 6000} {
			m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
		}
	}, want: []string{"LD0007 pid 960"}},
	{rule: "LD0007", fires: false, name: "a svchost.exe at 19.9x its siblings",
		nearMiss: &nudge{"rules: [{id: LD0007, override: true, params: {min_ratio: 19.8}}]", "LD0007 pid 960"},
		build: func(m *machine) {
			base(m, 2600)
			for i, n := range []int{300, 300, 300, 300, 5970} {
				m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
			}
		}},
	{rule: "LD0007", fires: false, name: "a svchost.exe with 3x its siblings",
		nearMiss: &nudge{"rules: [{id: LD0007, override: true, params: {min_ratio: 2.9}}]", "LD0007 pid 920"},
		build: func(m *machine) {
			base(m, 2600)
			for i, n := range []int{2000, 2400, 2200, 6600} {
				m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
			}
		}},
	{rule: "LD0007", fires: false, name: "36x its siblings but 4,999 handles",
		nearMiss: &nudge{"rules: [{id: LD0007, override: true, params: {min_handles: 4999}}]", "LD0007 pid 920"},
		build: func(m *machine) {
			base(m, 2600)
			for i, n := range []int{130, 150, 140, 4999} {
				m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
			}
		}},
	{rule: "LD0007", fires: false, name: "one other w3wp.exe only",
		nearMiss: &nudge{"rules: [{id: LD0007, override: true, params: {min_peers: 1}}]", "LD0007 pid 7480"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(7212, 700, 0, "w3wp.exe", server(120))
			m.proc(7480, 700, 0, "w3wp.exe", server(5000))
		}},
	{rule: "LD0007", fires: false, name: "13x its live siblings, exited svchost.exe in the capture", build: func(m *machine) {
		// Three svchost.exe have exited (no handle table, HandleCount 0):
		// they are no measure of what a svchost.exe holds. Against its
		// live siblings (400, 450, 500) this one holds 13x, under 20x.
		base(m, 2600)
		for i, n := range []int{400, 500, 450, 6000} {
			m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
		}
		for i := uint64(0); i < 3; i++ {
			m.exited(1400+4*i, 700, 0, "svchost.exe")
		}
	}, want: []string{"LD0022 pid 1400", "LD0022 pid 1404", "LD0022 pid 1408"}},

	// LD0010: 100 handles or more opened since the !htrace snapshot and
	// still open, or 10 or more of which one stack opened half.
	{rule: "LD0010", fires: true, name: "150 handles still open since the -diff snapshot", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
		traces(p, 150, true)
	}, want: []string{"LD0010 pid 2240"}},
	{rule: "LD0010", fires: true, name: "10 handles since the snapshot, all from one stack", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
		traces(p, 10, true)
	}, want: []string{"LD0010 pid 2240"}},
	{rule: "LD0010", fires: false, name: "99 handles since the snapshot from 4 stacks",
		nearMiss: &nudge{"params: {htrace_error_open: 99}", "LD0010 pid 2240"},
		build: func(m *machine) {
			base(m, 2600)
			p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
			tracesOver(p, 99, 4, true)
		}, want: []string{"LD0020 pid 2240"}},
	{rule: "LD0010", fires: false, name: "9 handles since the snapshot from one stack",
		nearMiss: &nudge{"params: {htrace_dominant_open: 9}", "LD0010 pid 2240"},
		build: func(m *machine) {
			base(m, 2600)
			p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
			traces(p, 9, true)
		}, want: []string{"LD0020 pid 2240"}},
	{rule: "LD0010", fires: false, name: "500 open handles in a plain !htrace, no snapshot", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(600))
		traces(p, 500, false)
	}},

	// LD0020: fewer handles since the snapshot, from one on.
	{rule: "LD0020", fires: true, name: "one handle since the snapshot", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
		traces(p, 1, true)
	}, want: []string{"LD0020 pid 2240"}},
	{rule: "LD0020", fires: true, name: "a -diff footer counting 4 handles whose entries the paste elided", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
		p.ReportOutstandingSinceSnapshot(4)
	}, want: []string{"LD0020 pid 2240"}},
	{rule: "LD0020", fires: false, name: "20 open handles in a plain !htrace, no snapshot", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(600))
		traces(p, 20, false)
	}},

	// LD0021: an Application Verifier stop reporting a leaked handle.
	{rule: "LD0021", fires: true, name: "VERIFIER STOP 901 for handle 0x808", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(19768, 700, 1, "UIforETW.exe", typical(300))
		p.AddVerifierStop(facts.VerifierStop{Code: "901", Message: "A HANDLE was leaked.", Handle: 0x808})
	}, want: []string{"LD0021 pid 19768"}},
	{rule: "LD0021", fires: false, name: "a process under the verifier with no stop", build: func(m *machine) {
		base(m, 2600)
		m.proc(19768, 700, 1, "UIforETW.exe", typical(300))
	}},

	// LD0011: kernel pool nearly exhausted; the top handle holder named.
	{rule: "LD0011", fires: true, name: "nonpaged pool 91% of its maximum", build: func(m *machine) {
		base(m, 2600)
		m.proc(2240, 700, 0, "ContosoAgent.exe", typical(9000))
		vm(m, 239520, 262144, 164840, 536576, 0)
	}, want: []string{"LD0011 pid 2240"}},
	{rule: "LD0011", fires: true, name: "failed pool allocations on a 64-bit pool without a real maximum", build: func(m *machine) {
		base(m, 2600)
		vm(m, 12666296, 17179869184, 190816, 17179869184, 1811)
	}, want: []string{"LD0011 pid 4"}},
	{rule: "LD0011", fires: false, name: "nonpaged pool 79% and paged pool 70% of their maximum",
		nearMiss: &nudge{"rules: [{id: LD0011, override: true, params: {max_share: 0.78}}]", "LD0011 pid 2240"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(2240, 700, 0, "ContosoAgent.exe", typical(9000))
			vm(m, 207093, 262144, 375603, 536576, 0)
		}},

	// LD0012: one pool tag holds most of nonpaged pool.
	{rule: "LD0012", fires: true, name: "Thre holds 75% of nonpaged pool", build: func(m *machine) {
		base(m, 2600)
		poolused(m, tagBytes{"Thre", 150_000_000}, tagBytes{"File", 50_000_000})
	}, want: []string{"LD0012 capture"}},
	{rule: "LD0012", fires: false, name: "Thre holds 49% of nonpaged pool",
		nearMiss: &nudge{"rules: [{id: LD0012, override: true, params: {min_share: 0.49}}]", "LD0012 capture"},
		build: func(m *machine) {
			base(m, 2600)
			poolused(m, tagBytes{"Thre", 490_000_000}, tagBytes{"File", 300_000_000}, tagBytes{"MmCa", 210_000_000})
		}},
	{rule: "LD0012", fires: false, name: "Thre holds 90% of a nonpaged pool of 64 MB",
		nearMiss: &nudge{"rules: [{id: LD0012, override: true, params: {min_mb: 57}}]", "LD0012 capture"},
		build: func(m *machine) {
			base(m, 2600)
			poolused(m, tagBytes{"Thre", 60_000_000}, tagBytes{"File", 6_666_667})
		}},

	// LD0024: pool exhausted, and no process with a handle count.
	{rule: "LD0024", fires: true, name: "a !vm alone: 184 failed pool allocations", build: func(m *machine) {
		vm(m, 260976, 262012, 36248, 266240, 184)
	}, want: []string{"LD0024 capture"}},
	{rule: "LD0024", fires: true, name: "a !vm alone: nonpaged pool at 80% of its maximum", build: func(m *machine) {
		vm(m, 209716, 262144, 36248, 266240, 0)
	}, want: []string{"LD0024 capture"}},
	{rule: "LD0024", fires: false, name: "a !vm alone: pools at 79% and 14% of their maximum",
		nearMiss: &nudge{"rules: [{id: LD0024, override: true, params: {max_share: 0.78}}]", "LD0024 capture"},
		build: func(m *machine) {
			vm(m, 207093, 262144, 36248, 266240, 0)
		}},
	{rule: "LD0024", fires: false, name: "failed allocations with processes: LD0011 names the top holder", build: func(m *machine) {
		base(m, 2600)
		m.proc(2240, 700, 0, "ContosoAgent.exe", typical(9000))
		vm(m, 260976, 262012, 36248, 266240, 184)
	}, want: []string{"LD0011 pid 2240"}},

	// LD0025 and LD0026: one tag holding hundreds of MB (nonpaged) or
	// GB (paged) in a listing without a total.
	{rule: "LD0025", fires: true, name: "Thre with 300 MB of nonpaged pool, listing cut short", build: func(m *machine) {
		poolusedCut(m, false, tagBytes{"Thre", 300 << 20}, tagBytes{"IoWI", 2 << 20}, tagBytes{"File", 9 << 20})
	}, want: []string{"LD0025 capture"}},
	{rule: "LD0025", fires: false, name: "Thre with 255 MB of nonpaged pool, listing cut short",
		nearMiss: &nudge{"rules: [{id: LD0025, override: true, params: {min_mb: 255}}]", "LD0025 capture"},
		build: func(m *machine) {
			poolusedCut(m, false, tagBytes{"Thre", 255 << 20}, tagBytes{"File", 9 << 20})
		}},
	{rule: "LD0025", fires: false, name: "Thre with 300 MB, 30% of a pool whose total is known", build: func(m *machine) {
		poolused(m, tagBytes{"Thre", 300 << 20}, tagBytes{"File", 400 << 20}, tagBytes{"MmCa", 300 << 20})
	}},
	{rule: "LD0026", fires: true, name: "CM31 with 2.5 GB of paged pool, listing cut short", build: func(m *machine) {
		poolusedCut(m, true, tagBytes{"CM31", 2560 << 20}, tagBytes{"MmSt", 400 << 20})
	}, want: []string{"LD0026 capture"}},
	{rule: "LD0026", fires: false, name: "MmSt with 2 GB less a byte of paged pool",
		nearMiss: &nudge{"rules: [{id: LD0026, override: true, params: {min_mb: 2047}}]", "LD0026 capture"},
		build: func(m *machine) {
			poolusedCut(m, true, tagBytes{"MmSt", 2048<<20 - 1}, tagBytes{"CM31", 90 << 20})
		}},

	// LD0008: counts missing, tables partly dumped, lines unrecognized.
	{rule: "LD0008", fires: true, name: "a handle count not accessible", build: func(m *machine) {
		base(m, 2600)
		m.block(2240, 700, 0, "ContosoAgent.exe") // HandleCount: <Data Not Accessible>
	}, want: []string{"LD0008 capture"}},
	{rule: "LD0008", fires: true, name: "a dump showing 12 of 1,302 entries", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(12))
		setCounts(p, 1302, 1302)
	}, want: []string{"LD0008 capture"}},
	{rule: "LD0008", fires: true, name: "3 unrecognized lines", build: func(m *machine) {
		base(m, 2600)
		m.unrecognized = 3
	}, want: []string{"LD0008 capture"}},
	{rule: "LD0008", fires: false, name: "Registry and Memory Compression with HandleCount 0", build: func(m *machine) {
		base(m, 2600) // Registry and Memory Compression hold no handles
		m.proc(2240, 700, 0, "ContosoAgent.exe", typical(640))
	}},
}

func TestDefaultRulesFireAndStayQuiet(t *testing.T) {
	set := loadRules(t)
	for _, c := range ruleCases {
		verdict := "quiet"
		if c.fires {
			verdict = "fires"
		}
		t.Run(c.rule+"/"+verdict+"/"+c.name, func(t *testing.T) {
			// The table itself must say what the case is about.
			mentioned := false
			for _, w := range c.want {
				mentioned = mentioned || strings.HasPrefix(w, c.rule+" ")
			}
			if mentioned != c.fires {
				t.Fatalf("case wants %v, which does not agree with fires=%v for %s", c.want, c.fires, c.rule)
			}
			m := newMachine()
			c.build(m)
			checkFired(t, run(t, set, m.snapshot()), c.want)
			if c.nearMiss != nil {
				m := newMachine()
				c.build(m)
				got := fired(run(t, loadRules(t, c.nearMiss.site), m.snapshot()))
				found := false
				for _, f := range got {
					found = found || f == c.nearMiss.finding
				}
				if !found {
					t.Errorf("with %s: fired %v, want %s among them (no near miss)", c.nearMiss.site, got, c.nearMiss.finding)
				}
			}
		})
	}
}

// TestEveryDefaultRuleHasCases checks that each rule of rules.d has a
// firing and a quiet case: in this file's table (the rules whose cases
// need a machine built in Go) or in defaults_test.yaml (the rules over
// series and Linux processes, which the YAML format describes best).
func TestEveryDefaultRuleHasCases(t *testing.T) {
	set := loadRules(t)
	results, err := ruletest.RunFile(context.Background(), set, "defaults_test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yamlFired, yamlQuiet := map[string]int{}, map[string]int{}
	for _, r := range results {
		if !r.Passed || r.Err != nil {
			t.Errorf("defaults_test.yaml:%d %s: fails", r.Line, r.Name)
		}
		for _, id := range r.Fired {
			yamlFired[id]++
		}
		for _, id := range r.Quiet {
			yamlQuiet[id]++
		}
	}
	for _, r := range set.Rules {
		if !r.Enabled {
			t.Errorf("default rule %s is disabled", r.ID)
		}
		fires, quiet := yamlFired[r.ID], yamlQuiet[r.ID]
		inTable := false
		for _, c := range ruleCases {
			if c.rule != r.ID {
				continue
			}
			inTable = true
			if c.fires {
				fires++
			} else {
				quiet++
			}
		}
		if fires == 0 || quiet == 0 {
			t.Errorf("%s: %d firing and %d quiet cases (table: %v), want at least one of each", r.ID, fires, quiet, inTable)
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
	got := [3]string{first.Component.Name, first.Component.Vendor, first.Component.InferredFrom}
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
