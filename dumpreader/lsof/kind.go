package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// What a descriptor lsof shows becomes among a process's handles: the
// kinds and names leakdiag's own /proc collector gives, so that the same
// rules read both. A file is named by its path; a pipe, a UNIX socket
// without a path and another socket by their inode, as /proc/PID/fd
// shows them (pipe:[35542]); an Internet socket by its addresses and
// state; a netlink socket by its protocol; an anonymous inode of a known
// kind (eventfd, eventpoll, timerfd, signalfd, inotify) is that kind,
// unnamed, since its name would only number it, and one of another kind
// is an "anon_inode" named by the kind ([io_uring], [pidfd]).

// kinder maps files to kinds, interning the strings it makes. The
// reader has one, and each worker of a parallel read its own.
type kinder struct {
	// types and names intern types lsof prints and the names handles get.
	types, names *scan.Interner
	buf          []byte // scratch for names being built
}

func newKinder() kinder {
	return kinder{types: scan.NewInterner(nil), names: scan.NewInterner(nil)}
}

// lsofKind is what a file becomes.
type lsofKind struct {
	typ    string
	name   string
	naming facts.Naming
	state  string // the state of a TCP socket, "" if not shown
	// badState says the parentheses after the addresses hold no state
	// lsof prints: words a page garbled ("(CLOS _WAIT)"); state is then
	// UNKNOWN.
	badState bool
}

// kind maps the file f describes by its type, or by its name where lsof
// gives no type (a -F field set without t, a TYPE of "unknown").
func (r *kinder) kind(f *lsofFile) lsofKind {
	switch string(f.typ) {
	case "REG":
		if isAnonName(f.name) {
			// Older lsof prints an anonymous inode as a regular file of
			// the anon_inodefs device: "REG 0,9 0 4021 [eventpoll]". A
			// file's own name is a path.
			return r.anon(f.name)
		}
		return r.named("file", f.name)
	case "DIR":
		return r.named("directory", f.name)
	case "CHR", "BLK":
		return r.named("device", f.name)
	case "FIFO":
		return r.pipe(f)
	case "IPv4", "IPv6":
		return r.inet(f, string(f.typ) == "IPv6")
	case "unix":
		return r.unix(f)
	case "sock", "icmp":
		return r.inode("socket", "socket:[", f.node)
	case "raw", "raw6":
		// Named by family, as the collector names the sockets of
		// /proc/net/raw and raw6.
		return lsofKind{typ: "socket", name: string(f.typ), naming: facts.Named}
	case "pack":
		return lsofKind{typ: "socket", name: "packet", naming: facts.Named}
	case "netlink":
		return r.named("netlink", firstToken(f.name))
	case "a_inode", "anon_inode":
		return r.anon(f.name)
	case "0000":
		// Older lsof prints anonymous inodes with this type and the name
		// "anon_inode".
		if isAnonName(f.name) {
			return r.anon(f.name)
		}
	case "", "unknown":
		return r.guess(f)
	}
	return r.named(r.types.Get(f.typ), f.name)
}

// guess maps a file lsof gives no type for by the shape of its name.
func (r *kinder) guess(f *lsofFile) lsofKind {
	n := f.name
	switch {
	case len(f.proto) > 0:
		return r.inet(f, bytes.IndexByte(n, '[') >= 0)
	case len(n) == 0 || bytes.Contains(n, []byte("(readlink:")) || bytes.Contains(n, []byte("(stat:")):
		// No name, or the error lsof met reading it.
		return lsofKind{naming: facts.NameUnknown}
	case isAnonName(n):
		return r.anon(n)
	case string(n) == "pipe" || scan.HasPrefix(n, "pipe ") || scan.HasPrefix(n, "pipe:["):
		return r.pipe(f)
	case scan.HasPrefix(n, "type=") || bytes.Contains(n, []byte(" type=")):
		return r.unix(f)
	case scan.HasPrefix(n, "socket:["):
		return r.named("socket", n)
	case string(n) == "can't identify protocol" || scan.HasPrefix(n, "protocol: "):
		return r.inode("socket", "socket:[", f.node)
	}
	return lsofKind{name: r.names.Get(n), naming: facts.Named}
}

// named is a file of type typ named name, unnamed when name is empty.
func (r *kinder) named(typ string, name []byte) lsofKind {
	if len(name) == 0 {
		return lsofKind{typ: typ, naming: facts.Unnamed}
	}
	return lsofKind{typ: typ, name: r.names.Get(name), naming: facts.Named}
}

// inode is a file of type typ named prefix + inode + "]", unnamed when
// lsof does not show the inode.
func (r *kinder) inode(typ, prefix string, node []byte) lsofKind {
	if !scan.AllDigits(node) {
		return lsofKind{typ: typ, naming: facts.Unnamed}
	}
	r.buf = append(append(append(r.buf[:0], prefix...), node...), ']')
	return lsofKind{typ: typ, name: r.names.Get(r.buf), naming: facts.Named}
}

// pipe maps a FIFO: a pipe (NAME "pipe", or "pipe 1234,cat,4w" with +E)
// by its inode, a named FIFO by its path.
func (r *kinder) pipe(f *lsofFile) lsofKind {
	n := f.name
	switch {
	case scan.HasPrefix(n, "pipe:["):
		return r.named("pipe", n)
	case len(n) == 0 || string(n) == "pipe" || scan.HasPrefix(n, "pipe "):
		return r.inode("pipe", "pipe:[", f.node)
	}
	return r.named("pipe", n)
}

// unix maps a UNIX socket: by its path ("/run/dbus/system_bus_socket
// type=STREAM (CONNECTED)", "@/tmp/.X11-unix/X0" for an abstract one),
// else by its inode. lsof prints the socket type and state after the
// path, or alone; older versions print "socket" or the peer's address.
func (r *kinder) unix(f *lsofFile) lsofKind {
	n := f.name
	if i := bytes.Index(n, []byte(" type=")); i >= 0 {
		n = n[:i]
	} else if scan.HasPrefix(n, "type=") {
		n = nil
	}
	n = scan.TrimSpace(n)
	if len(n) == 0 || string(n) == "socket" || scan.HasPrefix(n, "->") || scan.HasPrefix(n, "0x") {
		return r.inode("UNIX", "unix:[", f.node)
	}
	return r.named("UNIX", n)
}

// inet maps an Internet socket: TCP, UDP (TCP6, UDP6 over IPv6), another
// protocol by its name, or the type as given when lsof shows no protocol.
// Its name is "local -> remote (STATE)", as the collector writes it: lsof
// prints "local->remote (STATE)", or the state in a T field with -F; see
// appendEndpoint for the addresses.
func (r *kinder) inet(f *lsofFile, v6 bool) lsofKind {
	var k lsofKind
	var upper [16]byte
	proto := upper[:0]
	if len(f.proto) <= len(upper)-1 {
		for _, c := range f.proto {
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			proto = append(proto, c)
		}
	}
	switch {
	case len(proto) == 0 && len(f.typ) > 0:
		k.typ = r.types.Get(f.typ)
	case len(proto) == 0:
		k.typ = "IPv4"
		if v6 {
			k.typ = "IPv6"
		}
	case v6 && !bytes.HasSuffix(proto, []byte("6")):
		k.typ = r.types.Get(append(proto, '6'))
	default:
		k.typ = r.types.Get(proto)
	}
	addr := firstToken(f.name)
	state := f.state
	if len(state) == 0 {
		var garbled bool
		state, garbled = lsofState(f.name[len(addr):])
		if garbled {
			// Counted among the socket's states as lsof counts one it
			// cannot name, so the process's TCP sockets stay whole.
			k.badState, state = true, []byte("UNKNOWN")
		}
	}
	if len(state) > 0 && lsofStateShape(state) {
		k.state = r.types.Get(state)
	}
	if len(addr) == 0 {
		k.naming = facts.Unnamed
		return k
	}
	b := r.buf[:0]
	if local, remote, ok := bytes.Cut(addr, []byte("->")); ok {
		b = appendEndpoint(b, local, v6)
		b = append(b, " -> "...)
		b = appendEndpoint(b, remote, v6)
	} else {
		b = appendEndpoint(b, addr, v6)
	}
	if k.state != "" {
		b = append(append(append(b, " ("...), k.state...), ')')
	}
	r.buf = b
	k.name, k.naming = r.names.Get(b), facts.Named
	return k
}

// appendEndpoint appends host:port as the collector writes it: lsof
// prints "*" for the wildcard address and port 0, and a socket of an
// IPv6 type whose addresses are IPv4-mapped with IPv4 addresses
// (Java's sockets), where the collector writes 0.0.0.0, [::], 0 and
// [::ffff:10.0.3.17]. Host names (lsof without -n) are kept.
func appendEndpoint(b, ep []byte, v6 bool) []byte {
	i := bytes.LastIndexByte(ep, ':')
	if i < 0 {
		return append(b, ep...)
	}
	host, port := ep[:i], ep[i+1:]
	switch {
	case string(host) == "*" && v6:
		b = append(b, "[::]"...)
	case string(host) == "*":
		b = append(b, "0.0.0.0"...)
	case v6 && isDottedQuad(host):
		b = append(append(append(b, "[::ffff:"...), host...), ']')
	default:
		b = append(b, host...)
	}
	b = append(b, ':')
	if string(port) == "*" {
		return append(b, '0')
	}
	return append(b, port...)
}

// isDottedQuad reports whether b is an IPv4 address in dotted decimal.
func isDottedQuad(b []byte) bool {
	parts := 0
	for len(b) > 0 {
		i := bytes.IndexByte(b, '.')
		part := b
		if i >= 0 {
			part, b = b[:i], b[i+1:]
			if len(b) == 0 {
				return false
			}
		} else {
			b = nil
		}
		if len(part) == 0 || len(part) > 3 || !scan.AllDigits(part) || len(part) > 1 && part[0] == '0' {
			return false
		}
		if v, _ := scan.ParseDec(part); v > 255 {
			return false
		}
		parts++
	}
	return parts == 4
}

// lsofState returns the state in the parentheses lsof prints after a
// socket's addresses: "(ESTABLISHED)", or with -T options
// "(ST=ESTABLISHED QR=0 QS=0)". lsof prints the state as one word: where
// the parentheses hold several words and no ST= (a page garbled the
// state: "(CLOS _WAIT)"), none of them is taken for it, and garbled says
// so.
func lsofState(rest []byte) (state []byte, garbled bool) {
	rest = scan.TrimSpace(rest)
	if len(rest) < 2 || rest[0] != '(' {
		return nil, false
	}
	rest = rest[1:]
	if i := bytes.IndexByte(rest, ')'); i >= 0 {
		rest = rest[:i]
	}
	words := 0
	for _, t := range bytes.Fields(rest) {
		if st, ok := bytes.CutPrefix(t, []byte("ST=")); ok {
			return st, false
		}
		if !bytes.ContainsRune(t, '=') {
			if state == nil {
				state = t
			}
			words++
		}
	}
	if words > 1 {
		return nil, true
	}
	return state, false
}

// lsofStateShape reports whether s reads as a TCP state: CLOSE_WAIT,
// FIN_WAIT2, LISTEN.
func lsofStateShape(s []byte) bool {
	if len(s) > 16 {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || scan.IsDigit(c) || c == '_') {
			return false
		}
	}
	return true
}

// isAnonName reports whether n names an anonymous inode: "[eventfd]",
// "[eventpoll:5,6]", "inotify", "anon_inode", "anon_inode:[timerfd]".
func isAnonName(n []byte) bool {
	return len(n) > 2 && n[0] == '[' && bytes.IndexByte(n, ']') > 1 ||
		string(n) == "inotify" || scan.HasPrefix(n, "anon_inode") || scan.HasPrefix(n, "bpf-")
}

// anon maps an anonymous inode by the kind its name gives: "[eventfd:27]"
// is an eventfd, "inotify" an inotify instance, "[io_uring]" an
// anon_inode named by its kind.
func (r *kinder) anon(n []byte) lsofKind {
	n, _ = bytes.CutPrefix(n, []byte("anon_inode:"))
	kind := firstToken(n)
	bracket := len(kind) > 1 && kind[0] == '['
	if bracket {
		kind = kind[1:]
		if i := bytes.IndexAny(kind, ":]"); i >= 0 {
			kind = kind[:i]
		}
	}
	for _, known := range []string{"eventfd", "eventpoll", "timerfd", "signalfd", "inotify"} {
		if string(kind) == known {
			return lsofKind{typ: known, naming: facts.Unnamed}
		}
	}
	if len(kind) == 0 || string(kind) == "anon_inode" {
		return lsofKind{typ: "anon_inode", naming: facts.Unnamed}
	}
	b := r.buf[:0]
	if bracket {
		b = append(append(append(b, '['), kind...), ']')
	} else {
		b = append(b, kind...)
	}
	r.buf = b
	return lsofKind{typ: "anon_inode", name: r.names.Get(b), naming: facts.Named}
}

// firstToken returns b up to its first blank.
func firstToken(b []byte) []byte {
	for i, c := range b {
		if scan.IsSpace(c) {
			return b[:i]
		}
	}
	return b
}
