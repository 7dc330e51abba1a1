// Package fdlink says what a Linux file descriptor refers to from the text
// of its link in /proc/PID/fd ("socket:[40315]", "pipe:[775725]",
// "anon_inode:[eventfd]", "/var/log/app.log (deleted)"): the one mapping of
// link text to fd kinds and names that leakdiag collect (package procfs)
// and pasted listings (package procfd) share, so that one set of rules
// reads both.
//
// The text alone cannot say which socket a socket is (that takes the
// kernel's socket tables) nor what a path leads to (that takes a stat):
// Kind names a socket "socket" by its inode and tells files, directories
// and devices apart by the path's shape. The collector, which can look,
// refines both.
package fdlink

import (
	"slices"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// anonKinds are the anonymous inodes with a type of their own. They are
// unnamed: every eventfd links to the same text.
var anonKinds = []string{"eventfd", "eventpoll", "timerfd", "signalfd", "inotify"}

// namespaceKinds are the links of descriptors opened on /proc/PID/ns/*.
var namespaceKinds = []string{"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"}

// DeletedSuffix is what the kernel adds to the link of a deleted file.
const DeletedSuffix = " (deleted)"

// Kind says what a descriptor whose link is link refers to: its handle
// type, name and how it is named.
func Kind(link string) (typ, name string, naming facts.Naming) {
	if _, ok := Bracketed(link, "socket:"); ok {
		return "socket", link, facts.Named
	}
	if _, ok := Bracketed(link, "pipe:"); ok {
		return "pipe", link, facts.Named
	}
	if name, ok := strings.CutPrefix(link, "anon_inode:"); ok {
		return anonInode(name)
	}
	if strings.HasPrefix(link, "/") {
		return PathShape(link), link, facts.Named
	}
	if kind, _, ok := strings.Cut(link, ":["); ok && slices.Contains(namespaceKinds, kind) {
		return "namespace", link, facts.Named
	}
	return "other", link, facts.Named
}

// anonInode describes an anonymous inode by the name its link gives after
// "anon_inode:": "[eventfd]" (or "[eventfd:27]", with the id some tools
// add) is an eventfd, "inotify" an inotify instance; another kind is an
// "anon_inode" named by the kind as given ("[io_uring]", "[pidfd]",
// "bpf-map"), as the lsof reader names it too.
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

// PathShape tells a directory or a device from a file by the path's
// shape: the root, and /dev (but for /dev/shm, where files live).
func PathShape(link string) string {
	switch {
	case link == "/":
		return "directory"
	case strings.HasPrefix(link, "/dev/") && !strings.HasPrefix(link, "/dev/shm/"):
		return "device"
	}
	return "file"
}

// Bracketed parses a link such as "socket:[40315]": prefix, then a
// decimal number in brackets, which it returns.
func Bracketed(link, prefix string) (uint64, bool) {
	rest, ok := strings.CutPrefix(link, prefix)
	if !ok || len(rest) < 3 || rest[0] != '[' || rest[len(rest)-1] != ']' {
		return 0, false
	}
	n, err := strconv.ParseUint(rest[1:len(rest)-1], 10, 64)
	return n, err == nil
}

// IsDeleted reports whether a descriptor of type typ named name is open
// to a regular file deleted since it was opened: a terminal gone or a
// deleted directory holds no data, and a memfd is shown as deleted from
// its birth.
func IsDeleted(typ, name string) bool {
	return typ == "file" && strings.HasSuffix(name, DeletedSuffix) && !strings.HasPrefix(name, "/memfd:")
}
