package eventlog

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// isDataLine tells a line of an event's binary data as Event Viewer shows
// it under "Data:" (Words or Bytes): a four-digit hex offset, a colon and
// hex words, "0000: 00040000 00540001 00000000 c00007e4".
func isDataLine(line []byte) bool {
	if len(line) < 6 || len(line) > 256 || line[4] != ':' {
		return false
	}
	for _, c := range line[:4] {
		if !scan.IsHexDigit(c) {
			return false
		}
	}
	words := bytes.Fields(line[5:])
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		for _, c := range w {
			if !scan.IsHexDigit(c) && c != '.' {
				return false
			}
		}
	}
	return true
}
