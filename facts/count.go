package facts

import (
	"math"
	"strconv"
	"strings"
)

// FormatCount writes a count as reports print it, with thousands
// separators: 12,345.
func FormatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return sign + string(b)
}

// Plural writes a count and its noun as reports and messages print them:
// "1 finding", "2,048 findings", "3 processes".
func Plural(n int, noun string) string { return PluralCount(int64(n), noun) }

// PluralCount is Plural for a count of handles, lines, bytes.
func PluralCount(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "s") {
		return FormatCount(n) + " " + noun + "es"
	}
	return FormatCount(n) + " " + noun + "s"
}

// ImageName is how reports name a process by its image: the image, or
// "(unknown image)" when the capture did not say.
func ImageName(image string) string {
	if image == "" {
		return "(unknown image)"
	}
	return image
}

// CountAtLeast writes a count that may be short of the true one by up to
// bound (NameCount.Count and Error): "45,000" when exact (bound 0), "at
// least 45,000 (estimate, up to 45,122)" when not.
func CountAtLeast(n, bound int64) string {
	if bound <= 0 {
		return FormatCount(n)
	}
	return "at least " + FormatCount(n) + " (estimate, up to " + FormatCount(n+bound) + ")"
}

// CountAbout writes a count that may be an estimate of relative standard
// error DistinctNamesError (Process.DistinctNames): "48,210" when exact,
// "about 48,210 (estimate, ±3.3%)" when estimated, two standard errors
// rounded up.
func CountAbout(n int64, estimated bool) string {
	if !estimated {
		return FormatCount(n)
	}
	return "about " + FormatCount(n) + " (estimate, ±" + strconv.FormatFloat(math.Ceil(2000*DistinctNamesError)/10, 'f', 1, 64) + "%)"
}

// FormatShare writes a share (0.914) as a whole percentage (91%), but
// never rounds a part to all or to nothing: 0.9974 is 99.7%, not 100%,
// and 0.003 is 0.3%, not 0%. Below 0.05% and above 99.95% it says so
// (<0.1%, >99.9%).
func FormatShare(v float64) string {
	p := v * 100
	switch {
	case math.IsNaN(p) || p <= 0 || p >= 100 || p >= 0.5 && p < 99.5:
		return strconv.FormatFloat(math.Round(p), 'f', 0, 64) + "%"
	case p < 0.05:
		return "<0.1%"
	case p > 99.95:
		return ">99.9%"
	}
	return strconv.FormatFloat(math.Round(p*10)/10, 'f', 1, 64) + "%"
}
