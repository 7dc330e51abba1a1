package counterlog

import (
	"bytes"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Diagnostic codes of the counter log reader, besides the facts.Code*
// ones.
const (
	// CodeColumns: a sample row with more or fewer values than its header
	// has counters (a paste that lost or doubled a piece): values past the
	// header's counters are not read, counters without a value are blank.
	CodeColumns = "column-mismatch"
	// CodeOtherCounters: counters that are not about processes (memory,
	// processor, network), or of another host than the log's, not read.
	CodeOtherCounters = "other-counters"
	// CodeThinned: a log longer than MaxPoints samples, of which evenly
	// spread ones were kept.
	CodeThinned = "thinned-samples"
	// CodeTime: a sample not later than the one before it (skipped), or
	// times without a zone (read as UTC).
	CodeTime = "sample-time"
)

// minWidth is the narrowest console whose wrapped lines are joined.
const minWidth = 40

// MaxLineLen bounds a line of a log, and maxRecordBytes a record joined
// from wrapped console lines: a header of all 28 Process counters
// ("\Process(*)\*") of a thousand processes is 1.4 MB.
const (
	MaxLineLen     = 16 << 20
	maxRecordBytes = MaxLineLen
)

// slot is one counter instance of the Process object.
type slot struct {
	instance, image string
	// pid is the pid the instance name gives (svchost_1204, as perfmon
	// names instances with ProcessNameFormat 2), 0 otherwise.
	pid uint64
}

// colRef is what a column of the current header holds: a counter of a
// slot, a Memory counter (slot memorySlot), or nothing read (slot -1).
type colRef struct {
	slot int32
	ctr  counter
	mem  memCounter
}

type reader struct {
	log    *facts.SourceLog
	lineNo int64

	// The record being joined from wrapped lines: its bytes, first line
	// and number of lines.
	pending      []byte
	pendingFirst int64
	pendingLines int64
	// width is the length of the record's first line and lastLen of its
	// latest: a console wraps a record into lines of its width, the last
	// shorter.
	width, lastLen int

	// The current header.
	header  []byte
	sep     byte
	loc     *time.Location
	zoned   bool
	host    string
	cols    []colRef
	slots   []slot
	slotOf  map[string]int32
	headers int
	// headerLine is the line of the first header.
	headerLine int64

	// Per slot: present in the latest sample, present in any, and its run.
	present, ever []bool
	runs          []int32

	// gc is set once a Get-Counter table has begun: its lines are read
	// by gcLine. gcOther and gcOtherHost count its samples of counters
	// not about processes, and of another host; gcProcOther its samples
	// of Process counters not read, gcFirstProcOther the first's name.
	gc                   *getCounter
	gcOther, gcOtherHost int
	gcProcOther          int
	gcFirstProcOther     string

	keep     *keeper
	rows     int64
	lastTime time.Time
	cells    [][]byte
	badValue bool
	noZone   bool
	// slotsCapped: instances past MaxColumns were met (and not read).
	slotsCapped bool
}

// Read reads a counter log from r, accounting for its lines in log, and
// returns a snapshot per sample kept (see MaxPoints), oldest first, or
// one snapshot without processes when the log has no sample. The
// snapshots have no sources and no diagnostics: the caller gives them
// log's.
func Read(log *facts.SourceLog, r io.Reader) ([]*facts.Snapshot, error) {
	rd := &reader{log: log, sep: ',', loc: time.UTC, slotOf: map[string]int32{}, keep: newKeeper(MaxPoints)}
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	lr := scan.NewLineReaderMax(r, MaxLineLen)
	for {
		raw, ok := lr.Next()
		if !ok {
			break
		}
		rd.lineNo++
		if lr.Cut() {
			log.Diag(rd.lineNo, facts.SevError, facts.CodeLongLine, "line longer than %d bytes; read only its start", MaxLineLen)
		}
		rd.line(raw)
	}
	rd.flush()
	if rd.gc != nil {
		rd.gcFinish()
		if rd.gcOther > 0 {
			log.Diag(rd.headerLine, facts.SevInfo, CodeOtherCounters, "%s of counters not about processes (of memory, processors, disks, the network...) not read", facts.Plural(rd.gcOther, "sample"))
		}
		if rd.gcProcOther > 0 {
			log.Diag(rd.headerLine, facts.SevInfo, CodeOtherCounters, "%s of Process counters not read (the first: %q): of its counters, leakdiag reads %s",
				facts.Plural(rd.gcProcOther, "sample"), rd.gcFirstProcOther, readCounters)
		}
		if rd.gcOtherHost > 0 {
			log.Diag(rd.headerLine, facts.SevWarning, CodeOtherCounters, "%s of other hosts than %s (the first named) not read: a log is read as one host's", facts.Plural(rd.gcOtherHost, "sample"), rd.host)
		}
	}
	log.Lines.Total = rd.lineNo
	if err := lr.Err(); err != nil {
		return nil, err
	}
	return rd.snapshots(), nil
}

// line reads one line: a piece of a record wrapped over several lines
// (typeperf on a console of 80 columns cuts lines anywhere), the start of
// a record, or a line of the console around the log. A line continues
// the record before it when that record's lines so far are all of one
// width (of at least minWidth), as a console cuts them, and the record is
// unfinished: a quote left open, or a separator at the cut.
func (rd *reader) line(raw []byte) {
	// A blockquote, which prefixes every line alike, keeps the width of
	// the console's cuts.
	raw = scan.Unquote(raw)
	if rd.gc != nil {
		rd.account(rd.lineNo, 1, rd.gcLine(raw), raw)
		return
	}
	if len(rd.pending) > 0 {
		open := quotes(rd.pending)%2 == 1
		tail := rd.pending[len(rd.pending)-1]
		cont := open || tail == rd.sep || (len(raw) > 0 && raw[0] == rd.sep)
		if cont && rd.lastLen == rd.width && rd.width >= minWidth &&
			rd.pendingLines < maxRecordLines && len(rd.pending)+len(raw) <= maxRecordBytes {
			rd.pending = append(rd.pending, raw...)
			rd.pendingLines++
			rd.lastLen = utf8.RuneCount(raw)
			return
		}
		rd.flush()
	}
	t := bytes.TrimLeft(raw, " \t")
	if isGetCounterHeader(t) || isGetCounterHeader(uncomment(t)) {
		rd.gc = &getCounter{mem: blankMemory()}
		rd.headerLine = rd.lineNo
		rd.account(rd.lineNo, 1, scan.Parsed, raw)
		return
	}
	if k, v, ok := listKey(uncomment(t)); ok && (k == "Readings" && isReadings(uncomment(t)) || k == "Timestamp" && validTime(v)) {
		// Get-Counter's samples piped to Format-List.
		rd.gc = &getCounter{mem: blankMemory()}
		rd.headerLine = rd.lineNo
		rd.account(rd.lineNo, 1, rd.gcLine(raw), raw)
		return
	}
	if len(t) > 0 && (t[0] == '"' || headerSep(t) != 0 || rd.headers > 0 && t[0] >= '0' && t[0] <= '9') {
		// A record: quoted as PDH writes it; a header or a row unquoted,
		// as a spreadsheet saves it again.
		rd.pending = append(rd.pending[:0], t...)
		rd.pendingFirst, rd.pendingLines = rd.lineNo, 1
		rd.width = utf8.RuneCount(raw)
		rd.lastLen = rd.width
		return
	}
	rd.account(rd.lineNo, 1, noise(t), raw)
}

// noise tells the lines around a log: blank lines, markdown fences, the
// command that wrote it, typeperf's closing words.
func noise(t []byte) scan.LineKind {
	t = scan.TrimSpace(t)
	lower := strings.ToLower(string(t))
	switch {
	case len(t) == 0, strings.HasPrefix(lower, "```"), strings.HasPrefix(lower, "~~~"):
		return scan.Ignored
	case lower == "exiting, please wait...", lower == "the command completed successfully.":
		return scan.Ignored
	}
	for _, cmd := range []string{"typeperf", "relog", "logman", "get-counter"} {
		if strings.HasPrefix(lower, cmd+" ") || strings.Contains(lower, "> "+cmd+" ") || strings.Contains(lower, ">"+cmd+" ") ||
			lower == cmd || strings.HasSuffix(lower, "> "+cmd) || strings.HasSuffix(lower, ">"+cmd) {
			return scan.Ignored
		}
	}
	if strings.HasPrefix(lower, "ps ") && strings.HasSuffix(lower, ">") && len(lower) < 300 {
		return scan.Ignored // PowerShell's prompt, nothing typed after it
	}
	return scan.Unrecognized
}

// account counts n lines from first as kind; an unrecognized record is
// quoted.
func (rd *reader) account(first, n int64, kind scan.LineKind, text []byte) {
	switch kind {
	case scan.Parsed:
		rd.log.Lines.Parsed += n
	case scan.Ignored:
		rd.log.Lines.Ignored += n
	default:
		rd.log.Lines.Unrecognized += n
		rd.log.Diag(first, facts.SevWarning, facts.CodeUnrecognized, "unrecognized line: %s", strings.ToValidUTF8(scan.QuoteLine(text), "\uFFFD"))
		for i := int64(1); i < n; i++ {
			rd.log.Diag(first+i, facts.SevWarning, facts.CodeUnrecognized, "unrecognized line: the rest of the record wrapped from line %d", first)
		}
	}
}

// flush reads the record joined so far.
func (rd *reader) flush() {
	if len(rd.pending) == 0 {
		return
	}
	kind := rd.record(rd.pending, rd.pendingFirst)
	rd.account(rd.pendingFirst, rd.pendingLines, kind, rd.pending)
	rd.pending = rd.pending[:0]
	rd.pendingLines = 0
}

// record reads a header or a sample row.
func (rd *reader) record(rec []byte, line int64) scan.LineKind {
	if sep := headerSep(rec); sep != 0 {
		rd.readHeader(rec, sep, line)
		return scan.Parsed
	}
	if rd.headers == 0 {
		return scan.Unrecognized
	}
	cells, _ := splitRecord(rec, rd.sep, rd.cells)
	rd.cells = cells
	at, ok := parseTime(cells[0], rd.loc)
	if !ok {
		return scan.Unrecognized
	}
	rd.readSample(cells, at, line)
	return scan.Parsed
}

// readHeader reads a header: the zone of the times, then a counter path
// per column. A header repeated (logs appended) changes nothing; another
// one changes the columns of the rows after it.
func (rd *reader) readHeader(rec []byte, sep byte, line int64) {
	if rd.headers > 0 && bytes.Equal(rec, rd.header) {
		return
	}
	if rd.headers > 0 {
		rd.log.Diag(line, facts.SevInfo, CodeColumns, "another header: the rows after it are read by its columns")
	}
	if rd.headers == 0 {
		rd.headerLine = line
	}
	rd.headers++
	rd.header = append(rd.header[:0], rec...)
	rd.sep = sep
	cells, more := splitRecord(rec, sep, rd.cells)
	rd.cells = cells
	if more {
		rd.log.Diag(line, facts.SevWarning, facts.CodeCapped, "a header of more than %d columns: only the first %d are read", MaxColumns, MaxColumns)
	}
	rd.loc, rd.zoned = time.UTC, false
	if loc, ok := zoneOf(string(cells[0])); ok {
		rd.loc, rd.zoned = loc, true
	}
	rd.cols = rd.cols[:0]
	other, otherHosts := 0, map[string]bool{}
	procOther, firstProcOther := 0, ""
	for _, c := range cells[1:] {
		ref := colRef{slot: -1}
		p, ok := parsePath(strings.ToValidUTF8(string(c), "\uFFFD"))
		if rd.host == "" {
			rd.host = p.host // the first host named, processes or not
		}
		ctr, isProc := p.processCounter()
		mc, isMem := p.memoryCounter()
		switch {
		case ok && isMem && (p.host == "" || strings.EqualFold(p.host, rd.host)):
			ref = colRef{slot: memorySlot, mem: mc}
		case ok && !isProc && p.ofProcess():
			if procOther == 0 {
				firstProcOther = p.counter
			}
			procOther++
		case !ok || !isProc:
			other++
		case notProcess(p.instance):
		case p.host != "" && !strings.EqualFold(p.host, rd.host):
			otherHosts[p.host] = true
		default:
			ref = colRef{slot: rd.slotFor(p.instance), ctr: ctr}
		}
		rd.cols = append(rd.cols, ref)
	}
	rd.keep.setMax(scan.SeriesPoints(len(rd.slots)))
	rd.namesWithPIDs()
	if other > 0 {
		rd.log.Diag(line, facts.SevInfo, CodeOtherCounters, "%s not about processes (of memory, processors, disks, the network...) not read", facts.Plural(other, "counter"))
	}
	if procOther > 0 {
		rd.log.Diag(line, facts.SevInfo, CodeOtherCounters, "%s of the Process object not read (the first: %q): of its counters, leakdiag reads %s",
			facts.Plural(procOther, "counter"), firstProcOther, readCounters)
	}
	if len(otherHosts) > 0 {
		hosts := make([]string, 0, len(otherHosts))
		for h := range otherHosts {
			hosts = append(hosts, h)
		}
		sort.Strings(hosts)
		rd.log.Diag(line, facts.SevWarning, CodeOtherCounters, "the processes of %s not read: a log is read as one host's, %s's (the first one its header names)", strings.Join(hosts, ", "), rd.host)
	}
}

// readSample reads a row into the next sample.
func (rd *reader) readSample(cells [][]byte, at time.Time, line int64) {
	if !rd.accept(at, line) {
		return
	}
	if n := len(cells) - 1; n != len(rd.cols) {
		rd.log.Diag(line, facts.SevWarning, CodeColumns, "%s for %s: %s", facts.Plural(n, "value"), facts.Plural(len(rd.cols), "counter"),
			map[bool]string{true: "the values past them are not read", false: "the counters without one are read as blank"}[n > len(rd.cols)])
	}
	s := rd.keep.next(len(rd.slots)*int(nCounters), len(rd.slots))
	s.at, s.line = at, line
	for j, c := range rd.cols {
		if (c.slot < 0 && c.slot != memorySlot) || j+1 >= len(cells) {
			continue
		}
		v, ok := rd.value(cells[j+1], line)
		switch {
		case !ok:
		case c.slot == memorySlot:
			s.mem[c.mem] = v
		default:
			s.vals[int(c.slot)*int(nCounters)+int(c.ctr)] = v
		}
	}
	rd.commit(s)
}

// accept says whether a sample at a time is read: it must be later than
// the one before.
func (rd *reader) accept(at time.Time, line int64) bool {
	rd.rows++
	if !rd.zoned && !rd.noZone {
		rd.noZone = true
		rd.log.Diag(line, facts.SevInfo, CodeTime, "the log states no time zone: sample times read as UTC")
	}
	if rd.rows > 1 && !at.After(rd.lastTime) {
		rd.log.Diag(line, facts.SevWarning, CodeTime, "sample at %s is not later than the one before it (%s): not read",
			at.Format("2006-01-02 15:04:05.000"), rd.lastTime.Format("2006-01-02 15:04:05.000"))
		return false
	}
	rd.lastTime = at
	return true
}

// value reads a value cell, noting once a value that is no count.
func (rd *reader) value(cell []byte, line int64) (int64, bool) {
	v, ok, bad := parseValue(cell)
	if bad && !rd.badValue {
		rd.badValue = true
		rd.log.Diag(line, facts.SevInfo, facts.CodeMissing, "value %q is no count (typeperf prints -1 for a counter it could not read): read as blank", scan.QuoteLine(cell))
	}
	return v, ok
}

// commit takes a filled sample: each slot's run, then the sample kept or
// not.
func (rd *reader) commit(s *sample) {
	for i := range s.runs {
		here := false
		for c := 0; c < int(nCounters); c++ {
			if s.vals[i*int(nCounters)+c] >= 0 {
				here = true
				break
			}
		}
		if here && !rd.present[i] && rd.ever[i] {
			rd.runs[i]++
		}
		rd.present[i] = here
		rd.ever[i] = rd.ever[i] || here
	}
	copy(s.runs, rd.runs)
	rd.keep.add(s)
}

// namesWithPIDs reads the pids in instance names where perfmon gives
// them (ProcessNameFormat 2: svchost_1204, System_4): when every process
// instance seen ends in _ and digits, no name can be a coincidence.
func (rd *reader) namesWithPIDs() {
	if len(rd.slots) < 2 {
		return
	}
	pids := make([]uint64, len(rd.slots))
	for i, sl := range rd.slots {
		j := strings.LastIndexByte(sl.instance, '_')
		if j <= 0 || !scan.AllDigits(sl.instance[j+1:]) || len(sl.instance)-j > 11 {
			return
		}
		pid, err := strconv.ParseUint(sl.instance[j+1:], 10, 32)
		if err != nil {
			return
		}
		pids[i] = pid
	}
	for i := range rd.slots {
		j := strings.LastIndexByte(rd.slots[i].instance, '_')
		rd.slots[i].pid, rd.slots[i].image = pids[i], imageOf(rd.slots[i].instance[:j])
	}
}

// slotFor returns the slot of a Process instance, made on first sight,
// or -1 past MaxColumns instances (noted once).
func (rd *reader) slotFor(instance string) int32 {
	key := strings.ToLower(instance)
	s, known := rd.slotOf[key]
	if !known && len(rd.slots) >= MaxColumns {
		if !rd.slotsCapped {
			rd.slotsCapped = true
			rd.log.Diag(rd.lineNo, facts.SevWarning, facts.CodeCapped, "more than %d process instances: the others not read", MaxColumns)
		}
		return -1
	}
	if !known {
		s = int32(len(rd.slots))
		rd.slotOf[key] = s
		rd.slots = append(rd.slots, slot{instance: instance, image: imageOf(instance)})
		rd.present, rd.ever, rd.runs = append(rd.present, false), append(rd.ever, false), append(rd.runs, 0)
	}
	return s
}

// snapshots makes a snapshot of each sample kept.
func (rd *reader) snapshots() []*facts.Snapshot {
	samples := rd.keep.samples()
	if rd.keep.stride > 1 {
		rd.log.Diag(samples[len(samples)-1].line, facts.SevInfo, CodeThinned, "%s read; %d of them kept, evenly spread (one in %d, and the last), for the series",
			facts.Plural(rd.keep.seen, "sample"), len(samples), rd.keep.stride)
	}
	if rd.rows > 0 && len(rd.slots) == 0 {
		rd.log.Diag(rd.headerLine, facts.SevInfo, facts.CodeMissing, "the log has none of the Process object's counters leakdiag reads (%s): its samples show no process", readCounters)
	}
	if len(samples) == 0 {
		return []*facts.Snapshot{newSnapshot(rd.host, "")}
	}
	out := make([]*facts.Snapshot, len(samples))
	for i, s := range samples {
		snap := newSnapshot(rd.host, s.at.Format("2006-01-02T15:04:05.000Z07:00"))
		snap.Processes = rd.processes(s)
		snap.Memory = memoryOf(s.mem, facts.Position{Path: rd.log.Path, Line: s.line})
		out[i] = snap
	}
	return out
}

func newSnapshot(host, at string) *facts.Snapshot {
	return &facts.Snapshot{SchemaVersion: facts.SchemaVersion, Host: host, CapturedAt: at,
		Sources: []facts.Source{}, Processes: []*facts.Process{}, Diagnostics: []facts.Diagnostic{}}
}

// processes makes the processes of a sample, by pid and image as a
// snapshot orders them. Their structs and counts are allocated together.
func (rd *reader) processes(s *sample) []*facts.Process {
	n := 0
	for i := range s.runs {
		if rd.here(s, i) {
			n++
		}
	}
	procs := make([]facts.Process, n)
	nums := make([]int64, 0, 4*n)
	out := make([]*facts.Process, 0, n)
	ptr := func(v int64) *int64 {
		if v < 0 {
			return nil
		}
		nums = append(nums, v)
		return &nums[len(nums)-1]
	}
	for i := range s.runs {
		if !rd.here(s, i) {
			continue
		}
		p := &procs[len(out)]
		v := s.vals[i*int(nCounters) : (i+1)*int(nCounters)]
		p.Image, p.Instance = rd.slots[i].image, rd.slots[i].instance
		switch {
		case v[idProcess] > 0:
			p.PID = uint64(v[idProcess])
		case rd.slots[i].pid > 0:
			p.PID = rd.slots[i].pid
		default:
			p.Run = int64(s.runs[i])
		}
		p.HandleCount = ptr(v[handleCount])
		p.PrivateBytes = ptr(v[privateBytes])
		p.PoolNonpagedBytes = ptr(v[poolNonpaged])
		p.Threads = max(v[threadCount], 0)
		p.Source = facts.Position{Path: rd.log.Path, Line: s.line}
		// A count-only source: no types, names or stacks. The maps are
		// empty, shared and never written, as the snapshot JSON reads
		// them back.
		p.ByType, p.UnnamedByType, p.TopNames, p.OpenStacks = noCounts, noCounts, []facts.NameCount{}, []facts.Stack{}
		out = append(out, p)
	}
	facts.SortProcesses(out)
	return out
}

// noCounts is the empty map of counts by type every process of a log
// shares: nothing writes to a snapshot's processes once read.
var noCounts = map[string]int64{}

// here says slot i has a value in s (a slot added by a later header has
// none in the samples before it).
func (rd *reader) here(s *sample, i int) bool {
	if (i+1)*int(nCounters) > len(s.vals) {
		return false
	}
	for c := 0; c < int(nCounters); c++ {
		if s.vals[i*int(nCounters)+c] >= 0 {
			return true
		}
	}
	return false
}
