package kdgen

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

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
	// distinct, when set, makes every leaked handle's name unique: the
	// name is distinct.head, the handle's sequence number, distinct.tail.
	distinct *distinctName
}

// distinctName is the name a leak of distinct names prints, around the
// number that makes each one unique.
type distinctName struct {
	head, tail []byte
}

// distinctStem splits the name of a leak of distinct names where the
// number goes: before the device suffix of a file (" {HarddiskVolume4}"),
// else at the end. An empty name takes a default of the type's kind. The
// names of leak i > 0 carry i too, so no two leaks share a name.
func distinctStem(typ, name string, i int) *distinctName {
	if name == "" {
		switch typ {
		case "File":
			name = `\ProgramData\Contoso\Agent\Spool\request {HarddiskVolume4}`
		case "Key":
			name = `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Sessions\session`
		default:
			name = "ContosoAgentRequest"
		}
	}
	head, tail := name, ""
	if i := strings.LastIndex(name, " {"); i > 0 && strings.HasSuffix(name, "}") {
		head, tail = name[:i], name[i:]
	}
	d := &distinctName{}
	d.head = append(d.head, "        Directory Object: 00000000  Name: "...)
	d.head = append(d.head, head...)
	if i > 0 {
		d.head = append(d.head, fmt.Sprintf("-%d", i)...)
	}
	d.head = append(d.head, '-')
	d.tail = append(d.tail, tail...)
	d.tail = append(d.tail, '\n')
	return d
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
		if l.Distinct {
			lp.distinct = distinctStem(leakType(l), l.Name, i)
		} else if l.Name != "" {
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
