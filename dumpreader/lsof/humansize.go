package lsof

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"math"
)

// Sizes made readable after the fact. lsof prints SIZE/OFF in bytes, but
// people who hunt deleted files pipe it through numfmt so that the sizes
// read as 271M or 7.8K (`lsof | grep deleted | numfmt --field=7
// --to=iec`, or --to=iec-i for 271Mi). Such a value stands where the
// size does; it is read as binary multiples of bytes (what --to=iec
// means, and the nearest for --to=si), which is as precise as the paste.

// humanSizeMaxDigits bounds the digits before a humanized size's unit:
// numfmt prints at most four (1023K), a paste more is not a size.
const humanSizeMaxDigits = 6

// humanSizeShape reports whether t is a humanized size: digits, an
// optional fraction of one or two digits, a unit K, M, G, T, P or E and
// an optional "i" (271M, 7.8K, 1.1Gi).
func humanSizeShape(t []byte) bool {
	_, ok := parseHumanSize(t)
	return ok
}

// parseHumanSize returns the bytes a humanized size stands for, rounded
// down, and whether t is one.
func parseHumanSize(t []byte) (int64, bool) {
	if len(t) > 0 && t[len(t)-1] == 'i' {
		t = t[:len(t)-1]
	}
	if len(t) < 2 {
		return 0, false
	}
	shift := 0
	switch t[len(t)-1] {
	case 'K':
		shift = 10
	case 'M':
		shift = 20
	case 'G':
		shift = 30
	case 'T':
		shift = 40
	case 'P':
		shift = 50
	case 'E':
		shift = 60
	default:
		return 0, false
	}
	num := t[:len(t)-1]
	whole, frac := num, []byte(nil)
	for i, c := range num {
		if c == '.' {
			whole, frac = num[:i], num[i+1:]
			break
		}
	}
	if len(whole) == 0 || len(whole) > humanSizeMaxDigits || !scan.AllDigits(whole) {
		return 0, false
	}
	if frac != nil && (len(frac) == 0 || len(frac) > 2 || !scan.AllDigits(frac)) {
		return 0, false
	}
	w, ok := scan.ParseDec(whole)
	if !ok {
		return 0, false
	}
	unit := float64(int64(1) << shift)
	v := float64(w) * unit
	if frac != nil {
		f, _ := scan.ParseDec(frac)
		v += float64(f) / math.Pow(10, float64(len(frac))) * unit
	}
	if v >= math.MaxInt64 {
		return math.MaxInt64, true
	}
	return int64(v), true
}
