package lsfd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdlink"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// What a descriptor lsfd shows becomes among a process's handles: the
// kinds and names leakdiag's /proc collector and the lsof reader give,
// so that the same rules read all three. lsfd names the kind in TYPE; its
// NAME is a path, the link text of a pipe ("pipe:[35542]"), or for a
// socket or an anonymous inode its properties ("state=established
// laddr=10.0.0.5:443 raddr=10.0.0.9:51234", "[eventfd] id=27").

// kind is what a descriptor becomes.
type kind struct {
	typ    string
	name   string
	naming facts.Naming
	state  string // the state of a TCP socket, in lsof's words, "" if not shown
}

// kindOf maps a descriptor by its TYPE, SOURCE, INODE and NAME cells;
// str makes the strings of names as they are printed (an interner:
// names repeat from one descriptor to the next).
func kindOf(typ, source, inode, name []byte, str func([]byte) string) kind {
	switch t := string(typ); t {
	case "REG", "DIR", "CHR", "BLK":
		if len(name) == 0 {
			return kind{typ: pathType(t), naming: facts.NameUnknown}
		}
		return kind{typ: pathType(t), name: str(name), naming: facts.Named}
	case "FIFO":
		switch {
		case bytes.HasPrefix(name, []byte("pipe:[")):
			return kind{typ: "pipe", name: str(firstWord(name)), naming: facts.Named}
		case len(name) > 0 && name[0] == '/':
			return kind{typ: "pipe", name: str(name), naming: facts.Named}
		}
		return byInode("pipe", "pipe:[", inode)
	case "TCP", "TCPv6", "UDP", "UDPv6":
		return inet(t, name)
	case "UNIX", "UNIX-STREAM", "UNIX-DGRAM", "UNIX-SEQPACKET":
		if p := property(name, "path"); len(p) > 0 {
			return kind{typ: "UNIX", name: str(p), naming: facts.Named}
		}
		return byInode("UNIX", "unix:[", inode)
	case "NETLINK":
		if p := property(name, "protocol"); len(p) > 0 {
			return kind{typ: "netlink", name: str(p), naming: facts.Named}
		}
		return kind{typ: "netlink", naming: facts.Unnamed}
	case "PACKET":
		return kind{typ: "socket", name: "packet", naming: facts.Named}
	case "RAW", "RAWv6", "PING", "PINGv6", "UDPLITE", "UDPLITEv6", "SOCK":
		return byInode("socket", "socket:[", inode)
	case "ERROR":
		// lsfd could not read the descriptor's link or stat it: SOURCE
		// holds the failing call, not what the descriptor is.
		return kind{typ: "other", naming: facts.NameUnknown}
	case "UNKN":
		if string(source) == "anon_inodefs" {
			return anon(firstWord(name))
		}
		if bytes.HasPrefix(name, []byte("socket:[")) {
			return kind{typ: "socket", name: str(firstWord(name)), naming: facts.Named}
		}
		return kind{typ: "other", name: str(name), naming: named(name)}
	}
	if string(source) == "anon_inodefs" || anonTypes[string(typ)] {
		// eventfd, eventpoll, timerfd, signalfd, inotify, pidfd, bpf-map...
		return anon([]byte("[" + string(typ) + "]"))
	}
	return kind{typ: strings.ToLower(str(typ)), name: str(name), naming: named(name)}
}

// anonTypes are the TYPEs lsfd gives anonymous inodes it knows, which
// tell the kind where -o left SOURCE (anon_inodefs) out.
var anonTypes = map[string]bool{
	"eventfd": true, "eventpoll": true, "timerfd": true, "signalfd": true, "inotify": true,
	"pidfd": true, "bpf-map": true, "bpf-prog": true, "io_uring": true, "userfaultfd": true,
}

// pathType is the handle type of a file lsfd shows by its TYPE.
func pathType(t string) string {
	switch t {
	case "DIR":
		return "directory"
	case "CHR", "BLK":
		return "device"
	}
	return "file"
}

// anon maps an anonymous inode named "[eventfd]" as the collector does.
func anon(name []byte) kind {
	typ, n, naming := fdlink.Kind("anon_inode:" + string(name))
	return kind{typ: typ, name: n, naming: naming}
}

// byInode is a descriptor named prefix + inode + "]", unnamed when lsfd
// shows no inode.
func byInode(typ, prefix string, inode []byte) kind {
	if !scan.AllDigits(inode) {
		return kind{typ: typ, naming: facts.Unnamed}
	}
	return kind{typ: typ, name: prefix + string(inode) + "]", naming: facts.Named}
}

// inet maps an Internet socket, named "local -> remote (STATE)" as the
// lsof reader and the collector name it, from lsfd's "state=close-wait
// laddr=10.0.0.5:443 raddr=10.0.0.9:51234".
func inet(t string, name []byte) kind {
	k := kind{typ: strings.TrimSuffix(t, "v6")}
	if strings.HasSuffix(t, "v6") {
		k.typ += "6"
	}
	if strings.HasPrefix(k.typ, "TCP") {
		k.state = tcpStates[string(property(name, "state"))]
	}
	local, remote := property(name, "laddr"), property(name, "raddr")
	if len(local) == 0 {
		k.naming = facts.Unnamed
		return k
	}
	n := string(local)
	if len(remote) > 0 {
		n += " -> " + string(remote)
	}
	if k.state != "" {
		n += " (" + k.state + ")"
	}
	k.name, k.naming = n, facts.Named
	return k
}

// tcpStates are the states of a TCP socket as lsfd prints them (the
// kernel's, tcp_states.h), in lsof's words. A state is counted per
// process by name, so only these are: any other word is no state, and a
// capture cannot make a process's counts a map of its own words.
var tcpStates = map[string]string{
	"established": "ESTABLISHED", "syn-sent": "SYN_SENT", "syn-recv": "SYN_RECV",
	"fin-wait1": "FIN_WAIT1", "fin-wait2": "FIN_WAIT2", "time-wait": "TIME_WAIT",
	"close": "CLOSE", "close-wait": "CLOSE_WAIT", "last-ack": "LAST_ACK",
	"listen": "LISTEN", "closing": "CLOSING", "new-syn-recv": "NEW_SYN_RECV",
	"bound-inactive": "BOUND_INACTIVE",
}

// property returns the value of key=value among the words of name, nil
// if there is none.
func property(name []byte, key string) []byte {
	for _, w := range bytes.Fields(name) {
		if v, ok := bytes.CutPrefix(w, []byte(key+"=")); ok {
			return v
		}
	}
	return nil
}

func firstWord(b []byte) []byte {
	if i := bytes.IndexAny(b, " \t"); i >= 0 {
		return b[:i]
	}
	return b
}

func named(name []byte) facts.Naming {
	if len(name) == 0 {
		return facts.Unnamed
	}
	return facts.Named
}

// untypedKind is the kind of a descriptor whose row has no TYPE (-o left
// it out): what its NAME shows as /proc/PID/fd's link would (a path, a
// pipe:[N], socket:[N], an anonymous inode SOURCE says is one), else a
// descriptor of unknown kind named by its NAME.
func untypedKind(source, name []byte, str func([]byte) string) kind {
	switch {
	case string(source) == "anon_inodefs" && len(name) > 0 && name[0] == '[':
		return anon(firstWord(name))
	case string(source) == "sockfs":
		return kind{typ: "socket", name: str(name), naming: named(name)}
	case len(name) > 0 && name[0] == '/', bytes.HasPrefix(name, []byte("pipe:[")), bytes.HasPrefix(name, []byte("socket:[")):
		typ, n, naming := fdlink.Kind(string(name))
		return kind{typ: typ, name: n, naming: naming}
	}
	return kind{typ: "other", name: str(name), naming: named(name)}
}
