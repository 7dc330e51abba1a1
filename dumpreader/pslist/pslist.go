package pslist

import (
	"bytes"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: Sysinternals PsList's output.
const Name = "pslist"

// vocab names the columns PsList prints: its default table, -m's memory
// table, -x's combination of both, -t's tree.
var vocab = proctable.Vocab{
	"name": proctable.ImageNoExt, "pid": proctable.PID, "hnd": proctable.Handles, "thd": proctable.Threads,
	"pri": proctable.Other, "priv": proctable.Other, "cpu time": proctable.Other, "elapsed time": proctable.Other,
	"vm": proctable.Other, "ws": proctable.Other, "priv pk": proctable.Other, "faults": proctable.Other,
	"nonp": proctable.Other, "page": proctable.Other,
}

// tool is what the shared process-list reader needs to know of PsList.
var tool = proctable.Tool{
	Vocab:     vocab,
	Table:     isTable,
	Noise:     noise,
	Command:   isCommand,
	NestedRow: isThreadRow,
	NoHandles: "pslist -m and -x print memory columns only: run pslist (or pslist -t), whose Hnd column is " +
		"the handle count",
}

// isTable takes a header of PsList's tables: Name and Pid, with Hnd or
// -m's memory columns, every column one of PsList's. Its abbreviations
// (Hnd, Thd, Pri, Priv) are no other tool's.
func isTable(h *proctable.Header) bool {
	if !h.Has(proctable.PID) || !h.Has(proctable.ImageNoExt) || h.Known() != len(h.Cols) {
		return false
	}
	if h.Has(proctable.Handles) {
		return true
	}
	for _, c := range h.Cols {
		if strings.EqualFold(c.Name, "priv pk") {
			return true // -m
		}
	}
	return false
}

// Read reads PsList's output from r into b, accounting every line in log.
// The caller decodes the text and hands log to b.AddSource afterwards.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	d := &detail{b: b, log: log}
	rd := proctable.NewReader(withDetail(d), b, log)
	d.lineNo = func() int64 { return rd.LineNo }
	err := rd.Read(r)
	d.finish()
	return err
}

// withDetail is tool reading -d's headings and thread rows with d.
func withDetail(d *detail) proctable.Tool {
	t := tool
	t.Noise = func(line []byte) (scan.LineKind, bool) {
		if kind, ok := d.line(line, d.lineNo()); ok {
			return kind, true
		}
		return noise(line)
	}
	return t
}

// Sniff reports whether text, the first bytes of a capture decoded to
// UTF-8, is PsList's output: a header of its table and a row under it,
// or, after -d's banner, a process's heading with a thread row under it.
func Sniff(text []byte) bool {
	d := &detail{b: facts.NewBuilder(), log: facts.NewSourceLog("", Name), lineNo: func() int64 { return 0 }}
	return proctable.Sniff(withDetail(d), Name, text, func(e *proctable.Evidence) bool {
		return proctable.HasRows(e) || d.ev > 0 && d.banner
	})
}

// noise accounts for PsList's banner, the line naming the machine
// ("Process information for SRV01:", -m's "Process memory detail for
// SRV01:") and the one it prints when no process has the name asked for
// ("process firefox was not found on SRV01").
func noise(line []byte) (scan.LineKind, bool) {
	switch {
	case scan.HasPrefix(line, "process ") && bytes.Contains(line, []byte(" was not found on ")):
		return scan.Ignored, true
	case scan.HasPrefix(line, "PsList v") || scan.HasPrefix(line, "pslist v"),
		scan.HasPrefix(line, "Copyright (C) ") && bytes.Contains(line, []byte("Russinovich")),
		scan.HasPrefix(line, "Sysinternals - www.sysinternals.com"),
		(scan.HasPrefix(line, "Process information for ") || scan.HasPrefix(line, "Process memory detail for ") ||
			scan.HasPrefix(line, "Process and thread information for ") || scan.HasPrefix(line, "Thread detail for ")) &&
			bytes.HasSuffix(line, []byte(":")):
		return scan.Ignored, true
	}
	return 0, false
}

// isThreadRow tells a row of PsList's thread table: its Tid, Pri and
// Cswtch, a state ("Wait:UserReq", "Running"), then its user, kernel and
// elapsed times ("0:00:00.953").
//
//	26980  10      9882     Wait:UserReq  0:00:00.953   0:00:00.515    0:01:43.912
func isThreadRow(line []byte) bool {
	f := bytes.Fields(line)
	if len(f) != 7 {
		return false
	}
	for _, n := range f[:3] {
		if !scan.AllDigits(n) {
			return false
		}
	}
	if !isASCIILetter(f[3][0]) {
		return false
	}
	for _, t := range f[4:] {
		if bytes.Count(t, []byte(":")) != 2 || bytes.IndexByte(t, '.') < 0 {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isCommand tells a PsList command line (pslist, pslist64 -x \\srv) as
// Mine, and the header of the thread table -d and -x print under a
// process (" Tid Pri    Cswtch            State ...") as Nested: its rows
// are no processes, and are not read; with -x, the next process's row
// follows them without a header of its own.
func isCommand(cmd []byte) proctable.CommandKind {
	// Most lines are neither: tested before they are lowered and split.
	if !scan.HasPrefixFold(cmd, "pslist") && !scan.HasPrefixFold(cmd, "tid") {
		return proctable.NotCommand
	}
	f := bytes.Fields(bytes.ToLower(cmd))
	if len(f) == 0 {
		return proctable.NotCommand
	}
	if len(f) >= 4 && string(f[0]) == "tid" && string(f[1]) == "pri" && string(f[2]) == "cswtch" {
		return proctable.Nested
	}
	switch string(bytes.TrimSuffix(f[0], []byte(".exe"))) {
	case "pslist", "pslist64":
		return proctable.Mine
	}
	return proctable.NotCommand
}
