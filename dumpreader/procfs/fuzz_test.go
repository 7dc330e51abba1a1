package procfs

import (
	"strings"
	"testing"
)

// The parsers read files of processes that may be hostile (a comm or a
// unix socket path is chosen by the process): the property is that they
// never panic.

func FuzzParseStat(f *testing.F) {
	f.Add("812 (sshd) S 1 812 812 0 -1 4194560 120 0 0 0 3 1 0 0 20 0 1 0 98765 1000 100\n")
	f.Add("9 (a) b (c)) R 7 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5\n")
	f.Add(")(")
	f.Fuzz(func(t *testing.T, s string) {
		parseStat([]byte(s))
	})
}

func FuzzParseTables(f *testing.F) {
	f.Add(tableHeader("tcp") + inetLine(0, "127.0.0.1:8080", "10.0.0.2:5555", 8, 1002))
	f.Add(tableHeader("tcp6") + inetLine(0, "[::1]:9090", "[::1]:40000", 1, 1004))
	f.Add(tableHeader("unix") + unixLine(1007, "/run/server.sock") + unixLine(1008, ""))
	f.Add(tableHeader("netlink") + "ffff8a3c4d1e6000 0   1          00000000 0        0        0     2        0        14326\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range []string{"TCP", "UDP6"} {
			parseInetTable(strings.NewReader(s), typ, sockTable{})
		}
		parseUnixTable(strings.NewReader(s), sockTable{})
		parseFamilyTable(strings.NewReader(s), "raw", sockTable{})
		parseNetlinkTable(strings.NewReader(s), sockTable{})
		parseFamilyTable(strings.NewReader(s), "packet", sockTable{})
		parseFDLimit([]byte(s))
		parseFDFlags([]byte(s))
		parseBtime([]byte(s))
	})
}
