package rulesd_test

import (
	"fmt"
	"strconv"

	"github.com/leakdiag/leakdiag/facts"
)

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

// poolScreens states PoolMon screens one after another: in each, tag's
// bytes of one pool (nonpaged, or with paged paged pool) in allocations
// of 1 KB, as bytes lists them, with the driver PoolMon's -g maps it to.
func poolScreens(m *machine, paged bool, tag, driver string, bytes ...int64) {
	for i, n := range bytes {
		pos := m.pos(6)
		t := facts.PoolTag{Tag: tag, NonPagedAllocs: n / 1024, NonPagedBytes: n, Binary: driver, Source: pos}
		shown := facts.ShowsNonPaged
		if paged {
			t = facts.PoolTag{Tag: tag, PagedAllocs: n / 1024, PagedBytes: n, Binary: driver, Source: pos}
			shown = facts.ShowsPaged
		}
		m.b.AddPoolTag(t, int64(i), shown)
		m.b.PoolUsage().AddListing(facts.PoolListing{Command: "poolmon -b -g", Sort: facts.PoolSortBytes, Rows: 1, Source: pos})
	}
}
