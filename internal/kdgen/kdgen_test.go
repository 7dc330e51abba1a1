package kdgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// smallConfig is a capture of a few hundred kilobytes with every kind of
// leak, enough to exercise each code path and still run in milliseconds.
func smallConfig() Config {
	leaks := DefaultLeaks(4, 0.5)
	leaks[0].PID = 0x1ec4
	return Config{Processes: 60, Handles: 4000, Seed: 7, Leaks: leaks}
}

func write(t testing.TB, cfg Config) ([]byte, Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := Write(&buf, cfg)
	if err != nil {
		t.Fatalf("Write(%+v): %v", cfg, err)
	}
	return buf.Bytes(), st
}

func TestDeterministic(t *testing.T) {
	cfg := smallConfig()
	a, sa := write(t, cfg)
	b, sb := write(t, cfg)
	if !bytes.Equal(a, b) {
		t.Fatal("two captures of the same Config differ")
	}
	if !reflect.DeepEqual(sa, sb) {
		t.Fatal("two Stats of the same Config differ")
	}
	cfg.Seed++
	if c, _ := write(t, cfg); bytes.Equal(a, c) {
		t.Fatal("seeds 7 and 8 wrote the same capture")
	}
}

// TestStatsMatchText reads the capture back with a strict parser of the
// layout and checks every figure of Stats against what it found.
func TestStatsMatchText(t *testing.T) {
	for _, cfg := range []Config{
		smallConfig(),
		{Processes: 1, Handles: 1, Seed: 1},
		{Processes: 13, Handles: 13, Seed: 2},
		{Processes: 300, Handles: 20000, Seed: 3, Leaks: []Leak{{Share: 0.2, Type: "Mutant", Name: "FabrikamBackupLock"}}},
		{Processes: 40, Handles: 8000, Seed: 4, Leaks: []Leak{{Share: 0.3, Type: "File", Distinct: true}, {Share: 0.2, Type: "Key", Name: `\REGISTRY\MACHINE\SOFTWARE\Fabrikam\Session`, Distinct: true}}},
	} {
		t.Run(fmt.Sprintf("%dp%dh", cfg.Processes, cfg.Handles), func(t *testing.T) {
			data, st := write(t, cfg)
			c := parse(t, data)

			if st.Bytes != int64(len(data)) {
				t.Errorf("Stats.Bytes = %d, wrote %d", st.Bytes, len(data))
			}
			if n := int64(bytes.Count(data, []byte("\n"))); st.Lines != n {
				t.Errorf("Stats.Lines = %d, wrote %d", st.Lines, n)
			}
			if st.Processes != cfg.Processes || len(c.procs) != cfg.Processes {
				t.Errorf("Stats.Processes = %d, wrote %d, want %d", st.Processes, len(c.procs), cfg.Processes)
			}
			if st.Handles != cfg.Handles || c.handles != cfg.Handles {
				t.Errorf("Stats.Handles = %d, wrote %d, want %d", st.Handles, c.handles, cfg.Handles)
			}
			// The count a one-line awk script makes: lines with " Type: (".
			if n := int64(bytes.Count(data, []byte(" Type: ("))); n != cfg.Handles {
				t.Errorf("%d lines hold \" Type: (\", want %d", n, cfg.Handles)
			}
			if !maps.Equal(st.ByType, c.byType) {
				t.Errorf("Stats.ByType = %v, wrote %v", st.ByType, c.byType)
			}
			if st.Named != c.named || st.Unnamed != c.unnamed {
				t.Errorf("Stats named/unnamed = %d/%d, wrote %d/%d", st.Named, st.Unnamed, c.named, c.unnamed)
			}
			if st.DistinctNames != len(c.names) {
				t.Errorf("Stats.DistinctNames = %d, wrote %d", st.DistinctNames, len(c.names))
			}
			if len(st.PerProcess) != len(c.procs) {
				t.Fatalf("%d PerProcess, wrote %d processes", len(st.PerProcess), len(c.procs))
			}
			for i, want := range c.procs {
				got := st.PerProcess[i]
				got.Leaked = 0 // the text cannot tell leaked from ordinary handles
				if !reflect.DeepEqual(got, want) {
					t.Errorf("PerProcess[%d] = %+v\nwrote %+v", i, got, want)
				}
			}
		})
	}
}

func TestLayout(t *testing.T) {
	data, st := write(t, Config{Processes: 40, Handles: 2000, Seed: 11})
	lines := strings.Split(string(data), "\n")
	want := []string{
		"0: kd> !process 0 0",
		"**** NT ACTIVE PROCESS DUMP ****",
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d = %q, want %q", i+1, lines[i], w)
		}
	}
	if !strings.HasPrefix(lines[3], "    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000") ||
		lines[5] != "    Image: System" {
		t.Errorf("first process is not System:\n%s", strings.Join(lines[2:6], "\n"))
	}
	if !strings.HasSuffix(string(data), "\n\n") {
		t.Error("capture does not end with a handle's blank line")
	}

	// HandleCount takes at least three columns, right-aligned.
	counts := regexp.MustCompile(`HandleCount: ( *\d+)\.`).FindAllStringSubmatch(string(data), -1)
	widths := map[int]bool{}
	for _, m := range counts {
		n := len(strings.TrimLeft(m[1], " "))
		widths[n] = true
		if len(m[1]) != max(3, n) {
			t.Fatalf("%q is not right-aligned in three columns", m[0])
		}
	}
	if !widths[1] || !widths[2] || !widths[3] {
		t.Errorf("want one-, two- and three-digit HandleCounts to check alignment, got widths %v", widths)
	}

	// Names as the debugger prints them: files with their volume or
	// device, keys from the registry root, namespace objects as a leaf in
	// a directory.
	text := string(data)
	for _, want := range []string{
		"  Type: (", ") ALPC Port\n",
		"Directory Object: 00000000  Name: \\Windows\\System32 {HarddiskVolume4}\n",
		"Directory Object: 00000000  Name: \\REGISTRY\\MACHINE\\",
		"  Name: KnownDlls\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("capture has no %q", want)
		}
	}
	if regexp.MustCompile(`Directory Object: 00000000  Name: [^\\]`).MatchString(text) {
		t.Error("a name outside a directory does not start with a backslash")
	}
	for _, typ := range []string{"Event", "File", "Key", "ALPC Port", "Thread", "Token", "WaitCompletionPacket"} {
		if st.ByType[typ] == 0 {
			t.Errorf("no %s handle in a capture of %d handles", typ, st.Handles)
		}
	}
	if st.Named == 0 || st.Unnamed == 0 {
		t.Errorf("named %d, unnamed %d: want both", st.Named, st.Unnamed)
	}
}

func TestLeaks(t *testing.T) {
	cfg := smallConfig()
	_, st := write(t, cfg)
	leakers := 0
	for _, p := range st.PerProcess {
		if p.Leaked == 0 {
			continue
		}
		l := cfg.Leaks[leakers]
		leakers++
		if l.PID != 0 && p.PID != l.PID {
			t.Errorf("leaker %d has pid %#x, want %#x", leakers, p.PID, l.PID)
		}
		if want := int64(l.Share * float64(cfg.Handles)); p.Handles != want {
			t.Errorf("leaker %s holds %d handles, want %d", p.Image, p.Handles, want)
		}
		if p.ByType[l.Type] < p.Leaked || p.Leaked < p.Handles*9/10 {
			t.Errorf("leaker %s: %d %s handles, %d leaked of %d", p.Image, p.ByType[l.Type], l.Type, p.Leaked, p.Handles)
		}
		if l.Name == "" && p.Unnamed < p.Leaked {
			t.Errorf("leaker %s of anonymous objects: %d unnamed handles, %d leaked", p.Image, p.Unnamed, p.Leaked)
		}
	}
	if leakers != len(cfg.Leaks) {
		t.Errorf("%d leakers, want %d", leakers, len(cfg.Leaks))
	}
}

// TestDistinctLeak: a leak of distinct names names every leaked handle
// differently, with its number before the device of a file.
func TestDistinctLeak(t *testing.T) {
	cfg := Config{Processes: 20, Handles: 4000, Seed: 5, Leaks: []Leak{{Share: 0.5, Type: "File", Name: `\Spool\req {HarddiskVolume4}`, Distinct: true}}}
	data, st := write(t, cfg)
	var leaker ProcessStats
	for _, p := range st.PerProcess {
		if p.Leaked > 0 {
			leaker = p
		}
	}
	if int64(leaker.DistinctNames) < leaker.Leaked {
		t.Errorf("leaker: %d distinct names for %d leaked handles", leaker.DistinctNames, leaker.Leaked)
	}
	if n := int64(bytes.Count(data, []byte(`Name: \Spool\req-`))); n != leaker.Leaked {
		t.Errorf("%d names of the leak, want %d", n, leaker.Leaked)
	}
	if !bytes.Contains(data, []byte("-2 {HarddiskVolume4}\n")) {
		t.Error("the number does not come before the device")
	}
}

// TestSharedLeakObject checks that a leak of a named namespace object is
// many handles to one object whose HandleCount every holder prints alike.
func TestSharedLeakObject(t *testing.T) {
	cfg := Config{Processes: 20, Handles: 1000, Seed: 5, Leaks: []Leak{{Share: 0.5, Type: "Mutant", Name: "LeakedMutex"}}}
	data, st := write(t, cfg)
	re := regexp.MustCompile(`Object: ([0-9a-f]{16})  Type: \([0-9a-f]{16}\) Mutant\n.*\n        HandleCount: (\d+) .*\n        Directory Object: [0-9a-f]{16}  Name: LeakedMutex\n`)
	ms := re.FindAllSubmatch(data, -1)
	var leaked int64
	for _, p := range st.PerProcess {
		leaked += p.Leaked
	}
	if int64(len(ms)) != leaked {
		t.Fatalf("%d handles to LeakedMutex, want %d", len(ms), leaked)
	}
	for _, m := range ms {
		if !bytes.Equal(m[1], ms[0][1]) || !bytes.Equal(m[2], ms[0][2]) {
			t.Fatalf("handles to LeakedMutex differ: object %s count %s, then %s count %s", ms[0][1], ms[0][2], m[1], m[2])
		}
	}
	if hc, _ := strconv.ParseInt(string(ms[0][2]), 10, 64); hc < leaked {
		t.Errorf("LeakedMutex HandleCount %d, below the %d handles to it", hc, leaked)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Processes: 0, Handles: 10},
		{Processes: 10, Handles: 9},
		{Processes: 1, Handles: 10, Leaks: []Leak{{Share: 0.5}}},
		{Processes: 10, Handles: 100, Leaks: []Leak{{Share: 0}}},
		{Processes: 10, Handles: 100, Leaks: []Leak{{Share: 1.5}}},
		{Processes: 10, Handles: 100, Leaks: []Leak{{Share: 0.6}, {Share: 0.4}}},
		{Processes: 10, Handles: 100, Leaks: []Leak{{Share: 0.5, PID: 4}}},
		{Processes: 10, Handles: 100, Leaks: []Leak{{Share: 0.5, PID: 0x102}}},
		{Processes: 10, Handles: 100, Leaks: []Leak{{Share: 0.2, PID: 0x100}, {Share: 0.2, PID: 0x100}}},
		{Processes: 10, Handles: 100, Leaks: []Leak{{Share: 0.2, Name: "two\nlines"}}},
		{Processes: 100, Handles: 110, Leaks: []Leak{{Share: 0.5}}},
	} {
		var buf bytes.Buffer
		if _, err := Write(&buf, cfg); err == nil {
			t.Errorf("Write(%+v) succeeded, want an error", cfg)
		} else if buf.Len() != 0 {
			t.Errorf("Write(%+v) wrote %d bytes before its error", cfg, buf.Len())
		}
	}
}

type failWriter struct{ left int }

var errFull = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		n := w.left
		w.left = 0
		return n, errFull
	}
	w.left -= len(p)
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	_, err := Write(&failWriter{left: 100 << 10}, Config{Processes: 50, Handles: 20000, Seed: 1})
	if !errors.Is(err, errFull) {
		t.Fatalf("Write to a writer that fails = %v, want %v", err, errFull)
	}
}

// TestStreaming checks that Write holds no handle: writing four times the
// handles for the same processes allocates about the same.
func TestStreaming(t *testing.T) {
	alloc := func(handles int64) (uint64, Stats) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		st, err := Write(io.Discard, Config{Processes: 50, Handles: handles, Seed: 3, Leaks: DefaultLeaks(1, 0.5)})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		return after.TotalAlloc - before.TotalAlloc, st
	}
	small, _ := alloc(50_000)
	large, st := alloc(200_000)
	if large > small+small/2 {
		t.Errorf("Write allocated %d bytes for 50k handles, %d for 200k", small, large)
	}
	// Names repeat: a reader keeping distinct names keeps a few thousand.
	if st.DistinctNames > 5000 || st.DistinctNames < 500 {
		t.Errorf("%d distinct names in %d handles, want a few thousand", st.DistinctNames, st.Handles)
	}
}

func BenchmarkWrite(b *testing.B) {
	cfg := Config{Processes: 200, Handles: 200_000, Seed: 1, Leaks: DefaultLeaks(1, 0.3)}
	st, _ := Write(io.Discard, cfg)
	b.SetBytes(st.Bytes)
	for b.Loop() {
		if _, err := Write(io.Discard, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// capture is what parse read back from a capture.
type capture struct {
	procs          []ProcessStats
	handles        int64
	byType         map[string]int64
	named, unnamed int64
	names          map[string]bool // "type\x00name"
}

var (
	processRe = regexp.MustCompile(`^PROCESS ([0-9a-f]{16})$`)
	sessionRe = regexp.MustCompile(`^    SessionId: (none|\d+)  Cid: ([0-9a-f]{4,})    Peb: ([0-9a-f]{8,})  ParentCid: ([0-9a-f]{4,})$`)
	dirBaseRe = regexp.MustCompile(`^    DirBase: [0-9a-f]{8,}  ObjectTable: ([0-9a-f]{16})  HandleCount: +(\d+)\.$`)
	imageRe   = regexp.MustCompile(`^    Image: (\S.*)$`)
	commandRe = regexp.MustCompile(`^0: kd> !handle 0 3 ([0-9a-f]{16})$`)
	tableRe   = regexp.MustCompile(`^Handle table at ([0-9a-f]{16}) with (\d+) entries in use$`)
	entryRe   = regexp.MustCompile(`^([0-9a-f]{4,}): Object: ([0-9a-f]{16})  GrantedAccess: [0-9a-f]{8}(?: \(Protected\))?(?: \(Inherit\))?(?: \(Audit\))? Entry: ([0-9a-f]{16})$`)
	objectRe  = regexp.MustCompile(`^Object: ([0-9a-f]{16})  Type: \(([0-9a-f]{16})\) (\S.*)$`)
	headerRe  = regexp.MustCompile(`^    ObjectHeader: ([0-9a-f]{16}) \(new version\)$`)
	countsRe  = regexp.MustCompile(`^        HandleCount: (\d+)  PointerCount: (\d+)$`)
	nameRe    = regexp.MustCompile(`^        Directory Object: (?:00000000|[0-9a-f]{16})  Name: (\S.*)$`)
)

// lineReader hands out lines with their numbers and fails the test at any
// line that does not match what the layout expects there.
type lineReader struct {
	t    testing.TB
	sc   *bufio.Scanner
	n    int
	line string
	ok   bool
}

func (r *lineReader) next() bool {
	r.ok = r.sc.Scan()
	r.line = r.sc.Text()
	r.n++
	return r.ok
}

func (r *lineReader) match(re *regexp.Regexp) []string {
	r.t.Helper()
	m := re.FindStringSubmatch(r.line)
	if !r.ok || m == nil {
		r.t.Fatalf("line %d = %q, want a match of %s", r.n, r.line, re)
	}
	r.next()
	return m
}

func (r *lineReader) blank() {
	r.t.Helper()
	if !r.ok || r.line != "" {
		r.t.Fatalf("line %d = %q, want a blank line", r.n, r.line)
	}
	r.next()
}

func hexValue(t testing.TB, s string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// processBlock reads the four lines of a PROCESS block.
func (r *lineReader) processBlock() (ps ProcessStats, handleCount int64) {
	r.t.Helper()
	ps.Address = hexValue(r.t, r.match(processRe)[1])
	m := r.match(sessionRe)
	ps.Session = SessionNone
	if m[1] != "none" {
		ps.Session, _ = strconv.Atoi(m[1])
	}
	ps.PID = uint32(hexValue(r.t, m[2]))
	ps.PPID = uint32(hexValue(r.t, m[4]))
	m = r.match(dirBaseRe)
	ps.ObjectTable = hexValue(r.t, m[1])
	handleCount, _ = strconv.ParseInt(m[2], 10, 64)
	ps.Image = r.match(imageRe)[1]
	return ps, handleCount
}

// parse reads a capture strictly, checking the layout and the invariants
// the debugger keeps (handle values, object headers, counts), and returns
// what it found.
func parse(t testing.TB, data []byte) capture {
	t.Helper()
	c := capture{byType: map[string]int64{}, names: map[string]bool{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	r := &lineReader{t: t, sc: sc}
	r.next()
	if r.line != "0: kd> !process 0 0" {
		t.Fatalf("line 1 = %q", r.line)
	}
	r.next()
	if r.line != "**** NT ACTIVE PROCESS DUMP ****" {
		t.Fatalf("line 2 = %q", r.line)
	}
	r.next()
	var listed []ProcessStats
	var listedCounts []int64
	for r.ok && strings.HasPrefix(r.line, "PROCESS ") {
		ps, hc := r.processBlock()
		r.blank()
		listed = append(listed, ps)
		listedCounts = append(listedCounts, hc)
	}

	typeAddr := map[string]string{}
	for i := 0; r.ok; i++ {
		if i >= len(listed) {
			t.Fatalf("line %d: more !handle sections than the %d processes listed", r.n, len(listed))
		}
		if addr := hexValue(t, r.match(commandRe)[1]); addr != listed[i].Address {
			t.Fatalf("line %d: !handle for %x, want process %d at %x", r.n-1, addr, i, listed[i].Address)
		}
		r.blank()
		ps, hc := r.processBlock()
		if !reflect.DeepEqual(ps, listed[i]) || hc != listedCounts[i] {
			t.Fatalf("line %d: !handle's PROCESS block %+v (%d handles) differs from !process's %+v (%d)", r.n, ps, hc, listed[i], listedCounts[i])
		}
		r.blank()
		m := r.match(tableRe)
		if hexValue(t, m[1]) != ps.ObjectTable {
			t.Fatalf("line %d: handle table at %s, ObjectTable %x", r.n-1, m[1], ps.ObjectTable)
		}
		entries, _ := strconv.ParseInt(m[2], 10, 64)
		if entries != hc {
			t.Fatalf("line %d: %d entries in use, HandleCount %d", r.n-1, entries, hc)
		}
		r.blank()

		ps.ByType = map[string]int64{}
		seen := map[string]bool{}
		for r.ok && r.line != "" && !strings.HasPrefix(r.line, "0: kd> ") {
			ps.Handles++
			m := r.match(entryRe)
			if v := hexValue(t, m[1]); v != uint64(ps.Handles*4) {
				t.Fatalf("line %d: handle %s, want %x", r.n-1, m[1], ps.Handles*4)
			}
			// Table pages are 4 KiB of 16-byte entries.
			if e := hexValue(t, m[3]); e&0xfff != uint64(ps.Handles%256)*16 {
				t.Fatalf("line %d: entry %s does not sit at handle %d's slot", r.n-1, m[3], ps.Handles)
			}
			obj := m[2]
			o := r.match(objectRe)
			if o[1] != obj {
				t.Fatalf("line %d: object %s, handle said %s", r.n-1, o[1], obj)
			}
			typ := o[3]
			if a, ok := typeAddr[typ]; ok && a != o[2] {
				t.Fatalf("line %d: type %s at %s, earlier at %s", r.n-1, typ, o[2], a)
			}
			typeAddr[typ] = o[2]
			if h := hexValue(t, r.match(headerRe)[1]); h != hexValue(t, obj)-0x30 {
				t.Fatalf("line %d: object header %x for object %s", r.n-1, h, obj)
			}
			counts := r.match(countsRe)
			hcount, _ := strconv.ParseInt(counts[1], 10, 64)
			pcount, _ := strconv.ParseInt(counts[2], 10, 64)
			if hcount < 1 || pcount < hcount {
				t.Fatalf("line %d: HandleCount %d PointerCount %d", r.n-1, hcount, pcount)
			}
			ps.ByType[typ]++
			if strings.HasPrefix(r.line, "        Directory Object: ") {
				key := typ + "\x00" + r.match(nameRe)[1]
				ps.Named++
				if !seen[key] {
					seen[key] = true
					ps.DistinctNames++
				}
				c.names[key] = true
			} else {
				ps.Unnamed++
			}
			r.blank()
		}
		if ps.Handles != hc {
			t.Fatalf("line %d: process %x shows %d handles, HandleCount %d", r.n, ps.Address, ps.Handles, hc)
		}
		c.procs = append(c.procs, ps)
		c.handles += ps.Handles
		c.named += ps.Named
		c.unnamed += ps.Unnamed
		for k, v := range ps.ByType {
			c.byType[k] += v
		}
	}
	if len(c.procs) != len(listed) {
		t.Fatalf("%d processes listed, %d !handle sections", len(listed), len(c.procs))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return c
}
