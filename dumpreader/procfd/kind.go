package procfd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdlink"
)

// What a descriptor's link becomes among a process's handles is package
// fdlink's mapping, the one leakdiag collect (package procfs) reads the
// same links with, so that one set of rules reads both. A listing shows
// no socket tables, so a socket stays "socket" named by its inode, as the
// collector names one no table lists.

// isKernelLink recognizes the links only a descriptor has: socket:[N],
// pipe:[N], anon_inode:..., and the devices every process holds.
func isKernelLink(link []byte) bool {
	s := string(link)
	if _, ok := fdlink.Bracketed(s, "socket:"); ok {
		return true
	}
	if _, ok := fdlink.Bracketed(s, "pipe:"); ok {
		return true
	}
	return strings.HasPrefix(s, "anon_inode:") || strings.HasPrefix(s, "/dev/pts/") || s == "/dev/null"
}

// unquote undoes the quoting GNU ls (coreutils 8.25 and later) gives a
// name with blanks or characters a shell would read, as it shows a
// link's target on a terminal: 'pipe:[775725]', '/tmp/a b (deleted)',
// and a quote inside as 'it'\”s' (segments joined). A target that is
// not wholly such segments is returned as it is.
func unquote(b []byte) []byte {
	if len(b) < 2 || (b[0] != '\'' && b[0] != '"') {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		switch c := b[i]; c {
		case '\'', '"':
			j := bytes.IndexByte(b[i+1:], c)
			if j < 0 {
				return b
			}
			out = append(out, b[i+1:i+1+j]...)
			i += j + 2
		case '\\':
			if i+1 == len(b) {
				return b
			}
			out = append(out, b[i+1])
			i += 2
		default:
			return b
		}
	}
	return out
}
