package procfs

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// sockInfo is what the socket tables say about one socket.
type sockInfo struct {
	typ string // TCP, TCP6, UDP, UDP6 or UNIX
	// name is the socket's addresses, path or protocol; empty for a unix
	// socket without a path (one end of a socketpair, a client).
	name string
	// state is the TCP state name, empty for other sockets.
	state string
}

// sockTable maps socket inodes to what the tables of one network namespace
// say about them.
type sockTable map[uint64]sockInfo

// netTables are the files of /proc/PID/net read, with the type their
// sockets get. Netlink sockets are named by protocol, as lsof names them;
// raw and packet sockets are of type "socket" named by their family.
// Knowing them all, the collector does not read the tables again for a
// socket it cannot find (see procScan.socket).
var netTables = []struct{ file, typ string }{
	{"tcp", "TCP"}, {"tcp6", "TCP6"}, {"udp", "UDP"}, {"udp6", "UDP6"}, {"unix", "UNIX"},
	{"netlink", "netlink"}, {"raw", "socket"}, {"raw6", "socket"}, {"packet", "socket"},
}

// netlinkProtocols are the names of the netlink protocols
// (include/uapi/linux/netlink.h, NETLINK_ left off), as lsof prints them
// (INET_DIAG for what the kernel now calls SOCK_DIAG).
var netlinkProtocols = [...]string{
	0: "ROUTE", 1: "UNUSED", 2: "USERSOCK", 3: "FIREWALL", 4: "INET_DIAG", 5: "NFLOG", 6: "XFRM",
	7: "SELINUX", 8: "ISCSI", 9: "AUDIT", 10: "FIB_LOOKUP", 11: "CONNECTOR", 12: "NETFILTER",
	13: "IP6_FW", 14: "DNRTMSG", 15: "KOBJECT_UEVENT", 16: "GENERIC", 18: "SCSITRANSPORT",
	19: "ECRYPTFS", 20: "RDMA", 21: "CRYPTO", 22: "SMC",
}

// netlinkProtocol names protocol n, or gives its number.
func netlinkProtocol(n uint64) string {
	if n < uint64(len(netlinkProtocols)) && netlinkProtocols[n] != "" {
		return netlinkProtocols[n]
	}
	return strconv.FormatUint(n, 10)
}

// tcpStates are the kernel's TCP state names (include/net/tcp_states.h),
// by the hex number the "st" column of /proc/net/tcp prints.
// TCP_NEW_SYN_RECV (12) is a request, never a socket an fd refers to.
var tcpStates = [...]string{
	1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
	6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
	12: "NEW_SYN_RECV",
}

func tcpState(st uint64) string {
	if st < uint64(len(tcpStates)) && tcpStates[st] != "" {
		return tcpStates[st]
	}
	return fmt.Sprintf("STATE_%02X", st)
}

// badLines counts the lines of a table that were not understood, and
// keeps the first for the diagnostic.
type badLines struct {
	n     int
	first string
}

func (b *badLines) add(line string) {
	if b.n == 0 {
		b.first = line
	}
	b.n++
}

// parseInetTable reads /proc/PID/net/{tcp,tcp6,udp,udp6} into t:
//
//	sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//	 0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 40315 1 ...
func parseInetTable(r io.Reader, typ string, t sockTable) (badLines, error) {
	var bad badLines
	tcp := strings.HasPrefix(typ, "TCP")
	sc := bufio.NewScanner(r)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if header {
			header = false
			continue
		}
		f := strings.Fields(line)
		if len(f) < 10 {
			if strings.TrimSpace(line) != "" {
				bad.add(line)
			}
			continue
		}
		local, ok1 := parseAddrPort(f[1])
		remote, ok2 := parseAddrPort(f[2])
		st, err1 := strconv.ParseUint(f[3], 16, 8)
		inode, err2 := strconv.ParseUint(f[9], 10, 64)
		if !ok1 || !ok2 || err1 != nil || err2 != nil {
			bad.add(line)
			continue
		}
		if inode == 0 {
			continue // TIME_WAIT and request sockets belong to no descriptor
		}
		si := sockInfo{typ: typ, name: local.String()}
		connected := !remote.Addr().IsUnspecified() || remote.Port() != 0
		if connected {
			si.name += " -> " + remote.String()
		}
		if tcp {
			si.state = tcpState(st)
			si.name += " (" + si.state + ")"
		}
		t[inode] = si
	}
	return bad, sc.Err()
}

// parseAddrPort decodes an address of /proc/net/tcp: the IP address as the
// kernel holds it (network order) printed as 32-bit words in host order,
// a colon, and the port in hex.
func parseAddrPort(s string) (netip.AddrPort, bool) {
	h, p, ok := strings.Cut(s, ":")
	port, err := strconv.ParseUint(p, 16, 16)
	if !ok || err != nil {
		return netip.AddrPort{}, false
	}
	var b [16]byte
	switch len(h) {
	case 8, 32:
	default:
		return netip.AddrPort{}, false
	}
	for i := 0; i < len(h); i += 8 {
		w, err := strconv.ParseUint(h[i:i+8], 16, 32)
		if err != nil {
			return netip.AddrPort{}, false
		}
		binary.NativeEndian.PutUint32(b[i/2:], uint32(w))
	}
	var a netip.Addr
	if len(h) == 8 {
		a = netip.AddrFrom4([4]byte(b[:4]))
	} else {
		a = netip.AddrFrom16(b)
	}
	return netip.AddrPortFrom(a, uint16(port)), true
}

// parseUnixTable reads /proc/PID/net/unix into t:
//
//	Num       RefCount Protocol Flags    Type St Inode Path
//	ffff8f0c43f2a000: 00000002 00000000 00010000 0001 01 23142 /run/systemd/notify
//
// The path is the rest of the line, spaces and all; abstract names start
// with '@'.
func parseUnixTable(r io.Reader, t sockTable) (badLines, error) {
	var bad badLines
	sc := bufio.NewScanner(r)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if header {
			header = false
			continue
		}
		rest := line
		var f [7]string
		for i := range f {
			f[i], rest = cutField(rest)
		}
		inode, err := strconv.ParseUint(f[6], 10, 64)
		if err != nil || !strings.HasSuffix(f[0], ":") {
			if strings.TrimSpace(line) != "" {
				bad.add(line)
			}
			continue
		}
		t[inode] = sockInfo{typ: "UNIX", name: rest}
	}
	return bad, sc.Err()
}

// parseNetlinkTable reads /proc/PID/net/netlink into t, each socket of
// type "netlink" named by its protocol (the Eth column):
//
//	sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
//	ffff8a3c4d1e6000 15  1          00000001 0        0        0     2        0        14326
func parseNetlinkTable(r io.Reader, t sockTable) (badLines, error) {
	return parseInodeTable(r, func(f []string) (uint64, sockInfo, bool) {
		if len(f) < 10 {
			return 0, sockInfo{}, false
		}
		proto, err1 := strconv.ParseUint(f[1], 10, 32)
		inode, err2 := strconv.ParseUint(f[len(f)-1], 10, 64)
		return inode, sockInfo{typ: "netlink", name: netlinkProtocol(proto)}, err1 == nil && err2 == nil
	}, t)
}

// parseFamilyTable reads the inodes of a table of another socket family
// (raw, raw6, packet) into t, as sockets of type "socket" named by the
// family. The inode is field 9 of raw and raw6 (as in tcp) and the last
// field of packet:
//
//	sk               RefCnt Type Proto  Iface R Rmem   User   Inode
//	ffff8a3c4d1e7000 3      3    0003   2     1 0      0      555
func parseFamilyTable(r io.Reader, family string, t sockTable) (badLines, error) {
	return parseInodeTable(r, func(f []string) (uint64, sockInfo, bool) {
		field := f[len(f)-1]
		if strings.HasPrefix(family, "raw") {
			if len(f) < 10 {
				return 0, sockInfo{}, false
			}
			field = f[9]
		}
		inode, err := strconv.ParseUint(field, 10, 64)
		return inode, sockInfo{typ: "socket", name: family}, err == nil
	}, t)
}

// parseInodeTable reads a table whose lines entry parses, after its
// header, into t; sockets of inode 0 have no descriptor.
func parseInodeTable(r io.Reader, entry func(fields []string) (uint64, sockInfo, bool), t sockTable) (badLines, error) {
	var bad badLines
	sc := bufio.NewScanner(r)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if header {
			header = false
			continue
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		inode, si, ok := entry(f)
		if !ok {
			bad.add(line)
			continue
		}
		if inode != 0 {
			t[inode] = si
		}
	}
	return bad, sc.Err()
}

// cutField returns the first space-separated field of s and what follows
// the one space after it.
func cutField(s string) (field, rest string) {
	s = strings.TrimLeft(s, " ")
	field, rest, _ = strings.Cut(s, " ")
	return field, rest
}
