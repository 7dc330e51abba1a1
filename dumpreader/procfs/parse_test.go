package procfs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseStat(t *testing.T) {
	tail := " 0 -1 4194560 120 0 0 0 3 1 0 0 20 0 1 0 98765 1000 100\n"
	tests := []struct {
		name, in string
		want     procStat
		wantErr  bool
	}{
		{"plain", "812 (sshd) S 1 812 812" + tail, procStat{comm: "sshd", state: 'S', ppid: 1, flags: 4194560, start: 98765}, false},
		{"comm with spaces and parentheses", "9 (a) b (c)) R 7 9 9" + tail, procStat{comm: "a) b (c)", state: 'R', ppid: 7, flags: 4194560, start: 98765}, false},
		{"kernel thread", "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0\n", procStat{comm: "kthreadd", state: 'S', flags: 2129984, start: 1}, false},
		{"no comm", "812 sshd S 1", procStat{}, true},
		{"short", "812 (sshd) S 1 812", procStat{}, true},
		{"not a number", "812 (sshd) S x 812 812" + tail, procStat{}, true},
		{"empty", "", procStat{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseStat([]byte(tc.in))
			if (err != nil) != tc.wantErr {
				t.Fatalf("parseStat(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			}
			if err == nil && got != tc.want {
				t.Errorf("parseStat(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
	if st, _ := parseStat([]byte("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0\n")); !st.kernelThread() {
		t.Error("kthreadd is not a kernel thread")
	}
}

func TestCreateTime(t *testing.T) {
	for _, tc := range []struct {
		start uint64
		want  string
	}{
		{0, "2023-11-14T22:13:20Z"},
		{1, "2023-11-14T22:13:20.01Z"},
		{12345, "2023-11-14T22:15:23.45Z"},
	} {
		if got := createTime(fakeBtime, tc.start); got != tc.want {
			t.Errorf("createTime(%d, %d) = %q, want %q", fakeBtime, tc.start, got, tc.want)
		}
	}
}

func TestParseBtime(t *testing.T) {
	if got, ok := parseBtime([]byte("cpu 1 2\nbtime 1700000000\nprocesses 3\n")); !ok || got != 1700000000 {
		t.Errorf("parseBtime = %d, %v, want 1700000000", got, ok)
	}
	for _, in := range []string{"", "cpu 1\n", "btime x\n"} {
		if _, ok := parseBtime([]byte(in)); ok {
			t.Errorf("parseBtime(%q) ok, want not", in)
		}
	}
}

func TestParseFDLimit(t *testing.T) {
	const head = "Limit                     Soft Limit           Hard Limit           Units     \n"
	tests := []struct {
		in     string
		want   *int64
		wantOK bool
	}{
		{head + "Max open files            1024                 524288               files     \n", ptr(1024), true},
		{head + "Max open files            unlimited            unlimited            files     \n", nil, true},
		{head + "Max processes             63353                63353                processes \n", nil, false},
		{head + "Max open files            lots                 524288               files     \n", nil, false},
		{"", nil, false},
	}
	for _, tc := range tests {
		got, ok := parseFDLimit([]byte(tc.in))
		if ok != tc.wantOK || !cmp.Equal(got, tc.want) {
			t.Errorf("parseFDLimit(%q) = %v, %v, want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestParseCmdline(t *testing.T) {
	for _, tc := range []struct {
		in        string
		truncated bool
		want      string
	}{
		{"/usr/bin/server\x00-port\x008080\x00", false, "/usr/bin/server -port 8080"},
		{"nginx: worker process", false, "nginx: worker process"}, // rewritten by the process
		{"", false, ""},
		{"a\x00b", true, "a b ..."},
	} {
		if got := parseCmdline([]byte(tc.in), tc.truncated); got != tc.want {
			t.Errorf("parseCmdline(%q, %v) = %q, want %q", tc.in, tc.truncated, got, tc.want)
		}
	}
}

func TestExeImage(t *testing.T) {
	for _, tc := range []struct{ path, comm, want string }{
		{"/usr/sbin/sshd", "sshd", "sshd"},
		{"/opt/app/client (deleted)", "client", "client"},
		{"/memfd:runc_cloned:/proc/self/exe (deleted)", "runc:[2:INIT]", "runc:[2:INIT]"},
		{"/", "x", ""},
	} {
		if got := exeImage(tc.path, tc.comm); got != tc.want {
			t.Errorf("exeImage(%q, %q) = %q, want %q", tc.path, tc.comm, got, tc.want)
		}
	}
}

func TestParseFDFlags(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   uint64
		wantOK bool
	}{
		{"pos:\t0\nflags:\t02000002\nmnt_id:\t15\n", 02000002, true},
		{"pos:\t0\nflags:\t0100000\n", 0100000, true},
		{"pos:\t0\n", 0, false},
		{"flags:\t9\n", 0, false},
	} {
		got, ok := parseFDFlags([]byte(tc.in))
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("parseFDFlags(%q) = %#o, %v, want %#o, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestParseAddrPort(t *testing.T) {
	for _, ap := range []string{"127.0.0.1:8080", "0.0.0.0:0", "10.1.2.3:65535", "[::1]:9090", "[fe80::1:2]:53", "[::ffff:10.0.0.1]:443", "[::]:0"} {
		got, ok := parseAddrPort(kernelAddr(ap))
		if !ok || got.String() != ap {
			t.Errorf("parseAddrPort(%q) = %v, %v, want %s", kernelAddr(ap), got, ok, ap)
		}
	}
	for _, bad := range []string{"", "0100007F", "0100007F:", "0100007F:1F9000", "00007F:1F90", "0100007G:1F90", "0100007F:1F9G"} {
		if got, ok := parseAddrPort(bad); ok {
			t.Errorf("parseAddrPort(%q) = %v, want not ok", bad, got)
		}
	}
}

func TestParseInetTable(t *testing.T) {
	in := tableHeader("tcp") +
		inetLine(0, "0.0.0.0:22", "0.0.0.0:0", 0x0A, 11) +
		inetLine(1, "10.0.0.5:22", "10.0.0.9:50000", 0x01, 12) +
		inetLine(2, "10.0.0.5:22", "10.0.0.9:50001", 0x06, 0) +
		inetLine(3, "10.0.0.5:22", "10.0.0.9:50002", 0x0F, 13) +
		"   4: garbage\n" +
		"\n"
	got := sockTable{}
	bad, err := parseInetTable(strings.NewReader(in), "TCP", got)
	if err != nil {
		t.Fatal(err)
	}
	want := sockTable{
		11: {typ: "TCP", name: "0.0.0.0:22 (LISTEN)", state: "LISTEN"},
		12: {typ: "TCP", name: "10.0.0.5:22 -> 10.0.0.9:50000 (ESTABLISHED)", state: "ESTABLISHED"},
		13: {typ: "TCP", name: "10.0.0.5:22 -> 10.0.0.9:50002 (STATE_0F)", state: "STATE_0F"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(sockInfo{})); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if bad.n != 1 || bad.first != "   4: garbage" {
		t.Errorf("bad lines = %+v, want the garbage line", bad)
	}
}

func TestTCPStateNames(t *testing.T) {
	want := []string{"ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
		"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"}
	for i, w := range want {
		if got := tcpState(uint64(i + 1)); got != w {
			t.Errorf("tcpState(%#x) = %q, want %q", i+1, got, w)
		}
	}
}

func TestParseUnixTable(t *testing.T) {
	in := tableHeader("unix") +
		unixLine(21, "/run/systemd/notify") +
		unixLine(22, "") +
		unixLine(23, "@/tmp/.X11-unix/X0") +
		unixLine(24, "/tmp/with space") +
		"ffff: 00000002 00000000\n"
	got := sockTable{}
	bad, err := parseUnixTable(strings.NewReader(in), got)
	if err != nil {
		t.Fatal(err)
	}
	want := sockTable{
		21: {typ: "UNIX", name: "/run/systemd/notify"},
		22: {typ: "UNIX"}, // named by its inode when a descriptor refers to it
		23: {typ: "UNIX", name: "@/tmp/.X11-unix/X0"},
		24: {typ: "UNIX", name: "/tmp/with space"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(sockInfo{})); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if bad.n != 1 {
		t.Errorf("bad lines = %+v, want 1", bad)
	}
}

func TestParseNetlinkTable(t *testing.T) {
	in := tableHeader("netlink") +
		"ffff8a3c4d1e6000 0   1          00000000 0        0        0     2        0        14326\n" +
		"ffff8a3c4d1e6800 15  812        00000001 0        0        0     2        0        14327\n" +
		"ffff8a3c4d1e7000 99  0          00000000 0        0        0     2        0        14328\n" +
		"ffff8a3c4d1e7800 16  0          00000000 0        0        0     2        0        0\n" +
		"ffff8a3c4d1e8000 x\n"
	got := sockTable{}
	bad, err := parseNetlinkTable(strings.NewReader(in), got)
	if err != nil {
		t.Fatal(err)
	}
	want := sockTable{
		14326: {typ: "netlink", name: "ROUTE"},
		14327: {typ: "netlink", name: "KOBJECT_UEVENT"},
		14328: {typ: "netlink", name: "99"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(sockInfo{})); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if bad.n != 1 {
		t.Errorf("bad lines = %+v, want 1", bad)
	}
}

func TestParseFamilyTable(t *testing.T) {
	for _, tc := range []struct {
		family, in string
		want       sockTable
	}{
		{"packet", tableHeader("packet") + "ffff8a3c4d1e7000 3      3    0003   2     1 0      0      555\n",
			sockTable{555: {typ: "socket", name: "packet"}}},
		{"raw", tableHeader("raw") + inetLine(0, "0.0.0.0:1", "0.0.0.0:0", 0x07, 777),
			sockTable{777: {typ: "socket", name: "raw"}}},
	} {
		got := sockTable{}
		bad, err := parseFamilyTable(strings.NewReader(tc.in), tc.family, got)
		if err != nil || bad.n != 0 {
			t.Errorf("%s: error %v, %d bad lines", tc.family, err, bad.n)
		}
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(sockInfo{})); diff != "" {
			t.Errorf("%s: diff (-want +got):\n%s", tc.family, diff)
		}
	}
}
