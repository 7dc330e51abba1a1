package prometheus

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// Prometheus exposition text: a sample of a metric this package reads,
// or two `# TYPE` lines and a sample of any metric (a whole scrape, whose
// process metrics may come after the head). Lines are cleaned of the
// damage of pasting (a blockquote, HTML entities) as the reader cleans
// them.
func Sniff(text []byte) bool {
	types, samples := 0, 0
	var labels []string
	var clean scan.Cleaner
	return scan.Sniff(text, func(line []byte) bool {
		b := clean.Clean(line)
		if len(b) == 0 || b[0] != '#' && !isNameChar(b[0], true) {
			return false // no sample nor comment: nothing to copy
		}
		t := string(b)
		if strings.HasPrefix(t, "# TYPE ") && len(strings.Fields(t)) == 4 {
			types++
			return types >= 2 && samples > 0
		}
		if len(t) == 0 || t[0] == '#' {
			return false
		}
		s, ok := parseSample(t, labels)
		if !ok {
			return false
		}
		labels = s.labels
		samples++
		_, known := metrics[s.name]
		return known || types >= 2
	})
}

// SniffRange reports whether text, the head of a JSON document, is a
// query_range response (a matrix result) or an instant query's (a
// vector).
func SniffRange(text []byte) bool {
	return bytes.Contains(text, []byte(`"resultType"`)) &&
		(bytes.Contains(text, []byte(`"matrix"`)) || bytes.Contains(text, []byte(`"vector"`)))
}
