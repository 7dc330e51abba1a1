package prometheus

import (
	"math"
	"strconv"
	"strings"
)

// maxLabels bounds the labels of a sample read.
const maxLabels = 64

// sample is one line of exposition text: name{labels} value [timestamp].
type sample struct {
	name   string
	labels []string // key, value, key, value...
	value  float64
	// ms is the sample's timestamp in milliseconds since 1970, 0 when
	// the line has none.
	ms int64
}

// parseSample reads a sample line; ok is false for a line that is none.
func parseSample(line string, labels []string) (s sample, ok bool) {
	i := 0
	for i < len(line) && isNameChar(line[i], i == 0) {
		i++
	}
	if i == 0 {
		return s, false
	}
	s.name = line[:i]
	rest := line[i:]
	s.labels = labels[:0]
	if strings.HasPrefix(rest, "{") {
		rest = rest[1:]
		for {
			rest = strings.TrimLeft(rest, " ")
			if strings.HasPrefix(rest, "}") {
				rest = rest[1:]
				break
			}
			j := 0
			for j < len(rest) && isNameChar(rest[j], j == 0) {
				j++
			}
			if j == 0 || !strings.HasPrefix(rest[j:], `="`) {
				return s, false
			}
			key := rest[:j]
			val, n, ok := unquote(rest[j+1:])
			if !ok {
				return s, false
			}
			if len(s.labels) < 2*maxLabels {
				s.labels = append(s.labels, key, val)
			}
			rest = strings.TrimLeft(rest[j+1+n:], " ")
			if strings.HasPrefix(rest, ",") {
				rest = rest[1:]
			} else if !strings.HasPrefix(rest, "}") {
				return s, false
			}
		}
	}
	if !strings.HasPrefix(rest, " ") && !strings.HasPrefix(rest, "\t") {
		return s, false
	}
	f, ok := valueFields(rest)
	if !ok {
		return s, false
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return s, false
	}
	s.value = v
	if f[1] != "" {
		ms, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return s, false
		}
		s.ms = ms
	}
	return s, true
}

// valueFields splits what follows a sample's name and labels into its
// value and its timestamp ("" when it has none); false when it is not
// one or two words. Most lines of other captures are more, and are
// refused before anything is made of them.
func valueFields(rest string) (f [2]string, ok bool) {
	n := 0
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			return f, n > 0
		}
		if n == len(f) {
			return f, false
		}
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			i = len(rest)
		}
		f[n], rest = rest[:i], rest[i:]
		n++
	}
}

// unquote reads a quoted label value at the start of s, with the
// escapes \\, \" and \n: the value and the bytes it took.
func unquote(s string) (string, int, bool) {
	if !strings.HasPrefix(s, `"`) {
		return "", 0, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), i + 1, true
		case '\\':
			if i+1 == len(s) {
				return "", 0, false
			}
			i++
			if s[i] == 'n' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

func isNameChar(c byte, first bool) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9'
}

// count is a metric's value as a count: a whole, not negative, finite
// number below 2^53.
func count(v float64) (int64, bool) {
	if math.IsNaN(v) || v < 0 || v > 1<<53 {
		return 0, false
	}
	return int64(v + 0.5), true
}
