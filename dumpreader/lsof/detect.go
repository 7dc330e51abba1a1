package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Sniff reports whether text, the first bytes of a capture decoded to
// UTF-8 (up to 64 KiB is enough), is lsof output: a listing's header
// with a row under it, rows without a header (`lsof | grep X` prints
// none), or a -F process set with a file set in it, alone or pasted
// among other text. A header alone may be quoted in prose, and "p1234"
// may be anything; the two together are lsof's. When text fills the 64
// KiB, its last line may be cut and is not read. Text of -F0 output holds
// NULs: this is to be asked before text with NULs is taken for binary.
func Sniff(text []byte) bool {
	r := newLsofReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		r.lineNo++
		r.readLine(line)
		return r.ev.decisive()
	})
}

// lsofEvidence counts what Sniff weighs.
type lsofEvidence struct {
	header   int // a header line
	rows     int // rows read under a header
	bare     int // typical rows read without a header (see lsofRow.typical)
	commands int // lsof command lines
	sets     int // -F file sets inside a process set
	// counts are the counts an lsof command that names no pid printed
	// through wc -l or grep -c (wccount.go).
	counts int
}

// decisive: a header with a row, a -F file set, or rows without a header
// of a shape only lsof prints: two of them, or one after an lsof command
// line. One such row alone may be a quotation.
func (e *lsofEvidence) decisive() bool {
	return (e.header > 0 && e.rows > 0) || e.sets > 0 ||
		e.bare >= 2 || (e.bare > 0 && e.commands > 0)
}

// SniffCount reports whether text, which no format's sniff took, holds
// the count an lsof command piped into wc -l (or grep -c) printed, the
// command naming no process by its pid: `lsof | wc -l` then 4140, a
// tutorial's or a report's whole capture. Read so, the capture says the
// count is no descriptor count, where it was refused as unknown.
func SniffCount(text []byte) bool {
	r := newLsofReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	scan.Sniff(text, func(line []byte) bool {
		r.lineNo++
		r.readLine(line)
		return r.ev.counts > 0
	})
	return r.ev.counts > 0
}

// lsofLinuxFDNames are the FD names of rows lsof prints for every
// process on Linux, which rows without a header are known by.
var lsofLinuxFDNames = []string{"cwd", "rtd", "txt", "mem", "DEL", "mmap"}

// lsofCommonTypes are the TYPE values of lsof's rows on Linux (and a few
// of macOS's), which rows without a header are known by; the reader
// takes any type where the header's columns say it is one.
var lsofCommonTypes = []string{
	"REG", "DIR", "CHR", "BLK", "FIFO", "LINK", "IPv4", "IPv6", "unix", "sock",
	"a_inode", "anon_inode", "netlink", "pack", "raw", "raw6", "icmp", "icmp6", "unknown",
	"PIPE", "KQUEUE", "systm", "PSXSHM", "PSXSEM", "NPOLICY",
}

// typical reports whether a row read by the shapes of its values, with no
// header to say where its columns are, has the shape only lsof's rows
// have: a descriptor (36u, 5r, 12w) or an FD name lsof prints on Linux
// (cwd, txt, mem, DEL...), a TYPE of those lsof prints, at least two of
// DEVICE, SIZE/OFF and NODE (or the mark of an author who cut them,
// elided.go), and a NAME. A line of kd, Handle, ps, ls, netstat or prose
// does not line up so.
func (row *lsofRow) typical() bool {
	f := &row.file
	switch {
	case len(f.name) == 0:
		return false
	case row.elided:
		// No numbers to go by: the NAME must be one lsof prints.
		if !lsofNameShape(f.name) {
			return false
		}
	case row.numbers < 2:
		return false
	}
	if _, numeric := lsofFDNumber(f.fd); !numeric && !containsString(lsofLinuxFDNames, f.fd) {
		return false
	}
	return containsString(lsofCommonTypes, f.typ)
}

// lsofNameShape reports whether name starts as the NAMEs of lsof's rows
// do: a path, an anonymous inode ("[eventfd]"), an endpoint
// ("host:443->peer:5521", "*:22"), "pipe", "socket" or "protocol: TCP",
// "type=STREAM" or "can't identify protocol". Prose does not.
func lsofNameShape(name []byte) bool {
	first := firstToken(name)
	switch {
	case len(first) == 0:
		return false
	case first[0] == '/' || first[0] == '[':
		return true
	case bytes.IndexByte(first, ':') > 0:
		return true
	}
	for _, s := range []string{"pipe", "socket", "type=", "can't identify protocol"} {
		if bytes.HasPrefix(name, []byte(s)) {
			return true
		}
	}
	return false
}

func containsString(list []string, b []byte) bool {
	for _, s := range list {
		if s == string(b) {
			return true
		}
	}
	return false
}
