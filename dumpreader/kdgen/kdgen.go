// Package kdgen writes large synthetic kernel debugger captures: the text a
// kd or WinDbg session prints for `!process 0 0` followed by `!handle 0 3
// <process>` for every process, in the Windows 10 x64 layout.
//
// The captures exist to test and benchmark leakdiag's reader on inputs far
// larger than any real capture at hand. They are deterministic for a seed,
// written as a stream in constant memory (only the process list and a few
// thousand object names are held, never the handles), and described by the
// Stats that Write returns, so a test can check every figure a reader
// derives against what was actually written.
//
// A capture looks like this, handle after handle:
//
//	0: kd> !process 0 0
//	**** NT ACTIVE PROCESS DUMP ****
//	PROCESS ffffc38e2c0dc080
//	    SessionId: 1  Cid: 08fc    Peb: da309be000  ParentCid: 156c
//	    DirBase: 1bc32002  ObjectTable: ffffa08f5ad26540  HandleCount: 2041.
//	    Image: IrpTrackerClient.exe
//
//	0: kd> !handle 0 3 ffffc38e2c0dc080
//
//	PROCESS ffffc38e2c0dc080
//	...
//	Handle table at ffffa08f5ad26540 with 2041 entries in use
//
//	0004: Object: ffffc38e2ff236b0  GrantedAccess: 0012019f Entry: ffffa08f5b1ff010
//	Object: ffffc38e2ff236b0  Type: (ffffc38e2c0fcf00) File
//	    ObjectHeader: ffffc38e2ff23680 (new version)
//	        HandleCount: 2  PointerCount: 65536
//	        Directory Object: 00000000  Name: \Windows\System32\en-US\foo.dll.mui {HarddiskVolume4}
//
// Object names come from a fixed pool of a few thousand realistic names
// (files, registry keys, named events, ALPC ports...), drawn with a skewed
// distribution, so names repeat as they do on a real machine and a reader
// that keeps one entry per distinct name stays small however many handles
// the capture holds.
package kdgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// SessionNone is the ProcessStats.Session of a process whose SessionId the
// capture prints as "none" (System and a few early system processes).
const SessionNone = -1

// Config describes the capture to write.
type Config struct {
	// Processes is the number of processes, System included. It must be at
	// least 1. Cids keep to four hex digits up to about 5,000 processes.
	Processes int
	// Handles is the total number of handles across all processes. Every
	// process holds at least one, so it must be at least Processes.
	Handles int64
	// Seed selects the capture: the same Config writes the same bytes.
	Seed int64
	// Leaks are the leaking processes, if any. Each holds its Share of
	// Handles, almost all of them to the leaked object (see Leak).
	Leaks []Leak
}

// Leak describes one leaking process. The process holds Share of
// Config.Handles; all but a small working set (a tenth of them, at most
// about 800) are handles of type Type, to objects named Name or to
// anonymous objects when Name is empty. The leaked handles are spread
// through the process's handle table, as a leak that grows over time
// interleaves with normal activity. Leakers appear in the capture in the
// order of Config.Leaks.
type Leak struct {
	// PID is the leaking process's Cid, a non-zero multiple of 4 other than
	// 4 (System). Zero lets Write pick one.
	PID uint32
	// Image is the process's image name; empty picks a vendor agent name.
	Image string
	// Share is the fraction of Config.Handles this process holds, in (0, 1).
	Share float64
	// Type is the object type of the leaked handles; empty means "Event".
	// A type outside the usual Windows set is written as given.
	Type string
	// Name is the name of the leaked object, printed as the debugger would
	// ("\ProgramData\Agent\trace.log {HarddiskVolume4}" for a File,
	// "\REGISTRY\MACHINE\..." for a Key, a leaf name for a named Event).
	// Empty means anonymous objects: the classic unnamed Event leak. For a
	// File or Key every leaked handle is a separate object with that name
	// (the file opened again and again); for other types all leaked
	// handles refer to one object (the same named object opened again and
	// again), whose HandleCount says so.
	Name string
}

// DefaultLeaks returns n (at least 0) leaks sharing share of the handles
// equally, cycling through the shapes a handle leak usually takes: anonymous
// Events, one file opened over and over, one registry key opened over and
// over, and one named Section duplicated over and over.
func DefaultLeaks(n int, share float64) []Leak {
	shapes := []Leak{
		{Type: "Event"},
		{Type: "File", Name: `\ProgramData\Contoso\Agent\Logs\agent-trace.etl {HarddiskVolume4}`},
		{Type: "Key", Name: `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Policies`},
		{Type: "Section", Name: "ContosoAgentSharedState"},
	}
	leaks := make([]Leak, n)
	for i := range leaks {
		leaks[i] = shapes[i%len(shapes)]
		leaks[i].Share = share / float64(n)
	}
	return leaks
}

// Stats describes a capture Write wrote.
type Stats struct {
	// Bytes and Lines are the size of the capture; every line, the last
	// included, ends with "\n".
	Bytes int64
	Lines int64
	// Processes and Handles are the numbers of processes and handles
	// written.
	Processes int
	Handles   int64
	// ByType counts handles per object type ("Event", "ALPC Port"); types
	// with no handle are absent.
	ByType map[string]int64
	// Named counts handles printed with a "Directory Object: ... Name:"
	// line and Unnamed those printed without one.
	Named   int64
	Unnamed int64
	// DistinctNames is the number of distinct (type, name) pairs in the
	// whole capture.
	DistinctNames int
	// PerProcess describes each process, in the order written.
	PerProcess []ProcessStats
}

// ProcessStats describes one process of a capture.
type ProcessStats struct {
	// Address is the EPROCESS address and ObjectTable the handle table's.
	Address     uint64
	ObjectTable uint64
	PID         uint32
	PPID        uint32
	// Session is the session id, or SessionNone.
	Session int
	Image   string
	// Handles is the number of handles written, which is also the
	// HandleCount and the "entries in use" the capture prints.
	Handles int64
	// ByType, Named and Unnamed are as in Stats, for this process.
	ByType  map[string]int64
	Named   int64
	Unnamed int64
	// DistinctNames is the number of distinct (type, name) pairs among
	// this process's named handles.
	DistinctNames int
	// Leaked is the number of handles of the process's leak (see Leak), 0
	// for a process that does not leak.
	Leaked int64
}

// Write writes the capture cfg describes to w and returns its Stats. It
// buffers its output and holds memory in proportion to the number of
// processes, never to the number of handles. The error is a Config error
// (before anything is written) or w's first write error.
func Write(w io.Writer, cfg Config) (Stats, error) {
	g, err := newGen(cfg)
	if err != nil {
		return Stats{}, err
	}
	g.bw = bufio.NewWriterSize(w, 256<<10)
	g.run()
	if g.err == nil {
		g.err = g.bw.Flush()
	}
	if g.err != nil {
		return g.stats, fmt.Errorf("kdgen: writing the capture: %w", g.err)
	}
	return g.stats, nil
}

// flushAt is the size at which the scratch buffer is handed to the
// bufio.Writer: large enough that per-call costs vanish, small enough to
// stay in cache.
const flushAt = 32 << 10

type gen struct {
	cfg   Config
	rng   *rand.Rand
	bw    *bufio.Writer
	buf   []byte
	err   error
	stats Stats

	types   []*objType
	typeIdx map[string]int
	names   []nameEntry
	nameIDs map[string]int // by nameKey
	procs   []*proc
	// cum is the current process's cumulative type weights, for picking the
	// type of each ordinary handle.
	cum []float64
	// seenBy[id] is 1 + the index of the last process that held name id,
	// which counts a process's distinct names without a set per process.
	seenBy []int32
	// everSeen marks the names used anywhere in the capture.
	everSeen []bool

	nonpaged, paged uint64 // bases of the two kernel pool regions
	knownDlls       int    // name id of the \KnownDlls directory
}

// proc is one process of the capture.
type proc struct {
	addr, objTable uint64
	pid, ppid      uint32
	session        int
	image          string
	peb            uint64 // 0 prints as 00000000
	dirBase        uint64
	weight         float64
	handles        int64
	leak           *leakPlan
}

// leakPlan is a Leak resolved against the type and name tables.
type leakPlan struct {
	leaked int64
	typ    int
	name   int    // name id, -1 for anonymous objects
	shared uint64 // the one object all leaked handles refer to, or 0
}

// nameEntry is one object name with its ready-made output line.
type nameEntry struct {
	text string
	line []byte // "        Directory Object: ...  Name: ...\n"
	obj  uint64 // address of the namespace object, 0 when each open makes a new object
	hc   int64  // the namespace object's HandleCount, printed the same by every holder
}

// objType is one object type of the capture.
type objType struct {
	name   string
	addr   uint64
	weight float64 // share of ordinary handles, relative
	named  float64 // probability an ordinary handle of this type is named
	paged  bool    // objects live in paged pool
	access []uint32
	pool   []int // name ids
	zipf   *rand.Zipf
	tail   []byte // "  Type: (addr) Name\n"
}

func newGen(cfg Config) (*gen, error) {
	if err := validate(cfg); err != nil {
		return nil, err
	}
	// PCG takes two words; the second is fixed so that the seed alone
	// selects the capture.
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6b64_6765_6e21_0001))
	g := &gen{
		cfg:     cfg,
		rng:     rng,
		buf:     make([]byte, 0, flushAt+4096),
		typeIdx: map[string]int{},
	}
	// Windows x64 pool addresses: nonpaged (processes, events, files) and
	// paged (handle tables, keys, tokens) regions at per-boot random bases.
	g.nonpaged = 0xffff_c000_0000_0000 + uint64(rng.IntN(0x3ff0))<<32
	g.paged = 0xffff_a000_0000_0000 + uint64(rng.IntN(0x3ff0))<<32
	g.buildTypes()
	g.buildNames()
	if err := g.buildProcesses(); err != nil {
		return nil, err
	}
	g.seenBy = make([]int32, len(g.names))
	g.everSeen = make([]bool, len(g.names))
	g.stats.ByType = map[string]int64{}
	return g, nil
}

func validate(cfg Config) error {
	if cfg.Processes < 1 {
		return fmt.Errorf("kdgen: Processes is %d, need at least 1", cfg.Processes)
	}
	if cfg.Handles < int64(cfg.Processes) {
		return fmt.Errorf("kdgen: Handles is %d, need at least one per process (%d)", cfg.Handles, cfg.Processes)
	}
	if len(cfg.Leaks) > cfg.Processes-1 {
		return fmt.Errorf("kdgen: %d leaks need at least %d processes (System does not leak)", len(cfg.Leaks), len(cfg.Leaks)+1)
	}
	pids := map[uint32]bool{}
	var share, leakHandles float64
	for i, l := range cfg.Leaks {
		if !(l.Share > 0 && l.Share < 1) {
			return fmt.Errorf("kdgen: leak %d: Share %v is not in (0, 1)", i, l.Share)
		}
		share += l.Share
		leakHandles += math.Max(1, math.Round(l.Share*float64(cfg.Handles)))
		if l.PID != 0 {
			if l.PID%4 != 0 || l.PID == 4 {
				return fmt.Errorf("kdgen: leak %d: PID %#x is not a non-zero multiple of 4 other than System's", i, l.PID)
			}
			if pids[l.PID] {
				return fmt.Errorf("kdgen: leak %d: PID %#x used twice", i, l.PID)
			}
			pids[l.PID] = true
		}
		for _, s := range []string{l.Image, l.Type, l.Name} {
			if strings.ContainsAny(s, "\r\n") {
				return fmt.Errorf("kdgen: leak %d: %q holds a line break", i, s)
			}
		}
	}
	if share >= 1 {
		return fmt.Errorf("kdgen: leak shares add up to %v, need less than 1", share)
	}
	others := int64(cfg.Processes - len(cfg.Leaks))
	if cfg.Handles-int64(leakHandles) < others {
		return fmt.Errorf("kdgen: leaks take %d of %d handles, leaving fewer than one for each of the %d other processes", int64(leakHandles), cfg.Handles, others)
	}
	return nil
}

// Object types, with the access masks Windows 10 processes typically hold
// them with and the share of a typical process's handle table they take.
var typeTable = []struct {
	name   string
	weight float64
	named  float64
	paged  bool
	access []uint32
}{
	{"Event", 30, 0.15, false, []uint32{0x001f0003, 0x001f0003, 0x00100003, 0x00100002, 0x00000002}},
	{"File", 12, 1, false, []uint32{0x0012019f, 0x00100001, 0x00100020, 0x00120089, 0x00120116, 0x00100080}},
	{"Key", 10, 1, true, []uint32{0x00020019, 0x000f003f, 0x00000001, 0x00020006, 0x00000009}},
	{"EtwRegistration", 9, 0, false, []uint32{0x00000804}},
	{"WaitCompletionPacket", 8, 0, false, []uint32{0x00000001}},
	{"ALPC Port", 5, 0.15, false, []uint32{0x001f0001, 0x00000001}},
	{"Thread", 5, 0, false, []uint32{0x001fffff, 0x00101fff, 0x00001400, 0x00100000}},
	{"IoCompletion", 4, 0, false, []uint32{0x001f0003}},
	{"Semaphore", 3, 0.1, false, []uint32{0x001f0003, 0x00100003}},
	{"Section", 3, 0.3, true, []uint32{0x00000004, 0x000f0007, 0x00000006, 0x000f0005}},
	{"Mutant", 2, 0.5, false, []uint32{0x001f0001, 0x00100000}},
	{"TpWorkerFactory", 2, 0, false, []uint32{0x000f00ff}},
	{"Process", 1.2, 0, false, []uint32{0x001fffff, 0x00001478, 0x00101000, 0x00001000}},
	{"Token", 1, 0, true, []uint32{0x00000008, 0x0000000a, 0x000f01ff}},
	{"Directory", 0.6, 1, true, []uint32{0x00000003, 0x0000000f, 0x000f000f}},
	{"Desktop", 0.5, 1, false, []uint32{0x000f01ff, 0x00000100}},
	{"WindowStation", 0.4, 1, false, []uint32{0x000f037f, 0x000f01ff}},
}

func (g *gen) buildTypes() {
	used := map[uint64]bool{}
	for _, t := range typeTable {
		g.addType(t.name, t.weight, t.named, t.paged, t.access, used)
	}
	for _, l := range g.cfg.Leaks {
		if _, ok := g.typeIdx[leakType(l)]; !ok {
			// A type of the caller's own: unnamed objects in nonpaged
			// pool, never chosen for ordinary handles.
			g.addType(leakType(l), 0, 0, false, []uint32{0x001f0003}, used)
		}
	}
}

func leakType(l Leak) string {
	if l.Type == "" {
		return "Event"
	}
	return l.Type
}

func (g *gen) addType(name string, weight, named float64, paged bool, access []uint32, used map[uint64]bool) {
	// Type objects sit together early in nonpaged pool, as they are
	// created at boot.
	var addr uint64
	for addr == 0 || used[addr] {
		addr = g.nonpaged + 0x2c000000 + uint64(g.rng.IntN(1<<20))<<4
	}
	used[addr] = true
	t := &objType{name: name, addr: addr, weight: weight, named: named, paged: paged, access: access}
	t.tail = append(t.tail, "  Type: ("...)
	t.tail = appendHex(t.tail, addr, 16)
	t.tail = append(t.tail, ") "...)
	t.tail = append(t.tail, name...)
	t.tail = append(t.tail, '\n')
	g.typeIdx[name] = len(g.types)
	g.types = append(g.types, t)
}

// buildNames fills the name pools. The pool is the same for every seed
// (built from its own fixed generator) so that captures of different seeds
// share their vocabulary; only the namespace addresses vary.
func (g *gen) buildNames() {
	fixed := rand.New(rand.NewPCG(0x6e616d6573, 1))
	// Namespace directories the named objects live in.
	root := g.paged + 0x0000_1a60      // \
	bno := g.paged + 0x0100_2d40       // \BaseNamedObjects
	knownDlls := g.paged + 0x0011_c9e0 // \KnownDlls
	rpc := g.paged + 0x0005_7a20       // \RPC Control
	sessions := g.paged + 0x0004_f160  // \Sessions
	session1 := g.paged + 0x0230_84b0  // \Sessions\1
	winsta := g.paged + 0x0233_1c70    // \Sessions\1\Windows\WindowStations

	g.nameIDs = map[string]int{}
	add := func(typ string, dir uint64, text string) int {
		t := g.types[g.typeIdx[typ]]
		key := nameKey(typ, text)
		if _, dup := g.nameIDs[key]; dup {
			panic("kdgen: duplicate name " + key)
		}
		id := len(g.names)
		g.nameIDs[key] = id
		e := nameEntry{text: text}
		e.line = append(e.line, "        Directory Object: "...)
		if dir == 0 {
			e.line = append(e.line, "00000000"...)
		} else {
			e.line = appendHex(e.line, dir, 16)
			// A named object in the namespace is one object, whoever
			// opens it.
			e.obj = g.randObject(t.paged)
			e.hc = 1 + int64(g.rng.IntN(12))
		}
		e.line = append(e.line, "  Name: "...)
		e.line = append(e.line, text...)
		e.line = append(e.line, '\n')
		g.names = append(g.names, e)
		t.pool = append(t.pool, id)
		return id
	}
	guid := func() string {
		a, b := fixed.Uint64(), fixed.Uint64()
		return fmt.Sprintf("{%08X-%04X-%04X-%04X-%012X}", uint32(a>>32), uint16(a>>16), uint16(a), uint16(b>>48), b&0xffffffffffff)
	}
	const vol = " {HarddiskVolume4}"

	// Directories: the early handles of every process.
	g.knownDlls = add("Directory", root, "KnownDlls")
	add("Directory", root, "KnownDlls32")
	add("Directory", session1, "BaseNamedObjects")
	add("Directory", root, "Sessions")
	add("Directory", sessions, "BNOLINKS")
	add("Directory", root, "Windows")
	add("Directory", root, "RPC Control")
	add("Directory", root, "ObjectTypes")

	// Files: the DLLs and their resources, fonts, pipes, sockets, console,
	// logs and per-user files.
	add("File", 0, `\Windows\System32`+vol)
	add("File", 0, `\Windows`+vol)
	add("File", 0, `\Windows\SysWOW64`+vol)
	add("File", 0, `\Windows\Registration\R000000000006.clb`+vol)
	add("File", 0, `\Windows\System32\wbem\Repository\OBJECTS.DATA`+vol)
	add("File", 0, `\Windows\System32\wbem\Repository\INDEX.BTR`+vol)
	add("File", 0, `\Windows\System32\config\systemprofile\AppData\Local\Microsoft\Windows\Caches\cversions.2.db`+vol)
	add("File", 0, `\Windows\Globalization\Sorting\SortDefault.nls`+vol)
	add("File", 0, `\Windows\System32\locale.nls`+vol)
	add("File", 0, `\Windows\Fonts\StaticCache.dat`+vol)
	add("File", 0, `\ProgramData\Microsoft\Windows Defender\Scans\mpcache-8F1B.bin`+vol)
	for _, d := range dlls {
		add("File", 0, `\Windows\System32\`+d+vol)
		add("File", 0, `\Windows\System32\en-US\`+d+".mui"+vol)
		add("File", 0, `\Windows\SysWOW64\`+d+vol)
	}
	for _, f := range fonts {
		add("File", 0, `\Windows\Fonts\`+f+vol)
	}
	for _, p := range pipes {
		add("File", 0, `\`+p+" {NamedPipe}")
	}
	for i := 0; i < 180; i++ {
		add("File", 0, fmt.Sprintf(`\mojo.%d.%d.%d {NamedPipe}`, 1000+fixed.IntN(60000), 1+fixed.IntN(40), fixed.Uint64()>>1))
	}
	for _, s := range []string{`\Endpoint {Afd}`, `\AsyncConnectHlp {Afd}`, `\Connect {ConDrv}`, `\Reference {ConDrv}`,
		`\Input {ConDrv}`, `\Output {ConDrv}`, `\CurrentIn {ConDrv}`, `\CurrentOut {ConDrv}`, `\CMApi {DeviceApi}`,
		`\CMNotify {DeviceApi}`, `\Nsi {Nsi}`, `\Tcp {Tcp}`} {
		add("File", 0, s)
	}
	for _, v := range vendors {
		for i := 0; i < 90; i++ {
			add("File", 0, fmt.Sprintf(`\Program Files\%s\Logs\%s_%03d.log`, v.dir, v.log, i)+vol)
		}
		add("File", 0, fmt.Sprintf(`\Program Files\%s\%s.exe`, v.dir, v.log)+vol)
		add("File", 0, fmt.Sprintf(`\ProgramData\%s\state.db`, v.dir)+vol)
	}
	for u := 1; u <= 100; u++ {
		user := fmt.Sprintf(`\Users\user%03d`, u)
		add("File", 0, user+`\AppData\Local\Microsoft\Windows\Explorer\iconcache_32.db`+vol)
		add("File", 0, user+`\AppData\Local\Microsoft\Windows\Explorer\thumbcache_256.db`+vol)
		add("File", 0, user+`\AppData\Local\Microsoft\Windows\UsrClass.dat`+vol)
		add("File", 0, user+`\NTUSER.DAT`+vol)
		add("File", 0, user+`\Documents`+vol)
	}

	// Registry keys.
	for _, k := range machineKeys {
		add("Key", 0, `\REGISTRY\MACHINE\`+k)
	}
	add("Key", 0, `\REGISTRY\MACHINE`)
	add("Key", 0, `\REGISTRY\USER`)
	add("Key", 0, `\REGISTRY\USER\.DEFAULT`)
	add("Key", 0, `\REGISTRY\USER\S-1-5-18`)
	for _, s := range services {
		base := `\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\` + s
		add("Key", 0, base)
		add("Key", 0, base+`\Parameters`)
		add("Key", 0, base+`\Security`)
	}
	for i := 0; i < 420; i++ {
		add("Key", 0, `\REGISTRY\MACHINE\SOFTWARE\Classes\CLSID\`+guid())
	}
	for u := 1; u <= 100; u++ {
		sid := fmt.Sprintf(`\REGISTRY\USER\S-1-5-21-3623811015-3361044348-30300820-%d`, 1000+u)
		add("Key", 0, sid)
		add("Key", 0, sid+`\Software\Microsoft\Windows\CurrentVersion\Explorer`)
		add("Key", 0, sid+`\Control Panel\International`)
		add("Key", 0, sid+`_Classes`)
	}

	// Named events, mutants, semaphores and sections in \BaseNamedObjects.
	for _, n := range eventNames {
		add("Event", bno, n)
	}
	for i := 0; i < 360; i++ {
		add("Event", bno, eventPrefixes[i%len(eventPrefixes)]+guid())
	}
	for _, n := range mutantNames {
		add("Mutant", bno, n)
	}
	for i := 0; i < 130; i++ {
		add("Mutant", bno, "Local_Mutex_"+guid())
	}
	for i := 0; i < 48; i++ {
		add("Semaphore", bno, fmt.Sprintf("SM0:%d:%d:WilStaging_02_p0", 300+8*i, 120+i%5*16))
	}
	for _, d := range dlls[:80] {
		add("Section", knownDlls, d)
	}
	for _, n := range sectionNames {
		add("Section", bno, n)
	}
	for i := 0; i < 100; i++ {
		add("Section", bno, "windows_webcache_counters_"+guid()+"_S-1-5-18")
	}

	// ALPC ports in \RPC Control.
	for _, n := range alpcNames {
		add("ALPC Port", rpc, n)
	}
	for i := 0; i < 120; i++ {
		add("ALPC Port", rpc, fmt.Sprintf("OLE%016X", fixed.Uint64()))
	}
	for i := 0; i < 40; i++ {
		add("ALPC Port", rpc, fmt.Sprintf("LRPC-%016x", fixed.Uint64()))
	}

	// Desktops and window stations.
	for _, n := range []string{`\Default`, `\Winlogon`, `\Disconnect`} {
		add("Desktop", 0, n)
	}
	for _, n := range []string{"WinSta0", "Service-0x0-3e7$", "Service-0x0-3e5$", "Service-0x0-3e4$"} {
		add("WindowStation", winsta, n)
	}

	// The leaks' names, where the pool does not have them already.
	for _, l := range g.cfg.Leaks {
		typ := leakType(l)
		if _, ok := g.nameIDs[nameKey(typ, l.Name)]; ok || l.Name == "" {
			continue
		}
		dir := bno
		if typ == "File" || typ == "Key" || g.typeIdx[typ] >= len(typeTable) {
			dir = 0
		}
		add(typ, dir, l.Name)
		// Keep a name of the leak's own out of the ordinary draws.
		t := g.types[g.typeIdx[typ]]
		t.pool = t.pool[:len(t.pool)-1]
	}

	for _, t := range g.types {
		if len(t.pool) > 1 {
			// Zipf draws make a few names very common and most rare, as on a
			// real machine.
			t.zipf = rand.NewZipf(g.rng, 1.15, 2, uint64(len(t.pool)-1))
		}
	}
}

func nameKey(typ, text string) string { return typ + "\x00" + text }

func (g *gen) randObject(paged bool) uint64 {
	base := g.nonpaged
	if paged {
		base = g.paged
	}
	// Objects are 16-byte aligned within 16 GiB of their region's base.
	return base + 0x1_0000_0000 + g.rng.Uint64N(1<<34)&^0xf
}

// buildProcesses lays out the process list and each process's handle count.
func (g *gen) buildProcesses() error {
	rng := g.rng
	n := g.cfg.Processes
	used := map[uint32]bool{0: true, 4: true}
	for _, l := range g.cfg.Leaks {
		used[l.PID] = true
	}
	// Cids mostly grow in creation order, with gaps where short-lived
	// processes came and went; some are reused low Cids. Several thousand
	// processes keep to four hex digits.
	next := uint32(0x40 + 4*rng.IntN(16))
	newPID := func() uint32 {
		for {
			var pid uint32
			if rng.IntN(5) == 0 {
				pid = uint32(8 + 4*rng.IntN(int(next/4)))
			} else {
				next += uint32(4 * (1 + rng.IntN(6)))
				pid = next
			}
			if !used[pid] {
				used[pid] = true
				return pid
			}
		}
	}
	addrs := map[uint64]bool{}
	newAddr := func(base uint64, low []uint64) uint64 {
		for {
			a := base + 0x1_0000_0000 + rng.Uint64N(1<<22)<<12 + low[rng.IntN(len(low))]
			if !addrs[a] {
				addrs[a] = true
				return a
			}
		}
	}

	byImage := map[string]*proc{}
	var explorer *proc // the current session's shell, parent of its apps
	add := func(image string, session int, parent *proc) *proc {
		p := &proc{image: image, session: session}
		if image == "System" {
			p.pid = 4
		} else {
			p.pid = newPID()
		}
		switch {
		case parent != nil:
			p.ppid = parent.pid
		case image == "System":
			p.ppid = 0
		default:
			// Started by a process that has since exited (smss.exe's
			// per-session instance, userinit.exe): a Cid nobody holds.
			p.ppid = newPID()
		}
		p.addr = newAddr(g.nonpaged, []uint64{0x040, 0x080, 0x0c0, 0x300, 0x340})
		p.objTable = newAddr(g.paged, []uint64{0x040, 0x180, 0x540, 0x9c0, 0xd00})
		if session != SessionNone || image == "smss.exe" {
			p.peb = uint64(0x10+rng.IntN(0xf0))<<32 | uint64(rng.IntN(1<<20))<<12
		}
		p.dirBase = uint64(1+rng.IntN(1<<20-1))<<12 | 0x002
		p.weight = math.Exp(math.Log(300) + 0.9*rng.NormFloat64())
		if w, ok := imageWeight[image]; ok {
			p.weight *= w
		}
		if byImage[image] == nil {
			byImage[image] = p
		}
		g.procs = append(g.procs, p)
		return p
	}

	// The processes every Windows 10 machine starts with, in boot order.
	sys := add("System", SessionNone, nil)
	sys.dirBase = 0x001ad002
	head := []struct {
		image   string
		session int
		parent  string
	}{
		{"Registry", SessionNone, "System"},
		{"smss.exe", SessionNone, "System"},
		{"csrss.exe", 0, ""},
		{"wininit.exe", 0, ""},
		{"services.exe", 0, "wininit.exe"},
		{"lsass.exe", 0, "wininit.exe"},
		{"fontdrvhost.exe", 0, "wininit.exe"},
		{"svchost.exe", 0, "services.exe"},
		{"Memory Compression", SessionNone, "System"},
		{"spoolsv.exe", 0, "services.exe"},
		{"MsMpEng.exe", 0, "services.exe"},
	}
	for _, h := range head {
		if len(g.procs) == n {
			break
		}
		add(h.image, h.session, byImage[h.parent])
	}

	// Then services and interactive sessions, the latter each with its
	// own csrss, winlogon, dwm and shell, as on a terminal server.
	session, budget := 0, 0
	for len(g.procs) < n {
		if rng.IntN(4) == 0 {
			img := pick(rng, serviceImages)
			parent := byImage["services.exe"]
			if img == "WmiPrvSE.exe" || img == "dllhost.exe" {
				parent = byImage["svchost.exe"]
			}
			add(img, 0, parent)
			continue
		}
		if budget == 0 {
			session++
			budget = 20 + rng.IntN(60)
			add("csrss.exe", session, nil)
			winlogon := add("winlogon.exe", session, nil)
			for _, img := range []string{"fontdrvhost.exe", "dwm.exe"} {
				if len(g.procs) < n {
					add(img, session, winlogon)
				}
			}
			if len(g.procs) < n {
				explorer = add("explorer.exe", session, nil)
			}
			continue
		}
		budget--
		parent := explorer
		img := pick(rng, userImages)
		if img == "RuntimeBroker.exe" || img == "sihost.exe" || img == "taskhostw.exe" {
			parent = byImage["svchost.exe"]
		}
		add(img, session, parent)
	}
	g.procs = g.procs[:n]

	return g.planHandles()
}

// planHandles places the leakers and shares Config.Handles out.
func (g *gen) planHandles() error {
	rng := g.rng
	n := len(g.procs)
	leaks := g.cfg.Leaks
	// Leakers replace ordinary processes after the boot-time ones when
	// there are enough, keeping those processes' session and parent.
	first := 12
	if n-first < len(leaks) {
		first = 1
	}
	slots := rng.Perm(n - first)[:len(leaks)]
	slices.Sort(slots) // leakers appear in the order of Config.Leaks
	var leakHandles int64
	for i, l := range leaks {
		p := g.procs[first+slots[i]]
		if l.PID != 0 {
			p.pid = l.PID
		}
		p.image = l.Image
		if p.image == "" {
			p.image = leakImages[i%len(leakImages)]
		}
		p.handles = max(1, int64(math.Round(l.Share*float64(g.cfg.Handles))))
		leakHandles += p.handles
		// A working set of ordinary handles, the rest leaked.
		working := min(p.handles/10, int64(200+rng.IntN(600)))
		lp := &leakPlan{leaked: p.handles - working, typ: g.typeIdx[leakType(l)], name: -1}
		if l.Name != "" {
			lp.name = g.nameIDs[nameKey(leakType(l), l.Name)]
			if e := &g.names[lp.name]; e.obj != 0 {
				lp.shared = e.obj
				e.hc += lp.leaked
			}
		}
		p.leak = lp
	}
	// Ordinary processes: one handle each, the rest in proportion to their
	// weights, and the rounding remainder one each in process order.
	var totalW float64
	var ordinary []*proc
	for _, p := range g.procs {
		if p.leak == nil {
			ordinary = append(ordinary, p)
			totalW += p.weight
		}
	}
	spare := g.cfg.Handles - leakHandles - int64(len(ordinary))
	if spare < 0 {
		return errors.New("kdgen: leaks leave too few handles for the other processes")
	}
	given := int64(0)
	for _, p := range ordinary {
		p.handles = 1 + int64(float64(spare)*p.weight/totalW)
		given += p.handles - 1
	}
	for i := 0; given < spare; i = (i + 1) % len(ordinary) {
		ordinary[i].handles++
		given++
	}
	return nil
}

func pick(rng *rand.Rand, list []weighted) string {
	var total float64
	for _, w := range list {
		total += w.w
	}
	x := rng.Float64() * total
	for _, w := range list {
		if x < w.w {
			return w.s
		}
		x -= w.w
	}
	return list[len(list)-1].s
}

type weighted struct {
	s string
	w float64
}

// run writes the capture.
func (g *gen) run() {
	g.buf = append(g.buf, "0: kd> !process 0 0\n**** NT ACTIVE PROCESS DUMP ****\n"...)
	for _, p := range g.procs {
		g.header(p)
		g.buf = append(g.buf, '\n')
		g.maybeFlush()
	}
	for i, p := range g.procs {
		if g.err != nil {
			return
		}
		g.buf = append(g.buf, "0: kd> !handle 0 3 "...)
		g.buf = appendHex(g.buf, p.addr, 16)
		g.buf = append(g.buf, "\n\n"...)
		g.header(p)
		g.buf = append(g.buf, "\nHandle table at "...)
		g.buf = appendHex(g.buf, p.objTable, 16)
		g.buf = append(g.buf, " with "...)
		g.buf = strconv.AppendInt(g.buf, p.handles, 10)
		g.buf = append(g.buf, " entries in use\n\n"...)
		g.handles(i, p)
	}
	g.flush()
}

// header writes a process's four-line block.
func (g *gen) header(p *proc) {
	b := append(g.buf, "PROCESS "...)
	b = appendHex(b, p.addr, 16)
	b = append(b, "\n    SessionId: "...)
	if p.session == SessionNone {
		b = append(b, "none"...)
	} else {
		b = strconv.AppendInt(b, int64(p.session), 10)
	}
	b = append(b, "  Cid: "...)
	b = appendHex(b, uint64(p.pid), 4)
	b = append(b, "    Peb: "...)
	if p.peb == 0 {
		b = append(b, "00000000"...)
	} else {
		b = appendHex(b, p.peb, 1)
	}
	b = append(b, "  ParentCid: "...)
	b = appendHex(b, uint64(p.ppid), 4)
	b = append(b, "\n    DirBase: "...)
	b = appendHex(b, p.dirBase, 8)
	b = append(b, "  ObjectTable: "...)
	b = appendHex(b, p.objTable, 16)
	b = append(b, "  HandleCount: "...)
	// The debugger right-aligns the count in three columns.
	if p.handles < 100 {
		b = append(b, ' ')
	}
	if p.handles < 10 {
		b = append(b, ' ')
	}
	b = strconv.AppendInt(b, p.handles, 10)
	b = append(b, ".\n    Image: "...)
	b = append(b, p.image...)
	b = append(b, '\n')
	g.buf = b
}

// handles writes process i's handle table.
func (g *gen) handles(i int, p *proc) {
	rng := g.rng
	ps := ProcessStats{
		Address: p.addr, ObjectTable: p.objTable, PID: p.pid, PPID: p.ppid,
		Session: p.session, Image: p.image, Handles: p.handles,
	}
	byType := make([]int64, len(g.types))
	stamp := int32(i + 1)

	// Each process weighs the types its own way: a UI process holds more
	// Desktops, a server more ALPC ports and completion packets.
	g.cum = g.cum[:0]
	var total float64
	for _, t := range g.types {
		total += t.weight * math.Exp(0.5*rng.NormFloat64())
		g.cum = append(g.cum, total)
	}

	var leakLeft int64
	if p.leak != nil {
		leakLeft = p.leak.leaked
		ps.Leaked = leakLeft
	}
	var page uint64
	for h := int64(1); h <= p.handles; h++ {
		remaining := p.handles - h + 1
		isLeak := false
		// Sequential sampling spreads exactly leakLeft leaked handles over
		// the rest of the table; the first handle stays ordinary where it
		// can, as a process opens \KnownDlls before it starts leaking.
		if leakLeft > 0 && !(h == 1 && remaining > leakLeft) && rng.Int64N(remaining) < leakLeft {
			isLeak = true
			leakLeft--
		}

		// Handle table pages hold 256 entries of 16 bytes.
		if h == 1 || h%256 == 0 {
			page = g.paged + 0x1_0000_0000 + rng.Uint64N(1<<22)<<12
		}
		entry := page + uint64(h%256)*16

		var typ, name int
		var obj uint64
		hc := int64(1)
		if isLeak {
			lp := p.leak
			typ, name = lp.typ, lp.name
			if lp.shared != 0 {
				obj, hc = lp.shared, g.names[name].hc
			}
		} else if h == 1 && p.peb != 0 {
			typ, name = g.typeIdx["Directory"], g.knownDlls
		} else {
			typ, name = g.pickType(), -1
			t := g.types[typ]
			if t.named > 0 && len(t.pool) > 0 && (t.named >= 1 || rng.Float64() < t.named) {
				name = t.pool[0]
				if t.zipf != nil {
					k := int(t.zipf.Uint64())
					if rng.IntN(2) == 0 {
						// Half the draws rotate the ranking by the process's
						// address, so each process has favourites of its own
						// and the whole pool gets used.
						k = (k + int(p.addr>>6)) % len(t.pool)
					}
					name = t.pool[k]
				}
			}
		}
		t := g.types[typ]
		if obj == 0 {
			switch {
			case name >= 0 && g.names[name].obj != 0:
				obj, hc = g.names[name].obj, g.names[name].hc
			case t.name == "Process":
				obj = g.procs[rng.IntN(len(g.procs))].addr
				hc = 1 + int64(rng.IntN(8))
			default:
				obj = g.randObject(t.paged)
				if rng.IntN(10) == 0 {
					hc = 2 + int64(rng.IntN(2))
				}
			}
		}

		b := appendHex(g.buf, uint64(h*4), 4)
		b = append(b, ": Object: "...)
		b = appendHex(b, obj, 16)
		b = append(b, "  GrantedAccess: "...)
		b = appendHex(b, uint64(t.access[rng.IntN(len(t.access))]), 8)
		// Handle attributes are rare: inheritable handles for child
		// processes, protected ones set by a few services, audit almost
		// never.
		x := rng.Uint64()
		if x&0x1ff == 0 {
			b = append(b, " (Protected)"...)
		}
		if x>>9&0x3f == 0 {
			b = append(b, " (Inherit)"...)
		}
		if x>>15&0x7ff == 0 {
			b = append(b, " (Audit)"...)
		}
		b = append(b, " Entry: "...)
		b = appendHex(b, entry, 16)
		b = append(b, "\nObject: "...)
		b = appendHex(b, obj, 16)
		b = append(b, t.tail...)
		b = append(b, "    ObjectHeader: "...)
		b = appendHex(b, obj-0x30, 16)
		b = append(b, " (new version)\n        HandleCount: "...)
		b = strconv.AppendInt(b, hc, 10)
		b = append(b, "  PointerCount: "...)
		// Windows 8 and later bias each handle's reference by 32768.
		b = strconv.AppendInt(b, hc*32768+int64(x>>26&3)-1, 10)
		b = append(b, '\n')
		if name >= 0 {
			b = append(b, g.names[name].line...)
			ps.Named++
			if g.seenBy[name] != stamp {
				g.seenBy[name] = stamp
				ps.DistinctNames++
				if !g.everSeen[name] {
					g.everSeen[name] = true
					g.stats.DistinctNames++
				}
			}
		} else {
			ps.Unnamed++
		}
		g.buf = append(b, '\n')
		byType[typ]++
		if g.maybeFlush(); g.err != nil {
			return
		}
	}

	ps.ByType = map[string]int64{}
	for k, c := range byType {
		if c > 0 {
			ps.ByType[g.types[k].name] = c
			g.stats.ByType[g.types[k].name] += c
		}
	}
	g.stats.Processes++
	g.stats.Handles += p.handles
	g.stats.Named += ps.Named
	g.stats.Unnamed += ps.Unnamed
	g.stats.PerProcess = append(g.stats.PerProcess, ps)
}

// pickType draws the type of an ordinary handle from the current process's
// weights.
func (g *gen) pickType() int {
	x := g.rng.Float64() * g.cum[len(g.cum)-1]
	for i, c := range g.cum {
		if x < c {
			return i
		}
	}
	return len(g.cum) - 1
}

func (g *gen) maybeFlush() {
	if len(g.buf) >= flushAt {
		g.flush()
	}
}

func (g *gen) flush() {
	if g.err != nil {
		g.buf = g.buf[:0]
		return
	}
	g.stats.Bytes += int64(len(g.buf))
	g.stats.Lines += int64(bytes.Count(g.buf, []byte{'\n'}))
	_, g.err = g.bw.Write(g.buf)
	g.buf = g.buf[:0]
}

const hexDigits = "0123456789abcdef"

// appendHex appends v in lowercase hex, zero-padded to at least width
// digits, as the debugger prints addresses and handle values.
func appendHex(b []byte, v uint64, width int) []byte {
	var tmp [16]byte
	i := len(tmp)
	for v != 0 || len(tmp)-i < width {
		i--
		tmp[i] = hexDigits[v&0xf]
		v >>= 4
	}
	return append(b, tmp[i:]...)
}

// The vocabulary of the captures. Names are those of a Windows 10 machine;
// vendor products are fictitious.

var dlls = []string{
	"kernel32.dll", "KernelBase.dll", "ntdll.dll", "user32.dll", "gdi32.dll", "gdi32full.dll",
	"win32u.dll", "advapi32.dll", "sechost.dll", "rpcrt4.dll", "combase.dll", "ole32.dll",
	"oleaut32.dll", "msvcrt.dll", "ucrtbase.dll", "msvcp_win.dll", "shell32.dll", "shlwapi.dll",
	"SHCore.dll", "windows.storage.dll", "profapi.dll", "powrprof.dll", "umpdc.dll",
	"kernel.appcore.dll", "cryptbase.dll", "bcrypt.dll", "bcryptprimitives.dll", "crypt32.dll",
	"msasn1.dll", "wintrust.dll", "imagehlp.dll", "ws2_32.dll", "mswsock.dll", "dnsapi.dll",
	"IPHLPAPI.DLL", "nsi.dll", "winhttp.dll", "wininet.dll", "urlmon.dll", "iertutil.dll",
	"netutils.dll", "srvcli.dll", "wkscli.dll", "samcli.dll", "sspicli.dll", "secur32.dll",
	"userenv.dll", "wtsapi32.dll", "winsta.dll", "uxtheme.dll", "dwmapi.dll", "imm32.dll",
	"msctf.dll", "clbcatq.dll", "propsys.dll", "cfgmgr32.dll", "setupapi.dll", "devobj.dll",
	"wldp.dll", "version.dll", "winmm.dll", "dbghelp.dll", "dbgcore.dll", "comctl32.dll",
	"comdlg32.dll", "wevtapi.dll", "wer.dll", "rsaenh.dll", "ncrypt.dll", "ntasn1.dll",
	"dpapi.dll", "gpapi.dll", "msv1_0.dll", "kerberos.dll", "schannel.dll", "ntmarta.dll",
	"authz.dll", "dhcpcsvc.dll", "dhcpcsvc6.dll", "winnsi.dll", "fwpuclnt.dll", "rasadhlp.dll",
	"webio.dll", "TextInputFramework.dll", "CoreMessaging.dll", "CoreUIComponents.dll",
	"WinTypes.dll", "twinapi.appcore.dll", "rmclient.dll", "execmodelproxy.dll",
	"policymanager.dll", "msvcp110_win.dll", "sppc.dll", "slc.dll", "wbemcomn.dll",
	"wbemprox.dll", "wbemsvc.dll", "fastprox.dll", "amsi.dll", "edputil.dll", "mpr.dll",
	"netapi32.dll", "logoncli.dll", "cryptsp.dll", "cryptnet.dll", "sxs.dll", "ntdsapi.dll",
}

var fonts = []string{
	"segoeui.ttf", "segoeuib.ttf", "segoeuil.ttf", "segoeuisl.ttf", "seguisym.ttf", "seguiemj.ttf",
	"arial.ttf", "arialbd.ttf", "calibri.ttf", "calibrib.ttf", "cambria.ttc", "consola.ttf",
	"cour.ttf", "times.ttf", "tahoma.ttf", "verdana.ttf", "marlett.ttf", "SegoeIcons.ttf",
	"msyh.ttc", "meiryo.ttc", "malgun.ttf", "simsun.ttc",
}

var pipes = []string{
	"lsass", "ntsvcs", "srvsvc", "wkssvc", "eventlog", "InitShutdown", "scerpc", "atsvc",
	"epmapper", "LSM_API_service", "spoolss", "trkwks", "W32TIME_ALT", "winreg", "samr",
	"netlogon", "PIPE_EVENTROOT\\CIMV2SCM EVENT PROVIDER", "Winsock2\\CatalogChangeListener-2a8-0",
	"Winsock2\\CatalogChangeListener-3c4-0", "Winsock2\\CatalogChangeListener-1f0-0",
	"GoogleCrashServices\\S-1-5-18", "MsFteWds", "SearchTextHarvester", "ROUTER", "tapsrv",
	"PSHost.133401234567890123.4412.DefaultAppDomain.powershell", "vgauth-service",
	"ContosoAgentControl", "FabrikamBackupRpc", "IrpTrackerPipe",
}

var vendors = []struct{ dir, log string }{
	{`Contoso\Agent`, "ContosoAgent"},
	{`Fabrikam\Backup`, "FabrikamBackup"},
	{`IrpTracker\Client`, "IrpTrackerClient"},
}

var machineKeys = []string{
	`SOFTWARE`,
	`SYSTEM\ControlSet001\Control\Nls\Sorting\Versions`,
	`SYSTEM\ControlSet001\Control\Nls\CustomLocale`,
	`SYSTEM\ControlSet001\Control\Nls\ExtendedLocale`,
	`SYSTEM\ControlSet001\Control\Session Manager`,
	`SYSTEM\ControlSet001\Control\Session Manager\Environment`,
	`SYSTEM\ControlSet001\Control\Lsa`,
	`SYSTEM\ControlSet001\Control\NetworkProvider\HwOrder`,
	`SYSTEM\ControlSet001\Control\NetworkProvider\ProviderOrder`,
	`SYSTEM\ControlSet001\Control\Class\{4d36e972-e325-11ce-bfc1-08002be10318}`,
	`SYSTEM\ControlSet001\Control\DeviceClasses`,
	`SYSTEM\ControlSet001\Control\WMI\Autologger`,
	`SYSTEM\ControlSet001\Enum`,
	`SYSTEM\ControlSet001\Services\WinSock2\Parameters\Protocol_Catalog9`,
	`SYSTEM\ControlSet001\Services\WinSock2\Parameters\NameSpace_Catalog5`,
	`SYSTEM\ControlSet001\Services\Tcpip\Parameters\Interfaces`,
	`SYSTEM\Setup`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Perflib\009`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\FontSubstitutes`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Explorer\FolderDescriptions`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\SideBySide`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\WINEVT\Publishers`,
	`SOFTWARE\Microsoft\Ole`,
	`SOFTWARE\Microsoft\Rpc`,
	`SOFTWARE\Microsoft\Cryptography\Defaults\Provider`,
	`SOFTWARE\Microsoft\Windows Defender\Real-Time Protection`,
	`SOFTWARE\Microsoft\WBEM\CIMOM`,
	`SOFTWARE\Microsoft\SQMClient\Windows`,
	`SOFTWARE\Microsoft\Tracing`,
	`SOFTWARE\Policies\Microsoft\Windows\System`,
	`SOFTWARE\Classes`,
	`SOFTWARE\Classes\AppID`,
	`SOFTWARE\Classes\Interface`,
	`SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion`,
	`SOFTWARE\Contoso\Agent`,
	`SOFTWARE\Fabrikam\Backup\Jobs`,
	`SOFTWARE\IrpTracker\Client\Settings`,
}

var services = []string{
	"AudioSrv", "BFE", "BITS", "BrokerInfrastructure", "CDPSvc", "CoreMessagingRegistrar",
	"CryptSvc", "DcomLaunch", "Dhcp", "DiagTrack", "DispBrokerDesktopSvc", "Dnscache", "DPS",
	"DusmSvc", "EventLog", "EventSystem", "FontCache", "gpsvc", "iphlpsvc", "KeyIso",
	"LanmanServer", "LanmanWorkstation", "lmhosts", "LSM", "mpssvc", "NcbService", "netprofm",
	"NlaSvc", "nsi", "PlugPlay", "Power", "ProfSvc", "RpcEptMapper", "RpcSs", "SamSs",
	"Schedule", "SENS", "ShellHWDetection", "Spooler", "SysMain", "SystemEventsBroker",
	"Themes", "TimeBrokerSvc", "TrkWks", "UserManager", "UsoSvc", "W32Time", "WinDefend",
	"WinHttpAutoProxySvc", "Winmgmt", "WpnService", "wscsvc", "WSearch", "wuauserv",
	"TermService", "UmRdpService", "SessionEnv", "StateRepository", "StorSvc", "TabletInputService",
	"Tcpip", "Afd", "NetBT", "volmgr", "disk", "partmgr", "Ntfs", "FltMgr", "WdFilter",
	"ContosoAgent", "FabrikamBackup", "IrpTracker",
}

var eventNames = []string{
	"TermSrvReadyEvent", "ShellDesktopSwitchEvent", "ThemesStartEvent", "SC_AutoStartComplete",
	"SvcctrlStartEvent_A3752DX", "LSA_AUTHENTICATION_INITIALIZED", "CLR_PerfMon_StartEnumEvent",
	"CLR_PerfMon_DoneEnumEvent", "WinSATScanEvent", "BcastSystemShutdownEvent",
	"MSCTF.CtfActivated.Default1", "ShellReadyEvent", "WFP_IPSEC_EVENT", "SystemUpdateRequired",
	"Dwm-Startup-Event", "UniqueSessionIdEvent", "HomeGroupEvent", "EventLogReadyEvent",
	"WPCDLLScanEvent", "NlaSvc_WaitEvent", "ContosoAgentReady", "FabrikamBackupJobDone",
}

var eventPrefixes = []string{"", "Global_", "MSCTF.Event.", "ShellNotify_", "WnfEvent_", "SessionImmersiveColorSet_"}

var mutantNames = []string{
	"SmartScreen_AppRepSettings_Mutex", "ZonesCacheCounterMutex", "ZonesLockedCacheCounterMutex",
	"_SHuassist.mtx", "SessionImmersiveColorMutex", "MSCTF.Asm.MutexDefault1", "CTF.LBES.MutexDefault1",
	"CTF.Compart.MutexDefault1", "CTF.Layouts.MutexDefault1", "CTF.TimListCache.FMPDefault1MUTEX.Default1",
	"WininetStartupMutex", "WininetConnectionMutex", "WininetProxyRegistryMutex", "RasPbFile",
	"ContosoAgentSingleInstance", "FabrikamBackupLock",
}

var sectionNames = []string{
	"__ComCatalogCache__", "windows_shell_global_counters", "Cor_SxSPublic_IPCBlock",
	"windows_ie_global_counters", "UrlZonesSM_SYSTEM", "CTF.AsmListCache.FMPDefault1",
	"CTF.TimListCache.FMPDefault1", "MSCTF.Shared.SFM.Default", "ContosoAgentSharedState",
	"DwmGlobalData", "NlsSectionCP1252", "NlsSectionCP437",
}

var alpcNames = []string{
	"epmapper", "actkernel", "lsasspirpc", "ntsvcs", "dhcpcsvc", "dhcpcsvc6", "WindowsShutdown",
	"LRPC-lsasspirpc", "OLE-System", "DNSResolver", "NETLOGON_LRPC", "audiosrv", "wmsgapi",
	"LSMApi", "SessEnvPublicRpc", "PlugPlay", "ubpmrpc", "senssvc", "tapsrvlpc", "csebpub",
	"IUserProfile2", "ContosoAgentRpc",
}

// imageWeight scales the typical handle count of some images.
var imageWeight = map[string]float64{
	"System": 8, "lsass.exe": 5, "csrss.exe": 2, "services.exe": 2.5, "explorer.exe": 6,
	"MsMpEng.exe": 3, "svchost.exe": 1.5, "Registry": 0.05, "Memory Compression": 0.05,
	"smss.exe": 0.2, "chrome.exe": 1.2, "OUTLOOK.EXE": 4, "dwm.exe": 2.5, "SearchIndexer.exe": 3,
}

var serviceImages = []weighted{
	{"svchost.exe", 70}, {"WmiPrvSE.exe", 4}, {"dllhost.exe", 3}, {"SearchIndexer.exe", 1},
	{"SecurityHealthService.exe", 1}, {"WUDFHost.exe", 2}, {"dasHost.exe", 1}, {"audiodg.exe", 1},
	{"unsecapp.exe", 1}, {"TrustedInstaller.exe", 0.5}, {"TiWorker.exe", 0.5}, {"vmtoolsd.exe", 1},
	{"sqlservr.exe", 1}, {"w3wp.exe", 2}, {"ContosoAgent.exe", 1}, {"FabrikamBackupSvc.exe", 1},
	{"IrpTrackerSvc.exe", 1}, {"conhost.exe", 2}, {"NisSrv.exe", 1}, {"SgrmBroker.exe", 0.5},
}

var userImages = []weighted{
	{"RuntimeBroker.exe", 12}, {"chrome.exe", 14}, {"msedge.exe", 8}, {"conhost.exe", 6},
	{"taskhostw.exe", 3}, {"sihost.exe", 2}, {"ctfmon.exe", 2}, {"SearchApp.exe", 2},
	{"StartMenuExperienceHost.exe", 2}, {"ShellExperienceHost.exe", 2}, {"TextInputHost.exe", 2},
	{"OneDrive.exe", 2}, {"Teams.exe", 3}, {"OUTLOOK.EXE", 1}, {"WINWORD.EXE", 1}, {"EXCEL.EXE", 1},
	{"notepad.exe", 1}, {"cmd.exe", 2}, {"powershell.exe", 2}, {"rdpclip.exe", 2},
	{"smartscreen.exe", 1}, {"SecurityHealthSystray.exe", 1}, {"ApplicationFrameHost.exe", 1},
	{"dllhost.exe", 2}, {"backgroundTaskHost.exe", 1}, {"IrpTrackerClient.exe", 1},
	{"ContosoAgentTray.exe", 1},
}

// leakImages name the leakers a Config leaves unnamed: vendor agents, the
// usual suspects.
var leakImages = []string{"IrpTrackerClient.exe", "ContosoAgent.exe", "FabrikamBackupSvc.exe", "ContosoSyncHost.exe"}
