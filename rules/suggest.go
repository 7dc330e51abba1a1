package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// suggest returns ` (did you mean "x"?)` for the candidate closest to
// word, when one is close enough to be a likely typo, and "" otherwise.
func suggest(word string, candidates []string) string {
	best, bestDist := "", len(word)/3+1
	for _, c := range candidates {
		if c == word {
			continue
		}
		if d := editDistance(strings.ToLower(word), strings.ToLower(c)); d < bestDist || (d == bestDist && best != "" && c < best) {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the number of insertions, deletions, substitutions and
// swaps of neighbours that turn a into b (optimal string alignment): a
// typo's "tilte" is one edit from "title".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// Suggest returns ` (did you mean "x"?)` for the candidate closest to word,
// or "" when none is close: for commands that take rule ids.
func Suggest(word string, candidates []string) string { return suggest(word, candidates) }

// Nearest returns up to n of candidates nearest to word: fewest edits
// first (case ignored), then, between ids of the same letters and a
// number (LD0019, LD0028), the nearest number, then in order. For
// commands that take rule ids, to say what was meant when nothing is
// close enough for Suggest.
func Nearest(word string, candidates []string, n int) []string {
	type cand struct {
		s         string
		dist, gap int
	}
	prefix, num, hasNum := splitNumber(word)
	cs := make([]cand, 0, len(candidates))
	for _, c := range candidates {
		x := cand{s: c, dist: editDistance(strings.ToLower(word), strings.ToLower(c)), gap: -1}
		if p, m, ok := splitNumber(c); ok && hasNum && strings.EqualFold(p, prefix) {
			x.gap = max(m-num, num-m)
		}
		cs = append(cs, x)
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if (a.gap >= 0) != (b.gap >= 0) {
			return a.gap >= 0
		}
		if a.gap != b.gap {
			return a.gap < b.gap
		}
		return a.s < b.s
	})
	var out []string
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.s)
	}
	return out
}

// splitNumber splits "LD0019" into "LD" and 19.
func splitNumber(s string) (string, int, bool) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) || len(s)-i > 9 {
		return s, 0, false
	}
	n, err := strconv.Atoi(s[i:])
	return s[:i], n, err == nil
}
