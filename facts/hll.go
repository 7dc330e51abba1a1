package facts

import (
	"math"
	"math/bits"
)

// hllPrecision is the number of hash bits that pick a register of the
// distinct-name estimate: 2^12 registers, a byte each (4 KiB per process
// that needs one).
const hllPrecision = 12

const hllRegisters = 1 << hllPrecision

// DistinctNamesError is the relative standard error of an estimated
// Process.DistinctNames: 1.04/sqrt(4096), about 1.6%. Two standard errors
// (3.3%) cover the true count in about 95% of processes, three in 99.7%.
const DistinctNamesError = 1.04 / 64

// hyperLogLog estimates how many distinct keys it was given in constant
// memory (Flajolet, Fusy, Gandouet and Meunier's HyperLogLog; the
// estimate is Ertl's, see estimate): each register keeps the longest run
// of leading zero bits seen among the keys that hash to it.
type hyperLogLog struct {
	reg [hllRegisters]uint8
}

// add records a key, a hash from nameKey.
func (h *hyperLogLog) add(key uint64) {
	idx := key >> (64 - hllPrecision)
	rest := key<<hllPrecision | 1<<(hllPrecision-1) // a stop bit bounds the run
	if rank := uint8(bits.LeadingZeros64(rest)) + 1; rank > h.reg[idx] {
		h.reg[idx] = rank
	}
}

// estimate returns the estimated number of distinct keys added, by
// Ertl's improved raw estimator ("New cardinality estimation algorithms
// for HyperLogLog sketches", 2017), which needs no table of bias
// corrections and holds its error across the range where the original
// estimator hands over to linear counting (about 10,000 keys here, just
// where a process's table fills up).
func (h *hyperLogLog) estimate() float64 {
	const m = float64(hllRegisters)
	const q = 64 - hllPrecision
	var hist [q + 2]float64
	for _, r := range h.reg {
		hist[r]++
	}
	z := m * hllTau(1-hist[q+1]/m)
	for k := q; k >= 1; k-- {
		z = 0.5 * (z + hist[k])
	}
	z += m * hllSigma(hist[0]/m)
	return m * m / (2 * math.Ln2 * z)
}

// hllSigma is the series x + sum 2^(k-1) x^(2^k) of the estimator.
func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += x * y
		y += y
		if z == prev {
			return z
		}
	}
}

// hllTau is the series of the estimator for registers at their maximum.
func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		z -= (1 - x) * (1 - x) * y
		if z == prev {
			return z / 3
		}
	}
}
