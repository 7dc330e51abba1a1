package proctable

import (
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// A command run in a loop (Get-Process every minute, its output pasted
// as one file) prints the same processes table after table. Read as one
// capture, each process would keep its latest count and the growth the
// tables show would be lost; Repeats reads each such table as a point of
// a series instead, with a Builder of its own.
//
// A loop that is one statement (while ($true) { Get-Process agent; sleep
// 60 }) prints every run's rows under one header: a row that shows a
// process the table showed already starts another run, weighed as a
// table of its own.
//
// Tables are told to be of the same processes by their pids and images
// (and machines, where a column names them: hosts.go), printed by the
// same command where the capture shows the command of each: two tables
// after different command lines (Get-Process -Name "*host*", then
// Get-Process -Id 7840, that match the same process) are two queries,
// not a loop, however alike their rows;
// a table that shares more than half of the processes of the larger of it and the
// table before it with that table is a repetition and starts a new point
// (two tables of one process each, the same, are; a table of two
// processes, then one of them, is not). Any other table (a sorted list, then `Get-Process -Id 5120`) is
// more of the current point's capture, as a Reader without Repeats reads
// every table. A table's rows are held until its end decides which it
// is, at most maxPending of them.

// procKey is a process of a table: its pid on its machine ("" where the
// table names none).
type procKey struct {
	host string
	pid  uint64
}

// maxPending bounds the rows of one table held until the table ends: a
// longer table is read into the current point.
const maxPending = 1 << 16

// Point is a point of a series a Repeats split a capture into: its
// Builder, the line of its first table's first row, and its place among
// the tables of the series, 0 the first (the points kept of a long
// series are some of them: thin.go).
type Point struct {
	B     *facts.Builder
	Line  int64
	Index int
	// sink holds the Builders of the point's other machines, where the
	// Reader splits hosts (HostBuilders).
	sink *Sink
}

// Repeats splits a Reader's tables into points (see above).
type Repeats struct {
	newBuilder func() *facts.Builder
	points     []Point
	// table is the header line of the table whose rows are pending,
	// pending those rows, pids their processes; prev holds the processes
	// of the table before it.
	table   int64
	pending []Record
	pids    map[procKey]string
	prev    map[procKey]string
	// cmd is the command line the pending table was printed after
	// (Reader.cmd), prevCmd the one of the table before it; "" where
	// the capture shows none.
	cmd, prevCmd string
	// capped says the pending table grew past maxPending and is being
	// read into the current point.
	capped bool
	// stride is the spacing of the points kept (thin.go).
	stride int
}

// SplitRepeats makes r read tables that repeat the one before them into
// points of a series, each in a Builder newBuilder makes; the first
// point is r's Builder. Call it before reading; Points returns them.
func (r *Reader) SplitRepeats(newBuilder func() *facts.Builder) {
	r.rep = &Repeats{newBuilder: newBuilder, points: []Point{{B: r.b, sink: r.sink}}, pids: map[procKey]string{}, stride: 1}
}

// Points returns the points read, oldest first: one, r's Builder, when
// r does not split repeats or the capture repeats no table. Of a long
// series they are some of its tables, evenly spread, the first and the
// latest among them; the latest's Index+1 is how many tables it had.
func (r *Reader) Points() []Point {
	if r.rep == nil {
		return []Point{{B: r.b, sink: r.sink}}
	}
	return r.rep.points
}

// add turns a record into a process of the current point, or holds it
// until its table ends.
func (r *Reader) add(rec Record) {
	if rec.Cut && !r.cutSaid {
		r.cutSaid = true
		r.log.Diag(rec.Line, facts.SevInfo, facts.CodeMissing,
			"this row's path or command line ends in an ellipsis: Format-Table cut it to its column's width, and it is not read as the process's (Format-List, or Format-Table -Wrap, prints it whole)")
	}
	rep := r.rep
	if rep == nil {
		r.sink.Add(rec)
		return
	}
	table := int64(0)
	if r.hdr != nil && r.block == 0 {
		table = r.hdr.Line
	}
	if table != rep.table {
		r.endTable()
		rep.table, rep.cmd = table, r.cmd
	}
	if table == 0 || rep.capped {
		// A record block, or a table too long to hold.
		r.sink.Add(rec)
		return
	}
	key := procKey{host: strings.ToLower(rec.Host), pid: rec.PID}
	if _, again := rep.pids[key]; again {
		// The table shows a process again: a loop of one statement
		// prints every run's rows under one header. Its rows from here
		// are another run, held as a table of their own.
		r.endTable()
		rep.table = table
	}
	if len(rep.pids) < maxPending {
		rep.pids[key] = rec.Image
	}
	if rep.prev == nil {
		// The first table: nothing to repeat, read at once.
		if p := &rep.points[0]; len(rep.points) == 1 && p.Line == 0 {
			p.Line = rec.Line
		}
		r.sink.Add(rec)
		return
	}
	if len(rep.pending) >= maxPending {
		rep.capped = true
		r.flushPending()
		r.sink.Add(rec)
		return
	}
	rep.pending = append(rep.pending, rec)
}

// endTable decides what the table whose rows are pending was: a
// repetition of the one before it starts a new point.
func (r *Reader) endTable() {
	rep := r.rep
	if rep == nil || rep.table == 0 {
		return
	}
	if len(rep.pending) > 0 && sameProcesses(rep.prev, rep.pids) && sameCommand(rep.prevCmd, rep.cmd) {
		// Each machine of the table before makes a snapshot of each
		// point (hosts.go): they weigh on the points kept too.
		hosts := r.sink.hosts()
		r.sink.Finish()
		b := rep.newBuilder()
		r.b, r.sink = b, r.newSink(b)
		rep.keep(Point{B: b, Line: rep.pending[0].Line, sink: r.sink}, len(rep.pids), hosts)
	}
	r.flushPending()
	if len(rep.pids) > 0 {
		rep.prev, rep.pids = rep.pids, map[procKey]string{}
		rep.prevCmd = rep.cmd
	}
	rep.table, rep.capped = 0, false
}

// flushPending adds the pending rows to the current point.
func (r *Reader) flushPending() {
	rep := r.rep
	for _, rec := range rep.pending {
		r.sink.Add(rec)
	}
	rep.pending = rep.pending[:0]
}

// sameProcesses says whether the processes of a table, b, are those of
// the table before it, a, by pid and image (a pid reused by another
// image is another process): they share more than half of the larger's.
func sameProcesses(a, b map[procKey]string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	common := 0
	for pid, image := range b {
		if other, ok := a[pid]; ok && strings.EqualFold(trimExe(image), trimExe(other)) {
			common++
		}
	}
	return 2*common > max(len(a), len(b))
}

// sameCommand says whether two tables, printed after the command lines
// a and b, may be runs of one command: the same command, or one of them
// shown without its command (a loop of one statement prints every run
// after one command line).
func sameCommand(a, b string) bool {
	return a == "" || b == "" || a == b
}

// trimExe is image without a ".exe" in any case (wmic's csrss.exe is
// Get-Process's csrss), as sameImage compares them, without a copy.
func trimExe(image string) string {
	if n := len(image) - len(".exe"); n >= 0 && strings.EqualFold(image[n:], ".exe") {
		return image[:n]
	}
	return image
}
