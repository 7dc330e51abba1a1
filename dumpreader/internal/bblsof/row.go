// Package bblsof reads a row of busybox's lsof, the one in Alpine-based
// containers: no header, a line per descriptor of every process it may
// read, with the process's pid, its executable and the descriptor's link
// in /proc/PID/fd, tab separated (busybox lsof.c: "%d\t%s\t%s\n"):
//
//	1	/sbin/tini	/dev/null
//	42	/usr/bin/contoso	socket:[9001]
//
// Newer builds print the descriptor's number too, between the executable
// and the link ("42\t/usr/bin/contoso\t7\tsocket:[9001]"). Package procfd
// reads such rows as listings of /proc/PID/fd, package lsof where they are
// pasted beside lsof's own.
package bblsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// MaxFD bounds a descriptor number: the kernel's own limit (fs.nr_open)
// is below it.
const MaxFD = 1 << 31

// Row is a row of busybox's lsof. Exe and Link point into the line read.
type Row struct {
	PID       int64
	Exe, Link []byte
	FD        int64 // -1 where the build prints no number
	Tabbed    bool  // the row kept its tabs
}

// Distinct reports whether the row, even with its tabs turned into
// spaces, has a shape no other command prints: a number, the
// descriptor's, and a kind's link after the executable ("42
// /usr/bin/contoso 9 socket:[9001]"). A line of `pgrep -a` or `ps -eo
// pid,args` ("4242 /usr/bin/node /srv/app.js") has the shape of a row
// without a number.
func (r *Row) Distinct() bool {
	return r.FD >= 0 && r.Link[0] != '/'
}

// ParseRow splits a row of busybox's lsof into its pid, executable,
// descriptor number (where the build prints one) and link: at its tabs,
// or where a paste turned the tabs into spaces, at its blank runs (an
// executable deleted since is "/path (deleted)"). The pid is a number,
// the executable an absolute path and the link one of what the kernel
// shows in /proc/PID/fd: a path, or a kind and its inode
// ("socket:[40315]", "anon_inode:[eventfd]"), which never starts with a
// digit, so a number before it is the descriptor's.
func ParseRow(line []byte) (r Row, ok bool) {
	var first, rest []byte
	if a, b, tab := bytes.Cut(line, []byte{'\t'}); tab {
		first, r.Tabbed = a, true
		if r.Exe, rest, tab = bytes.Cut(b, []byte{'\t'}); !tab {
			return r, false
		}
		r.FD, r.Link = -1, rest
		if n, link, four := bytes.Cut(rest, []byte{'\t'}); four && scan.AllDigits(scan.TrimSpace(n)) {
			r.FD, r.Link = fd(scan.TrimSpace(n)), link
		}
	} else {
		f := bytes.IndexByte(line, ' ')
		if f <= 0 {
			return r, false
		}
		first, rest = line[:f], scan.TrimSpace(line[f:])
		e := bytes.IndexByte(rest, ' ')
		if e <= 0 {
			return r, false
		}
		r.Exe, r.Link = rest[:e], scan.TrimSpace(rest[e:])
		if after, deleted := bytes.CutPrefix(r.Link, []byte("(deleted)")); deleted {
			r.Exe, r.Link = rest[:e+len(" (deleted)")], scan.TrimSpace(after)
		}
		r.FD = -1
		if n, link, four := bytes.Cut(r.Link, []byte{' '}); four && scan.AllDigits(n) {
			r.FD, r.Link = fd(n), scan.TrimSpace(link)
		}
	}
	first, r.Exe, r.Link = scan.TrimSpace(first), scan.TrimSpace(r.Exe), scan.TrimSpace(r.Link)
	if !scan.AllDigits(first) || len(r.Exe) < 2 || r.Exe[0] != '/' || !IsLinkText(r.Link) || r.FD < -1 {
		return r, false
	}
	n, valid := scan.ParseDec(first)
	if !valid || n == 0 || n >= 1<<32 {
		return r, false
	}
	r.PID = n
	return r, true
}

// fd returns the descriptor number n spells, -2 if it is none (too long
// or too large), which ParseRow refuses.
func fd(n []byte) int64 {
	v, ok := scan.ParseDec(n)
	if !ok || v >= MaxFD {
		return -2
	}
	return v
}

// IsLinkText reports whether b has the shape of a descriptor's link: an
// absolute path, or a kind and what names it after a colon (socket:[N],
// pipe:[N], anon_inode:[eventfd], anon_inode:inotify, net:[N]).
func IsLinkText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if b[0] == '/' {
		return true
	}
	kind, after, found := bytes.Cut(b, []byte(":"))
	if !found || len(kind) == 0 || len(after) == 0 || bytes.IndexByte(b, ' ') >= 0 {
		return false
	}
	for _, c := range kind {
		if (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return after[0] == '[' || string(kind) == "anon_inode"
}
