package counterlog

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// getCounter is the state of reading PowerShell's Get-Counter output:
//
//	Timestamp                 CounterSamples
//	---------                 --------------
//	3/1/2024 10:00:00 AM      \\srv01\process(agent)\handle count :
//	                          1234
//
//	                          \\srv01\process(agent)\id process :
//	                          4242
//
// A timestamp starts a sample; each path line ending in " :" is followed
// by its value. The same samples piped to Format-List are records of
// "Key : value" lines, the Readings' paths and values as in the table:
//
//	Timestamp : 3/1/2024 10:00:00 AM
//	Readings  : \\srv01\process(agent)\handle count :
//	            1234
//
// and Select-Object -Property * puts each record's Readings before its
// Timestamp (then "CounterSamples : {...}"): a Timestamp after a sample's
// Readings is that sample's time.
type getCounter struct {
	// cur holds the values of the sample being read (slot*nCounters +
	// counter, -1 where none), at and line its time and line; open says
	// a sample is being read.
	cur  []int64
	mem  [nMem]int64
	at   time.Time
	line int64
	open bool
	// ref is the counter of the latest path line, ok whether it is read
	// (a Process counter of a process), pending whether its value is due.
	ref     colRef
	ok      bool
	pending bool
	// timed says the open sample has its time; readings that it has had
	// a Readings line (Format-List), after which another starts the next
	// sample.
	timed    bool
	readings bool
}

// listKey splits a line of Get-Counter's samples piped to Format-List,
// "Timestamp : ...", "Readings  : ..." or "CounterSamples : {...}", into
// its key and value.
func listKey(t []byte) (key string, value []byte, ok bool) {
	i := bytes.IndexByte(t, ':')
	if i <= 0 {
		return "", nil, false
	}
	switch k := string(bytes.TrimRight(t[:i], " \t")); k {
	case "Timestamp", "Readings", "CounterSamples":
		return k, scan.TrimSpace(t[i+1:]), true
	}
	return "", nil, false
}

// isReadings tells the first line of a Format-List record's Readings: a
// counter path, ending in " :".
func isReadings(t []byte) bool {
	k, v, ok := listKey(t)
	return ok && k == "Readings" && bytes.HasPrefix(v, []byte(`\`)) && bytes.HasSuffix(v, []byte(" :"))
}

// listLine reads a "Key : value" line of Get-Counter's samples piped to
// Format-List; ok false for any other line.
func (rd *reader) listLine(t []byte) (kind scan.LineKind, ok bool) {
	gc := rd.gc
	key, v, ok := listKey(t)
	if !ok {
		return 0, false
	}
	switch key {
	case "Timestamp":
		at, ok := parseGCTime(string(v))
		if !ok {
			return scan.Unrecognized, true
		}
		if gc.open && !gc.timed {
			gc.at, gc.timed = at, true // the time of the Readings above
			return scan.Parsed, true
		}
		rd.gcFinish()
		gc.at, gc.line, gc.open, gc.timed = at, rd.lineNo, true, true
		return scan.Parsed, true
	case "Readings":
		if !gc.open || gc.readings {
			rd.gcFinish()
			gc.line, gc.open, gc.timed = rd.lineNo, true, false
		}
		gc.readings = true
		if len(v) == 0 {
			return scan.Ignored, true
		}
		return rd.gcLine(v), true
	}
	return scan.Ignored, true // CounterSamples: the readings' objects, "{...}"
}

// uncomment returns t without the "#" of a PowerShell comment block
// that notes put before every line of a pasted output ("# Timestamp
// CounterSamples"), trimmed; t itself otherwise. No line of Get-Counter's
// output starts with "#".
func uncomment(t []byte) []byte {
	if len(t) > 0 && t[0] == '#' && (len(t) == 1 || t[1] == ' ' || t[1] == '\t') {
		return bytes.TrimLeft(t[1:], " \t")
	}
	return t
}

// isGetCounterHeader tells the header of Get-Counter's table.
func isGetCounterHeader(t []byte) bool {
	if !bytes.Contains(t, []byte("CounterSamples")) {
		return false
	}
	f := bytes.Fields(t)
	return len(f) == 2 && string(f[0]) == "Timestamp" && string(f[1]) == "CounterSamples"
}

// gcTimeLayouts are the forms Get-Counter's timestamps take in the
// cultures seen most: en-US first (so 3/1 is March 1st), then de-DE,
// ISO, en-GB, and the day first with dashes of en-IN, nl-NL and da-DK
// (11-04-2023 is April 11th: no culture puts the month first with
// dashes).
var gcTimeLayouts = []string{
	"1/2/2006 3:04:05 PM",
	"1/2/2006 15:04:05",
	"2.1.2006 15:04:05",
	"2006-01-02 15:04:05",
	"2/1/2006 15:04:05",
	"2-1-2006 15:04:05",
}

// validTime says v is a time as Get-Counter prints one.
func validTime(v []byte) bool {
	_, ok := parseGCTime(string(v))
	return ok
}

func parseGCTime(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	for _, l := range gcTimeLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// gcLine reads a line of Get-Counter output.
func (rd *reader) gcLine(raw []byte) scan.LineKind {
	gc := rd.gc
	t := uncomment(scan.TrimSpace(raw))
	switch {
	case len(t) == 0:
		return scan.Ignored
	case isGetCounterHeader(t):
		return scan.Parsed
	case len(bytes.Trim(t, "- ")) == 0:
		return scan.Ignored
	}
	if kind, ok := rd.listLine(t); ok {
		return kind
	}
	switch {
	case gc.pending && isNumber(t):
		gc.pending = false
		v, ok := rd.value(t, rd.lineNo)
		if ok && gc.ok && gc.ref.slot == memorySlot {
			gc.mem[gc.ref.mem] = v
		} else if ok && gc.ok {
			i := int(gc.ref.slot)*int(nCounters) + int(gc.ref.ctr)
			for len(gc.cur) <= i {
				gc.cur = append(gc.cur, -1)
			}
			gc.cur[i] = v
		}
		return scan.Parsed
	}
	if !bytes.HasSuffix(t, []byte(":")) {
		return noise(t)
	}
	path := bytes.TrimSpace(t[:len(t)-1])
	if i := bytes.Index(path, []byte(`\\`)); i > 0 {
		at, ok := parseGCTime(string(path[:i]))
		if !ok {
			return scan.Unrecognized
		}
		rd.gcFinish()
		gc.at, gc.line, gc.open, gc.timed = at, rd.lineNo, true, true
		path = path[i:]
	}
	p, ok := parsePath(strings.ToValidUTF8(string(path), "\uFFFD"))
	if !ok || !gc.open {
		return scan.Unrecognized
	}
	if rd.host == "" {
		rd.host = p.host
	}
	if gc.pending {
		rd.log.Diag(rd.lineNo, facts.SevWarning, CodeColumns, "a counter without its value before this one")
	}
	gc.pending, gc.ok = true, false
	ctr, isProc := p.processCounter()
	mc, isMem := p.memoryCounter()
	switch {
	case isMem && (p.host == "" || strings.EqualFold(p.host, rd.host)):
		gc.ref, gc.ok = colRef{slot: memorySlot, mem: mc}, true
	case !isProc && p.ofProcess():
		if rd.gcProcOther == 0 {
			rd.gcFirstProcOther = p.counter
		}
		rd.gcProcOther++
	case !isProc:
		rd.gcOther++
	case notProcess(p.instance):
	case p.host != "" && !strings.EqualFold(p.host, rd.host):
		rd.gcOtherHost++
	default:
		gc.ref = colRef{slot: rd.slotFor(p.instance), ctr: ctr}
		gc.ok = gc.ref.slot >= 0
	}
	return scan.Parsed
}

// gcFinish takes the sample read so far.
func (rd *reader) gcFinish() {
	gc := rd.gc
	if !gc.open {
		return
	}
	gc.open, gc.readings = false, false
	if !gc.timed {
		rd.log.Diag(gc.line, facts.SevWarning, CodeTime, "readings without their Timestamp: not read")
		return
	}
	if rd.accept(gc.at, gc.line) {
		rd.keep.setMax(scan.SeriesPoints(len(rd.slots)))
		rd.namesWithPIDs()
		s := rd.keep.next(len(rd.slots)*int(nCounters), len(rd.slots))
		s.at, s.line = gc.at, gc.line
		copy(s.vals, gc.cur)
		s.mem = gc.mem
		rd.commit(s)
	}
	for i := range gc.cur {
		gc.cur[i] = -1
	}
	gc.mem = blankMemory()
}

// isNumber says b is a number as Get-Counter prints a value (1234,
// 0.5, 1E+07, -1).
func isNumber(b []byte) bool {
	_, err := strconv.ParseFloat(string(b), 64)
	return err == nil
}
