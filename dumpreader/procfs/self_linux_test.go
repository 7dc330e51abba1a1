//go:build linux

package procfs

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// TestCollectSelf collects the test process from the real /proc and finds
// the pipe, file and sockets it opened.
func TestCollectSelf(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	tmp, err := os.CreateTemp(t.TempDir(), "leak-*.dat")
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	before := time.Now()

	pid := uint64(os.Getpid())
	snap, err := Collect(Options{PIDs: []uint64{pid}})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want 1", len(snap.Processes))
	}
	p := snap.Processes[0]
	exe, _ := os.Executable()
	if p.PID != pid || p.PPID != uint64(os.Getppid()) || p.Image != filepath.Base(exe) || p.Path != exe {
		t.Errorf("pid %d ppid %d image %q path %q, want %d %d %q %q", p.PID, p.PPID, p.Image, p.Path, pid, os.Getppid(), filepath.Base(exe), exe)
	}
	if ct, ok := facts.ParseCaptureTime(p.CreateTime); !ok || ct.After(before.Add(time.Second)) || ct.Before(before.Add(-time.Hour)) {
		t.Errorf("create time %q, want shortly before %v", p.CreateTime, before)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if p.FDLimit == nil || uint64(*p.FDLimit) != lim.Cur {
		t.Errorf("fd limit %v, want %d", p.FDLimit, lim.Cur)
	}
	if p.HandleCount == nil || *p.HandleCount != p.HandlesParsed || p.HandlesParsed < 6 {
		t.Errorf("handle count %v, %d parsed, want at least 6, all of them", p.HandleCount, p.HandlesParsed)
	}
	if p.ByType["pipe"] < 2 || p.ByType["file"] < 1 {
		t.Errorf("by type %v, want 2 pipes and a file at least", p.ByType)
	}
	// Listener, client and the accepted end not yet taken: one LISTEN
	// socket and one ESTABLISHED client (the server end is in the accept
	// queue, with no descriptor).
	if p.ByType["TCP"] < 2 || p.SocketStates["LISTEN"] < 1 || p.SocketStates["ESTABLISHED"] < 1 {
		t.Errorf("by type %v, socket states %v, want a listening and an established TCP socket", p.ByType, p.SocketStates)
	}
	names := map[string]string{}
	for _, n := range p.TopNames {
		names[n.Name] = n.Type
	}
	want := map[string]string{
		tmp.Name():                       "file",
		ln.Addr().String() + " (LISTEN)": "TCP",
		conn.LocalAddr().String() + " -> " + conn.RemoteAddr().String() + " (ESTABLISHED)": "TCP",
	}
	for name, typ := range want {
		if names[name] != typ {
			t.Errorf("no %s %q among the top names %v", typ, name, p.TopNames)
		}
	}
	if snap.Host == "" || snap.OSVersion == "" || len(snap.Diagnostics) != 0 {
		t.Errorf("host %q, OS %q, diagnostics %v", snap.Host, snap.OSVersion, snap.Diagnostics)
	}
}

// TestSelfInheritable reads the flags of a descriptor dup(2) made, which
// has no O_CLOEXEC, and of one os.Open made, which has.
func TestSelfInheritable(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dup, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(dup)
	pid := uint64(os.Getpid())
	c := newCollector(osSys{}, DefaultRoot)
	p := &procScan{c: c, pid: pid, dir: c.dir(pid)}
	for _, tc := range []struct {
		fd      int
		inherit bool
	}{{int(f.Fd()), false}, {dup, true}} {
		h, _, err := p.fd(uint64(tc.fd), strconv.Itoa(tc.fd))
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Attributes&facts.AttrInherit != 0; got != tc.inherit || h.Type != "device" || h.Name != os.DevNull {
			t.Errorf("fd %d: %s %q inheritable %v, want device %q inheritable %v", tc.fd, h.Type, h.Name, got, os.DevNull, tc.inherit)
		}
	}
}

// TestCollectChildExitsMidScan collects a child process that is killed
// once its descriptors are being read, and left a zombie: the snapshot
// keeps what was read with its handle count unknown, and says the process
// vanished, instead of recording it as complete.
func TestCollectChildExitsMidScan(t *testing.T) {
	child := exec.Command("sleep", "60")
	if err := child.Start(); err != nil {
		t.Skipf("no child process to collect: %v", err)
	}
	defer child.Wait()
	defer child.Process.Kill()
	pid := uint64(child.Process.Pid)
	fdDir := filepath.Join(DefaultRoot, strconv.FormatUint(pid, 10), "fd")
	killed := false
	fs := &faultSys{sys: osSys{}, before: func(name string) {
		if killed || filepath.Dir(name) != fdDir {
			return
		}
		killed = true
		if err := child.Process.Kill(); err != nil {
			t.Error(err)
		}
		// Not waited for: it stays a zombie. Wait for the kernel to
		// make it one.
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(fdDir), "stat"))
			if st, perr := parseStat(b); err == nil && perr == nil && st.zombie() {
				return
			}
		}
		t.Error("the child did not become a zombie")
	}}
	snap, err := collect(fs, Options{PIDs: []uint64{pid}})
	if err != nil {
		t.Fatal(err)
	}
	if !killed {
		t.Fatal("the child's descriptors were not read")
	}
	if len(snap.Processes) != 1 || snap.Processes[0].HandleCount != nil {
		t.Fatalf("processes %+v, want the child with its handle count unknown", snap.Processes)
	}
	if len(snap.Diagnostics) != 1 || snap.Diagnostics[0].Code != CodeVanished || !strings.Contains(snap.Diagnostics[0].Message, "(a zombie now)") {
		t.Errorf("diagnostics %+v, want one saying the child exited (a zombie now)", snap.Diagnostics)
	}
}
