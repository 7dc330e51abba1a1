package procfs

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// serverTree is a fake tree with a server holding a descriptor of every
// kind (pid 100), a client in the same network namespace whose binary was
// replaced (200), a process in another namespace (500), a kernel thread
// (2) and a zombie (400).
func serverTree(t *testing.T) *fakeProc {
	t.Helper()
	f := newFakeProc(t)
	targets := t.TempDir()
	file := filepath.Join(targets, "app.dat")
	dir := filepath.Join(targets, "data")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tcp := tableHeader("tcp") +
		inetLine(0, "127.0.0.1:8080", "0.0.0.0:0", 0x0A, 1001) +
		inetLine(1, "127.0.0.1:8080", "10.0.0.2:5555", 0x08, 1002) +
		inetLine(2, "127.0.0.1:8080", "10.0.0.3:6000", 0x08, 1003) +
		inetLine(3, "127.0.0.1:8080", "10.0.0.4:7000", 0x06, 0) + // TIME_WAIT: no inode
		inetLine(4, "10.0.0.9:41000", "10.0.0.1:443", 0x01, 1010)
	serverNet := map[string]string{
		"tcp":     tcp,
		"tcp6":    tableHeader("tcp6") + inetLine(0, "[::1]:9090", "[::1]:40000", 0x01, 1004),
		"udp":     tableHeader("udp") + inetLine(0, "0.0.0.0:53", "0.0.0.0:0", 0x07, 1005),
		"udp6":    tableHeader("udp6") + inetLine(0, "[fe80::1]:5353", "[fe80::2]:5353", 0x01, 1006),
		"unix":    tableHeader("unix") + unixLine(1007, "/run/server.sock") + unixLine(1008, "") + unixLine(1011, "@/tmp/.X11-unix/X0") + unixLine(1012, "/run/my app.sock"),
		"netlink": tableHeader("netlink") + "ffff8a3c4d1e6000 15  100        00000001 0        0        0     2        0        1009\n",
	}
	f.add(fakeProcess{
		pid: 100, ppid: 1, comm: "server", start: 12345, exe: "/usr/bin/server",
		cmdline: []string{"/usr/bin/server", "-port", "8080"},
		net:     serverNet,
		fds: []fakeFD{
			{0, "/dev/null", "0100002"},
			{1, "pipe:[111]", "01"},
			{2, "pipe:[111]", "02000001"},
			{3, "socket:[1001]", "02000002"},
			{4, "socket:[1002]", "02000002"},
			{5, "socket:[1003]", "02000002"},
			{6, "socket:[1004]", "02000002"},
			{7, "socket:[1005]", "02000002"},
			{8, "socket:[1006]", "02000002"},
			{9, "socket:[1007]", "02000002"},
			{10, "socket:[1008]", "02000002"},
			{11, "socket:[1009]", "02000002"},
			{12, "socket:[9999]", "02000002"},
			{13, "anon_inode:[eventfd]", "02004002"},
			{14, "anon_inode:[eventpoll]", "02000002"},
			{15, "anon_inode:[timerfd]", "02004002"},
			{16, "anon_inode:[signalfd]", "02004002"},
			{17, "anon_inode:inotify", "02004000"},
			{18, "anon_inode:[io_uring]", "02000002"},
			{19, file, "02100000"},
			{20, dir, "02200000"},
			{21, "/var/log/app.log (deleted)", "02100001"},
			{22, "/dev/gone0", "02000002"},
			{23, "net:[4026531840]", "02000000"},
			{24, "weird", ""},
			{25, "socket:[1011]", "02000002"},
			{26, "socket:[1012]", "02000002"},
			{27, file, "0100000"},
			{28, "anon_inode:[eventfd:27]", "02000002"},
			{29, "anon_inode:bpf-map", "02000002"},
			{30, "anon_inode:", "02000002"},
		},
	})
	// The client's tables were read later than the server's: its socket
	// 1020 is newer than the server's tables the collector caches.
	f.add(fakeProcess{
		pid: 200, ppid: 100, comm: "client", start: 20000, exe: "/opt/app/client (deleted)",
		cmdline: []string{"client"}, limits: "unlimited",
		net: maps.Collect(func(yield func(string, string) bool) {
			for k, v := range serverNet {
				if k == "tcp" {
					v += inetLine(5, "127.0.0.1:41000", "127.0.0.1:8080", 0x02, 1020)
				}
				if !yield(k, v) {
					return
				}
			}
		}),
		fds: []fakeFD{{0, "socket:[1010]", "02000002"}, {1, "socket:[1020]", "02000002"}},
	})
	f.add(fakeProcess{
		pid: 500, ppid: 1, comm: "contained", start: 30000, exe: "/app/contained", netns: "net:[4026532000]",
		cmdline: []string{"/app/contained"},
		net:     map[string]string{"tcp": tableHeader("tcp") + inetLine(0, "172.17.0.2:80", "172.17.0.1:50000", 0x01, 1001)},
		fds:     []fakeFD{{3, "socket:[1001]", "02000002"}},
	})
	f.add(fakeProcess{pid: 2, comm: "kthreadd", flags: pfKthread, start: 1})
	f.add(fakeProcess{pid: 400, ppid: 100, comm: "defunct", state: 'Z', start: 40000})
	return f
}

func TestDescribeEveryKind(t *testing.T) {
	f := serverTree(t)
	c := newCollector(osSys{}, f.root)
	p := &procScan{c: c, pid: 100, dir: filepath.Join(f.root, "100"), label: "pid 100 (server)"}
	targets := filepath.Dir(mustReadlink(t, filepath.Join(f.root, "100/fd/19")))
	type got struct {
		Type        string
		Name        string
		Naming      facts.Naming
		State       string
		Inheritable bool
	}
	named := func(typ, name string) got { return got{Type: typ, Name: name, Naming: facts.Named} }
	unnamed := func(typ string) got { return got{Type: typ, Naming: facts.Unnamed} }
	inherit := func(g got) got { g.Inheritable = true; return g }
	tcp := func(name, state string) got { g := named("TCP", name); g.State = state; return g }
	tests := []struct {
		fd   int
		want got
	}{
		{0, inherit(named("device", "/dev/null"))},
		{1, inherit(named("pipe", "pipe:[111]"))},
		{2, named("pipe", "pipe:[111]")},
		{3, tcp("127.0.0.1:8080 (LISTEN)", "LISTEN")},
		{4, tcp("127.0.0.1:8080 -> 10.0.0.2:5555 (CLOSE_WAIT)", "CLOSE_WAIT")},
		{5, tcp("127.0.0.1:8080 -> 10.0.0.3:6000 (CLOSE_WAIT)", "CLOSE_WAIT")},
		{6, got{Type: "TCP6", Name: "[::1]:9090 -> [::1]:40000 (ESTABLISHED)", Naming: facts.Named, State: "ESTABLISHED"}},
		{7, named("UDP", "0.0.0.0:53")},
		{8, named("UDP6", "[fe80::1]:5353 -> [fe80::2]:5353")},
		{9, named("UNIX", "/run/server.sock")},
		{10, named("UNIX", "unix:[1008]")},
		{11, named("netlink", "KOBJECT_UEVENT")},
		{12, named("socket", "socket:[9999]")},
		{13, unnamed("eventfd")},
		{14, unnamed("eventpoll")},
		{15, unnamed("timerfd")},
		{16, unnamed("signalfd")},
		{17, unnamed("inotify")},
		{18, named("anon_inode", "[io_uring]")},
		{19, named("file", filepath.Join(targets, "app.dat"))},
		{20, named("directory", filepath.Join(targets, "data"))},
		{21, named("file", "/var/log/app.log (deleted)")},
		{22, named("device", "/dev/gone0")},
		{23, named("namespace", "net:[4026531840]")},
		{24, named("other", "weird")}, // no fdinfo: flags unknown, so not marked
		{25, named("UNIX", "@/tmp/.X11-unix/X0")},
		{26, named("UNIX", "/run/my app.sock")},
		{27, inherit(named("file", filepath.Join(targets, "app.dat")))},
		{28, unnamed("eventfd")},
		{29, named("anon_inode", "bpf-map")},
		{30, unnamed("anon_inode")},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.fd), func(t *testing.T) {
			name := fmt.Sprint(tc.fd)
			h, state, err := p.fd(uint64(tc.fd), name)
			if err != nil {
				t.Fatal(err)
			}
			wantPos := facts.Position{Path: filepath.Join(f.root, "100", "fd", name)}
			if h.Value != uint64(tc.fd)*4 || h.Pos != wantPos {
				t.Errorf("value %d at %v, want %d at %v", h.Value, h.Pos, tc.fd*4, wantPos)
			}
			g := got{Type: h.Type, Name: h.Name, Naming: h.Naming, State: state, Inheritable: h.Attributes&facts.AttrInherit != 0}
			if diff := cmp.Diff(tc.want, g); diff != "" {
				t.Errorf("fd %d: diff (-want +got):\n%s", tc.fd, diff)
			}
		})
	}
}

func mustReadlink(t *testing.T, name string) string {
	t.Helper()
	s, err := os.Readlink(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// proc is what the tests compare of a collected process.
type proc struct {
	PID, PPID     uint64
	Image, Path   string
	Cmdline       string
	CreateTime    string
	FDLimit       *int64
	HandleCount   *int64
	HandlesParsed int64
	ByType        map[string]int64
	UnnamedByType map[string]int64
	SocketStates  map[string]int64
	DeletedFDs    int64
	DeletedBytes  int64
	Source        string
}

func procOf(p *facts.Process, root string) proc {
	return proc{
		PID: p.PID, PPID: p.PPID, Image: p.Image, Path: p.Path, Cmdline: p.Cmdline, CreateTime: p.CreateTime,
		FDLimit: p.FDLimit, HandleCount: p.HandleCount, HandlesParsed: p.HandlesParsed,
		ByType: p.ByType, UnnamedByType: p.UnnamedByType, SocketStates: p.SocketStates,
		DeletedFDs: p.DeletedFDs, DeletedBytes: p.DeletedBytes,
		Source: strings.TrimPrefix(p.Source.String(), root),
	}
}

func procsOf(s *facts.Snapshot, root string) []proc {
	var ps []proc
	for _, p := range s.Processes {
		ps = append(ps, procOf(p, root))
	}
	return ps
}

func ptr(n int64) *int64 { return &n }

// diagsOf lists the diagnostics as "severity code: message", with the
// root left out of the message.
func diagsOf(s *facts.Snapshot, root string) []string {
	var ds []string
	for _, d := range s.Diagnostics {
		if d.Line != 0 || d.Path != root {
			ds = append(ds, fmt.Sprintf("diagnostic at %s", d.Where()))
		}
		ds = append(ds, fmt.Sprintf("%s %s: %s", d.Severity, d.Code, strings.ReplaceAll(d.Message, root, "/proc")))
	}
	return ds
}

func TestCollectFakeTree(t *testing.T) {
	f := serverTree(t)
	snap, err := collect(osSys{}, Options{Root: f.root, Now: fakeNow})
	if err != nil {
		t.Fatal(err)
	}
	if snap.Host != "fakehost" || snap.OSVersion != "Linux "+fakeRelease || snap.CapturedAt != "2024-05-06T07:08:09Z" {
		t.Errorf("host %q, OS %q, captured at %q", snap.Host, snap.OSVersion, snap.CapturedAt)
	}
	wantSources := []facts.Source{{Path: f.root, Format: "procfs"}}
	if diff := cmp.Diff(wantSources, snap.Sources); diff != "" {
		t.Errorf("sources: diff (-want +got):\n%s", diff)
	}
	want := []proc{{
		PID: 100, PPID: 1, Image: "server", Path: "/usr/bin/server", Cmdline: "/usr/bin/server -port 8080",
		CreateTime: "2023-11-14T22:15:23.45Z", FDLimit: ptr(1024), HandleCount: ptr(31), HandlesParsed: 31,
		ByType: map[string]int64{
			"device": 2, "pipe": 2, "TCP": 3, "TCP6": 1, "UDP": 1, "UDP6": 1, "UNIX": 4, "netlink": 1, "socket": 1,
			"eventfd": 2, "eventpoll": 1, "timerfd": 1, "signalfd": 1, "inotify": 1, "anon_inode": 3,
			"file": 3, "directory": 1, "namespace": 1, "other": 1,
		},
		UnnamedByType: map[string]int64{"anon_inode": 1, "eventfd": 2, "eventpoll": 1, "timerfd": 1, "signalfd": 1, "inotify": 1},
		SocketStates:  map[string]int64{"LISTEN": 1, "CLOSE_WAIT": 2, "ESTABLISHED": 1},
		// fd 21, whose deleted file the fake tree does not hold: its size
		// is unknown.
		DeletedFDs: 1,
		Source:     "/100",
	}, {
		PID: 200, PPID: 100, Image: "client", Path: "/opt/app/client (deleted)", Cmdline: "client",
		CreateTime: "2023-11-14T22:16:40Z", HandleCount: ptr(2), HandlesParsed: 2,
		ByType: map[string]int64{"TCP": 2}, UnnamedByType: map[string]int64{},
		SocketStates: map[string]int64{"ESTABLISHED": 1, "SYN_SENT": 1},
		Source:       "/200",
	}, {
		PID: 400, PPID: 100, Image: "defunct", CreateTime: "2023-11-14T22:20:00Z", FDLimit: ptr(1024),
		HandleCount: ptr(0), ByType: map[string]int64{}, UnnamedByType: map[string]int64{}, Source: "/400",
	}, {
		PID: 500, PPID: 1, Image: "contained", Path: "/app/contained", Cmdline: "/app/contained",
		CreateTime: "2023-11-14T22:18:20Z", FDLimit: ptr(1024), HandleCount: ptr(1), HandlesParsed: 1,
		ByType: map[string]int64{"TCP": 1}, UnnamedByType: map[string]int64{},
		SocketStates: map[string]int64{"ESTABLISHED": 1},
		Source:       "/500",
	}}
	if diff := cmp.Diff(want, procsOf(snap, f.root)); diff != "" {
		t.Errorf("processes: diff (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string(nil), diagsOf(snap, f.root)); diff != "" {
		t.Errorf("diagnostics: diff (-want +got):\n%s", diff)
	}
	// The most held name of the server is the file it opened twice, first
	// at descriptor 19.
	top := snap.Processes[0].TopNames[0]
	if top.Type != "file" || top.Count != 2 || top.First.Path != filepath.Join(f.root, "100", "fd", "19") {
		t.Errorf("server's top name = %+v, want the data file twice, first at fd 19", top)
	}
}

func TestCollectCachesSocketTablesPerNamespace(t *testing.T) {
	f := serverTree(t)
	// A third process of the server's namespace, whose socket the cached
	// tables hold: its own tables are not read.
	f.add(fakeProcess{pid: 300, ppid: 1, comm: "peer", exe: "/usr/bin/peer", fds: []fakeFD{{0, "socket:[1007]", "02000002"}}})
	fs := &faultSys{sys: osSys{}}
	if _, err := collect(fs, Options{Root: f.root, Now: fakeNow}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pid  string
		want int
	}{
		{"100", 1}, // the namespace's first: read
		{"200", 1}, // a socket newer than the cache: read again
		{"300", 0}, // found in the cache
		{"500", 1}, // another namespace
	} {
		if got := fs.calls[filepath.Join(f.root, c.pid, "net", "tcp")]; got != c.want {
			t.Errorf("pid %s: its net/tcp read %d times, want %d", c.pid, got, c.want)
		}
	}
}

func TestCollectAskedPIDs(t *testing.T) {
	f := serverTree(t)
	snap, err := collect(osSys{}, Options{Root: f.root, PIDs: []uint64{2, 200, 2}, Now: fakeNow})
	if err != nil {
		t.Fatal(err)
	}
	got := procsOf(snap, f.root)
	// A kernel thread asked for is collected: no executable, no
	// descriptors.
	want := []proc{{
		PID: 2, Image: "kthreadd", CreateTime: "2023-11-14T22:13:20.01Z", FDLimit: ptr(1024), HandleCount: ptr(0),
		ByType: map[string]int64{}, UnnamedByType: map[string]int64{}, Source: "/2",
	}}
	if diff := cmp.Diff(want, got[:1]); diff != "" || len(got) != 2 || got[1].PID != 200 {
		t.Errorf("got %d processes; diff of the first (-want +got):\n%s", len(got), diff)
	}
	if ds := diagsOf(snap, f.root); len(ds) > 0 {
		t.Errorf("diagnostics: %q", ds)
	}
}

func TestCollectMissingPID(t *testing.T) {
	f := serverTree(t)
	_, err := collect(osSys{}, Options{Root: f.root, PIDs: []uint64{100, 999, 4242}})
	if err == nil || !strings.Contains(err.Error(), "no process with pid 999, 4242") {
		t.Errorf("Collect(pids 100, 999, 4242) = %v, want an error naming 999 and 4242", err)
	}
}

func TestCollectBadRoot(t *testing.T) {
	for _, root := range []string{filepath.Join(t.TempDir(), "nothere"), t.TempDir()} {
		if _, err := collect(osSys{}, Options{Root: root}); err == nil {
			t.Errorf("Collect(root %s) succeeded, want an error", root)
		}
	}
}

// TestCollectProblems makes reads fail as they fail on a running system.
// Each case collects pid 100 of a small tree (and pid 7, which reads
// fine) and checks the process and the diagnostics.
func TestCollectProblems(t *testing.T) {
	type fault struct {
		errs map[string]error
		// vanishAt removes the process's directory when this path (under
		// the process's directory) is first touched: the process exits.
		vanishAt string
		// changeAt calls change with the process's directory when this
		// path is first touched.
		changeAt string
		change   func(t *testing.T, dir string)
	}
	// zombie makes the process a zombie: its state Z, its descriptors
	// closed.
	zombie := func(t *testing.T, dir string) {
		if err := os.WriteFile(filepath.Join(dir, "stat"), []byte("100 (leaky app) Z 1 100 100 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, fd := range []string{"3", "4"} {
			if err := os.Remove(filepath.Join(dir, "fd", fd)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// reused gives the pid to a process started later, with no
	// descriptor 4.
	reused := func(t *testing.T, dir string) {
		if err := os.WriteFile(filepath.Join(dir, "stat"), []byte("100 (other) S 1 100 100 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 900 1000 100\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(dir, "fd", "4")); err != nil {
			t.Fatal(err)
		}
	}
	base := func() fakeProcess {
		return fakeProcess{
			pid: 100, ppid: 1, comm: "leaky app", exe: "/usr/bin/leaky", start: 100, cmdline: []string{"leaky"},
			fds: []fakeFD{
				{0, "/dev/null", "02"}, {1, "pipe:[5]", "02000001"}, {2, "pipe:[5]", "02000001"},
				{3, "anon_inode:[eventfd]", "02000002"}, {4, "anon_inode:[eventfd]", "02000002"},
			},
		}
	}
	bystander := fakeProcess{pid: 7, ppid: 1, comm: "ok", exe: "/bin/ok", start: 7, fds: []fakeFD{{0, "/dev/null", "02"}}}
	tests := []struct {
		name   string
		edit   func(p *fakeProcess)
		fault  fault
		want   *proc // nil: pid 100 is not in the snapshot
		wantDs []string
	}{{
		name:  "exits before its stat is read",
		fault: fault{vanishAt: "stat"},
		wantDs: []string{"info process-vanished: pid 100 exited before it was read (its stat: " +
			"open /proc/100/stat: no such file or directory): not collected"},
	}, {
		name:  "ESRCH reading its command line",
		fault: fault{vanishAt: "cmdline", errs: map[string]error{"cmdline": syscall.ESRCH}},
		wantDs: []string{"info process-vanished: pid 100 (leaky app) exited before it was read (its command line: " +
			"open /proc/100/cmdline: no such process): not collected"},
	}, {
		name:  "fd directory disappears",
		fault: fault{vanishAt: "fd"},
		wantDs: []string{"info process-vanished: pid 100 (leaky app) exited before it was read (its descriptors: " +
			"open /proc/100/fd: no such file or directory): not collected"},
	}, {
		name:  "exits while its descriptors are read",
		fault: fault{vanishAt: "fd/3"},
		want: &proc{
			PID: 100, PPID: 1, Image: "leaky", Path: "/usr/bin/leaky", Cmdline: "leaky",
			CreateTime: "2023-11-14T22:13:21Z", FDLimit: ptr(1024), HandlesParsed: 3,
			ByType: map[string]int64{"device": 1, "pipe": 2}, UnnamedByType: map[string]int64{}, Source: "/100",
		},
		wantDs: []string{"info process-vanished: pid 100 (leaky app) exited while its descriptors were read (gone): 3 read, handle count unknown"},
	}, {
		name:  "becomes a zombie while its descriptors are read",
		fault: fault{changeAt: "fd/3", change: zombie},
		want: &proc{
			PID: 100, PPID: 1, Image: "leaky", Path: "/usr/bin/leaky", Cmdline: "leaky",
			CreateTime: "2023-11-14T22:13:21Z", FDLimit: ptr(1024), HandlesParsed: 3,
			ByType: map[string]int64{"device": 1, "pipe": 2}, UnnamedByType: map[string]int64{}, Source: "/100",
		},
		wantDs: []string{"info process-vanished: pid 100 (leaky app) exited while its descriptors were read (a zombie now): 3 read, handle count unknown"},
	}, {
		name:  "its pid is reused while its descriptors are read",
		fault: fault{changeAt: "fd/3", change: reused},
		want: &proc{
			PID: 100, PPID: 1, Image: "leaky", Path: "/usr/bin/leaky", Cmdline: "leaky",
			CreateTime: "2023-11-14T22:13:21Z", FDLimit: ptr(1024), HandlesParsed: 4,
			ByType: map[string]int64{"device": 1, "pipe": 2, "eventfd": 1}, UnnamedByType: map[string]int64{"eventfd": 1}, Source: "/100",
		},
		wantDs: []string{"info process-vanished: pid 100 (leaky app) exited while its descriptors were read " +
			"(its pid now belongs to a process started later): 4 read, handle count unknown"},
	}, {
		name:  "a descriptor closed while listed",
		edit:  func(p *fakeProcess) {},
		fault: fault{errs: map[string]error{"fd/3": syscall.ENOENT}},
		want: &proc{
			PID: 100, PPID: 1, Image: "leaky", Path: "/usr/bin/leaky", Cmdline: "leaky",
			CreateTime: "2023-11-14T22:13:21Z", FDLimit: ptr(1024), HandleCount: ptr(4), HandlesParsed: 4,
			ByType: map[string]int64{"device": 1, "pipe": 2, "eventfd": 1}, UnnamedByType: map[string]int64{"eventfd": 1}, Source: "/100",
		},
	}, {
		name: "no executable link",
		edit: func(p *fakeProcess) { p.exe = "" },
		want: &proc{
			PID: 100, PPID: 1, Image: "leaky app", Cmdline: "leaky",
			CreateTime: "2023-11-14T22:13:21Z", FDLimit: ptr(1024), HandleCount: ptr(5), HandlesParsed: 5,
			ByType: map[string]int64{"device": 1, "pipe": 2, "eventfd": 2}, UnnamedByType: map[string]int64{"eventfd": 2}, Source: "/100",
		},
		wantDs: []string{"info exe-unreadable: pid 100 (leaky app): its executable link is unreadable " +
			"(readlink /proc/100/exe: no such file or directory): image from comm"},
	}, {
		name:  "another user's process",
		fault: fault{errs: map[string]error{"exe": syscall.EACCES, "fd": syscall.EACCES}},
		want: &proc{
			PID: 100, PPID: 1, Image: "leaky app", Cmdline: "leaky",
			CreateTime: "2023-11-14T22:13:21Z", FDLimit: ptr(1024),
			ByType: map[string]int64{}, UnnamedByType: map[string]int64{}, Source: "/100",
		},
		wantDs: []string{"warning access-denied: pid 100 (leaky app): permission denied reading its executable link, " +
			"its descriptors (none counted) (collect as root or as the process's user)"},
	}, {
		name:  "descriptors whose links are denied",
		fault: fault{errs: map[string]error{"fd/1": syscall.EACCES, "fd/2": syscall.EACCES}},
		want: &proc{
			PID: 100, PPID: 1, Image: "leaky", Path: "/usr/bin/leaky", Cmdline: "leaky",
			CreateTime: "2023-11-14T22:13:21Z", FDLimit: ptr(1024), HandleCount: ptr(5), HandlesParsed: 3,
			ByType: map[string]int64{"device": 1, "eventfd": 2}, UnnamedByType: map[string]int64{"eventfd": 2}, Source: "/100",
		},
		wantDs: []string{"warning access-denied: pid 100 (leaky app): permission denied reading 2 of its descriptors " +
			"(collect as root or as the process's user)"},
	}, {
		name:  "an I/O error on its limits",
		fault: fault{errs: map[string]error{"limits": syscall.EIO}},
		want: &proc{
			PID: 100, PPID: 1, Image: "leaky", Path: "/usr/bin/leaky", Cmdline: "leaky",
			CreateTime: "2023-11-14T22:13:21Z", HandleCount: ptr(5), HandlesParsed: 5,
			ByType: map[string]int64{"device": 1, "pipe": 2, "eventfd": 2}, UnnamedByType: map[string]int64{"eventfd": 2}, Source: "/100",
		},
		wantDs: []string{"warning read-error: pid 100 (leaky app): reading its limits: open /proc/100/limits: input/output error"},
	}, {
		name: "limits without Max open files",
		edit: func(p *fakeProcess) { p.limits = "-" },
		want: &proc{
			PID: 100, PPID: 1, Image: "leaky", Path: "/usr/bin/leaky", Cmdline: "leaky",
			CreateTime: "2023-11-14T22:13:21Z", HandleCount: ptr(5), HandlesParsed: 5,
			ByType: map[string]int64{"device": 1, "pipe": 2, "eventfd": 2}, UnnamedByType: map[string]int64{"eventfd": 2}, Source: "/100",
		},
		wantDs: []string{`warning malformed: pid 100 (leaky app): no "Max open files" in /proc/100/limits`},
	}, {
		name:   "malformed stat",
		edit:   func(p *fakeProcess) { p.rawStat = "100 (leaky app) S 1 100\n" },
		wantDs: []string{"warning malformed: pid 100: /proc/100/stat is malformed (3 fields after (comm), want at least 20): not collected"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeProc(t)
			p := base()
			if tc.edit != nil {
				tc.edit(&p)
			}
			f.add(p)
			f.add(bystander)
			dir := filepath.Join(f.root, "100")
			fs := &faultSys{sys: osSys{}, errs: map[string]error{}}
			for name, err := range tc.fault.errs {
				fs.errs[filepath.Join(dir, filepath.FromSlash(name))] = err
			}
			if tc.fault.vanishAt != "" {
				at := filepath.Join(dir, filepath.FromSlash(tc.fault.vanishAt))
				fs.before = func(name string) {
					if name == at {
						if err := os.RemoveAll(dir); err != nil {
							t.Error(err)
						}
					}
				}
			}
			if tc.fault.changeAt != "" {
				at := filepath.Join(dir, filepath.FromSlash(tc.fault.changeAt))
				changed := false
				fs.before = func(name string) {
					if name == at && !changed {
						changed = true
						tc.fault.change(t, dir)
					}
				}
			}
			snap, err := collect(fs, Options{Root: f.root, Now: fakeNow})
			if err != nil {
				t.Fatal(err)
			}
			var got *proc
			for _, sp := range snap.Processes {
				if sp.PID == 100 {
					g := procOf(sp, f.root)
					got = &g
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("pid 100: diff (-want +got):\n%s", diff)
			}
			if n := len(snap.Processes); n != 1+btoi(tc.want != nil) || snap.Processes[0].PID != 7 {
				t.Errorf("%d processes, want pid 7 in any case", n)
			}
			if diff := cmp.Diff(tc.wantDs, diagsOf(snap, f.root)); diff != "" {
				t.Errorf("diagnostics: diff (-want +got):\n%s", diff)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestCollectWithoutBootTime(t *testing.T) {
	f := newFakeProc(t)
	f.write("stat", "cpu 1 2 3\n")
	f.add(fakeProcess{pid: 9, comm: "x", exe: "/bin/x", start: 5})
	snap, err := collect(osSys{}, Options{Root: f.root})
	if err != nil {
		t.Fatal(err)
	}
	if ct := snap.Processes[0].CreateTime; ct != "" {
		t.Errorf("create time %q without a boot time", ct)
	}
	want := []string{"warning missing-value: no boot time (btime) in /proc/stat: process create times are unknown"}
	if diff := cmp.Diff(want, diagsOf(snap, f.root)); diff != "" {
		t.Errorf("diagnostics: diff (-want +got):\n%s", diff)
	}
	if _, err := time.Parse(time.RFC3339Nano, snap.CapturedAt); err != nil {
		t.Errorf("captured at %q without Now: %v", snap.CapturedAt, err)
	}
}

// TestCollectJSONRoundTrip checks that a collected snapshot reads back as
// it was written.
func TestCollectJSONRoundTrip(t *testing.T) {
	f := serverTree(t)
	snap, err := collect(osSys{}, Options{Root: f.root, Now: fakeNow})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := snap.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	back, err := facts.DecodeJSON(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap, back); diff != "" {
		t.Errorf("read back: diff (-want +got):\n%s", diff)
	}
}
