package lsof

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/fdlink"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Descriptors of 10,000 and more. lsof's FD column is four characters
// wide: a descriptor number that does not fit is printed as "*" and its
// last three digits, 10310 as "*310u" (print.c, "*%03d", num % 1000). A
// process only gets such descriptors by holding ten thousand at once,
// which is what a leak of descriptors looks like, so these rows must be
// read. The number itself is lost; what is kept is that lsof lists a
// process's descriptors in increasing order (it reads /proc/PID/fd,
// which the kernel lists so), so each "*NNN" is the lowest number of
// 10,000 or more ending in NNN above the descriptor listed before it.
// That number serves only to count each descriptor once: a listing
// repeated (lsof -r, or pasted twice) starts again from its low
// descriptors and numbers its "*NNN" rows the same way.

// wideFDMin is the lowest descriptor lsof prints as "*NNN"; wideFDLen the
// length of that text, without its access and lock characters.
const (
	wideFDMin = 10000
	wideFDLen = 4
)

// isWideFD reports whether t starts with a descriptor printed as "*" and
// three digits, followed by no further digit.
func isWideFD(t []byte) bool {
	if len(t) < wideFDLen || t[0] != '*' {
		return false
	}
	for _, c := range t[1:wideFDLen] {
		if !scan.IsDigit(c) {
			return false
		}
	}
	return len(t) == wideFDLen || !scan.IsDigit(t[wideFDLen])
}

// fdValue returns the descriptor number a row of p stands for: n itself,
// or for fd printed "*NNN" (n is NNN) the number it is read as. It notes
// the number as the latest of p's.
func (r *lsofReader) fdValue(p *lsofProc, fd []byte, n uint64) uint64 {
	if !isWideFD(fd) {
		p.lastFD = n
		p.topFD = max(p.topFD, n)
		return n
	}
	v := uint64(wideFDMin) + n
	if p.lastFD >= wideFDMin {
		v = p.lastFD - p.lastFD%1000 + n
		if v <= p.lastFD {
			v += 1000
		}
	}
	p.lastFD = v
	p.topFD = max(p.topFD, v)
	if !r.wideNoted {
		r.wideNoted = true
		r.log.Diag(r.lineNo, facts.SevInfo, CodeWideFD,
			"pid %d has descriptors numbered %s and more, which lsof prints as \"*\" and their last three digits (the first %q): "+
				"each is read as the next such number after the descriptor listed before it, as lsof lists them in order; "+
				"a process gets such descriptors only by holding %s of them at once", p.pid, facts.FormatCount(wideFDMin), string(fd), facts.FormatCount(wideFDMin))
	}
	return v
}

// setPeak gives p, when it has a descriptor of 10,000 or more, the least
// number of descriptors it must have held at once (fdlink.Peak: the
// kernel gives a new descriptor the lowest number free, so descriptor N
// was opened while 0 to N-1 were all open). A listing that selects descriptors (lsof -i, a
// grep) gives no count of them now, but this still shows how many the
// process held (facts.Process.PeakHandles, a lower bound here).
func (r *lsofReader) setPeak(p *lsofProc) {
	if p.topFD >= 1<<62 {
		return
	}
	peak, ok := fdlink.Peak(int64(p.topFD))
	if !ok {
		return
	}
	if old := p.pb.P.PeakHandles; old == nil || *old < peak {
		p.pb.P.PeakHandles = &peak
	}
}
