package procfd

import (
	"bytes"
	"slices"
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// What a descriptor's link becomes among a process's handles: the kinds
// and names package procfs gives the same links when leakdiag collect
// reads them, so that one set of rules reads both. A listing shows no
// socket tables, so a socket stays "socket" named by its inode, as the
// collector names one no table lists.

// anonKinds are the anonymous inodes with a type of their own. They are
// unnamed: every eventfd links to the same text.
var anonKinds = []string{"eventfd", "eventpoll", "timerfd", "signalfd", "inotify"}

// namespaceKinds are the links of descriptors opened on /proc/PID/ns/*.
var namespaceKinds = []string{"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"}

// deletedSuffix is what the kernel adds to the link of a deleted file.
const deletedSuffix = " (deleted)"

// kindOf says what a descriptor whose link is link refers to.
func kindOf(link string) (typ, name string, naming facts.Naming) {
	switch {
	case bracketed(link, "socket:"):
		return "socket", link, facts.Named
	case bracketed(link, "pipe:"):
		return "pipe", link, facts.Named
	case strings.HasPrefix(link, "anon_inode:"):
		return anonInode(link[len("anon_inode:"):])
	case strings.HasPrefix(link, "/"):
		return pathType(link), link, facts.Named
	}
	if kind, _, ok := strings.Cut(link, ":["); ok && slices.Contains(namespaceKinds, kind) {
		return "namespace", link, facts.Named
	}
	return "other", link, facts.Named
}

// anonInode describes an anonymous inode by what its link gives after
// "anon_inode:": "[eventfd]" (or "[eventfd:27]") is an eventfd, "inotify"
// an inotify instance; another kind is an "anon_inode" named by the kind
// as given ("[pidfd]", "[io_uring]").
func anonInode(name string) (string, string, facts.Naming) {
	kind := name
	if strings.HasPrefix(kind, "[") {
		kind = kind[1:]
		if i := strings.IndexAny(kind, ":]"); i >= 0 {
			kind = kind[:i]
		}
	}
	if slices.Contains(anonKinds, kind) {
		return kind, "", facts.Unnamed
	}
	if kind == "" {
		return "anon_inode", "", facts.Unnamed
	}
	return "anon_inode", name, facts.Named
}

// pathType tells files, directories and devices apart by the path's
// shape: a listing shows the link, not what it leads to.
func pathType(link string) string {
	switch {
	case link == "/":
		return "directory"
	case strings.HasPrefix(link, "/dev/") && !strings.HasPrefix(link, "/dev/shm/"):
		return "device"
	}
	return "file"
}

// bracketed reports whether link is prefix followed by a decimal number
// in brackets: "socket:[40315]".
func bracketed(link, prefix string) bool {
	rest, ok := strings.CutPrefix(link, prefix)
	if !ok || len(rest) < 3 || rest[0] != '[' || rest[len(rest)-1] != ']' {
		return false
	}
	for _, c := range rest[1 : len(rest)-1] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
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

// isDeleted reports whether a descriptor of type typ with link name is
// open to a deleted regular file: no memfd, which the kernel shows as
// deleted from its birth.
func isDeleted(typ, name string) bool {
	return typ == "file" && strings.HasSuffix(name, deletedSuffix) && !strings.HasPrefix(name, "/memfd:")
}
