package fdlink

// PeakMin is the lowest descriptor number read as a peak. The kernel
// gives a new descriptor the lowest number free, so descriptor N was
// opened while 0 to N-1 were all open: any listing that shows it, cut or
// whole (lsof -i, a grep, an excerpt of ls -l /proc/PID/fd), shows the
// process held N+1 at once. Below 10,000 that says little of a leak (and
// dup2 may put a descriptor at a number of its choice, as shells put one
// at 255); from it on, it is what a leak of descriptors looks like. It is
// also the number from which lsof prints a descriptor as "*NNN".
const PeakMin = 10000

// peakMax bounds a descriptor number read as a peak: the kernel's own
// limit (fs.nr_open) is far below it.
const peakMax = 1 << 40

// Peak returns the least number of descriptors a process held at once,
// given the highest descriptor number a listing shows of it: top+1, and
// false when top is below PeakMin (or beyond any the kernel gives).
func Peak(top int64) (int64, bool) {
	if top < PeakMin || top >= peakMax {
		return 0, false
	}
	return top + 1, true
}

// Held returns n, the number of descriptors a process held at once as a
// filtered count shows it (`ls -l /proc/PID/fd | grep socket | wc -l`
// counts so many rows of one listing), as its peak: at least n, and
// false below PeakMin, where Peak says nothing either.
func Held(n int64) (int64, bool) {
	if n < PeakMin || n >= peakMax {
		return 0, false
	}
	return n, true
}
