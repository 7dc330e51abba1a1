package facts

import "math/bits"

// The name table's keys (pairKey) and the distinct-name estimate read a
// 64-bit hash of each handle's (type, name), computed once per handle.
// The hash is fixed (no random seed), so estimates are the same from run
// to run. It reads eight bytes at a time and folds each word into the
// state with a 64x64->128-bit multiply (high and low halves xored), then
// mixes the state's bits by a finalizer of shifts and multiplies, so that
// the top bits, which the estimate's register index takes, depend on
// every byte.

// The constants are odd numbers with their bits evenly spread, which
// multiplication needs to spread every input bit over the word.
const (
	hashSeed = 0x9e3779b97f4a7c15
	hashK1   = 0xbf58476d1ce4e5b9
	hashK2   = 0x94d049bb133111eb
)

func hashBytes(h uint64, s string) uint64 {
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = fold(h^w, hashK1)
		s = s[8:]
	}
	if len(s) > 0 {
		var w uint64
		for i := range len(s) {
			w |= uint64(s[i]) << (8 * i)
		}
		h = fold(h^w^uint64(len(s))<<59, hashK2)
	}
	return h
}

// fold multiplies a by b to 128 bits and xors the halves.
func fold(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// finalize spreads the state's bits over the whole word.
func finalize(h uint64) uint64 {
	h ^= h >> 30
	h *= hashK1
	h ^= h >> 27
	h *= hashK2
	h ^= h >> 31
	return h
}
