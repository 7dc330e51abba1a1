package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// The shapes of the values of lsof's columns and fields: what an FD, a
// TYPE, a DEVICE, SIZE/OFF or NODE number and a protocol look like, by
// which rows are read where their spacing was lost and text is told from
// lsof's output.

// lsofFDShape reports whether t is an FD as the listing prints it: a
// number followed by its access mode (r, w, u, or - before a lock) and
// lock character, or a name (cwd, rtd, txt, mem, DEL, NOFD...) likewise.
// A bare number (mode unknown, no lock) is taken only where the header's
// columns say it is the FD.
func lsofFDShape(t []byte, bare bool) bool {
	fd := lsofFDText(t)
	if len(fd) == 0 || len(fd) > 10 {
		return false
	}
	switch rest := t[len(fd):]; len(rest) {
	case 0:
		return bare || !scan.IsDigit(fd[0])
	case 1:
		return isAccessChar(rest[0]) || rest[0] == '-'
	case 2:
		return (isAccessChar(rest[0]) || rest[0] == '-') && isLockChar(rest[1])
	}
	return false
}

// lsofFDNames are the FD names that are not descriptors, as lsof prints
// them on Linux and elsewhere.
var lsofFDNames = []string{"NOFD", "mmap", "DEL", "cwd", "rtd", "txt", "mem", "ltx", "err", "jld", "m86", "v86", "pd", "tr"}

// lsofFDText returns the FD t starts with, without its access and lock
// characters, or nil when t starts with none.
func lsofFDText(t []byte) []byte {
	i := 0
	for i < len(t) && scan.IsDigit(t[i]) {
		i++
	}
	if i > 0 {
		return t[:i]
	}
	if isWideFD(t) {
		return t[:wideFDLen]
	}
	for _, n := range lsofFDNames {
		if scan.HasPrefix(t, n) {
			return t[:len(n)]
		}
	}
	// Lnn (AIX library references) and Mxx (memory-mapped type numbers).
	if len(t) >= 3 && (t[0] == 'L' && scan.IsDigit(t[1]) && scan.IsDigit(t[2]) ||
		t[0] == 'M' && scan.IsHexDigit(t[1]) && scan.IsHexDigit(t[2])) {
		return t[:3]
	}
	return nil
}

// lsofFDNumber returns the descriptor number of fd, and false for the
// FD names that are no descriptor (cwd, txt, mem...). Of a descriptor of
// 10,000 or more, which lsof prints as "*" and its last three digits
// (widefd.go), it returns those digits' value.
func lsofFDNumber(fd []byte) (uint64, bool) {
	if len(fd) == wideFDLen && isWideFD(fd) {
		v, ok := scan.ParseDec(fd[1:])
		return uint64(v), ok
	}
	if len(fd) == 0 || !scan.IsDigit(fd[0]) {
		return 0, false
	}
	v, ok := scan.ParseDec(fd)
	return uint64(v), ok && fd[len(fd)-1] != '.'
}

func isAccessChar(c byte) bool { return c == 'r' || c == 'w' || c == 'u' }

func isLockChar(c byte) bool {
	switch c {
	case 'N', 'r', 'R', 'w', 'W', 'u', 'U', 'x', 'X':
		return true
	}
	return false
}

// lsofTypeShape reports whether t may be a TYPE: REG, IPv4, a_inode,
// unix, 0000 (an unknown type as a number), UNKNREG...
func lsofTypeShape(t []byte) bool {
	if len(t) == 0 || len(t) > 12 {
		return false
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || scan.IsDigit(c) || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// lsofNumberShape reports whether t may be a DEVICE (8,1 or 0x...),
// SIZE/OFF (4096, 0t0, 0x1f) or NODE (an inode number).
func lsofNumberShape(t []byte) bool {
	switch {
	case len(t) == 0:
		return false
	case scan.AllDigits(t):
		return true
	case scan.HasPrefix(t, "0t"):
		return len(t) > 2 && scan.AllDigits(t[2:])
	case scan.HasPrefix(t, "0x"):
		return len(t) > 2 && allHexDigits(t[2:])
	}
	for i, c := range t {
		if c == ',' {
			return i > 0 && scan.AllDigits(t[:i]) && i+1 < len(t) && scan.AllDigits(t[i+1:])
		}
	}
	return false
}

// lsofProtoShape reports whether t may be the protocol an Internet
// socket's NODE column holds: TCP, UDP, UDPLITE, RAW, ICMP, SCTP...
func lsofProtoShape(t []byte) bool {
	if len(t) == 0 || len(t) > 10 {
		return false
	}
	for _, c := range t {
		if !(c >= 'A' && c <= 'Z' || scan.IsDigit(c)) {
			return false
		}
	}
	return true
}

func isInetType(t []byte) bool { return string(t) == "IPv4" || string(t) == "IPv6" }

func allHexDigits(b []byte) bool {
	for _, c := range b {
		if !scan.IsHexDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

// nlinkShape reports whether the values after a row's TYPE, where no
// header says which columns they are, are DEVICE SIZE/OFF NLINK NODE and
// a name: a device (8,3), a size or offset, then two numbers, the link
// count +L adds (0 for a deleted file) and the inode, and text after
// them. Without +L the fourth value would be the name's first word,
// which is never a bare number: lsof prints a path, or what an fd that
// is no path is (pipe, socket, [eventfd]).
func nlinkShape(rest []lsofSpan, val func(int) []byte) bool {
	if len(rest) < 5 {
		return false
	}
	return bytes.IndexByte(val(0), ',') > 0 && lsofNumberShape(val(0)) &&
		lsofNumberShape(val(1)) && scan.AllDigits(val(2)) && scan.AllDigits(val(3))
}
