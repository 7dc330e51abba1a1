package procfs

import (
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests build fake procfs trees in t.TempDir(): regular files for
// stat, limits, cmdline, fdinfo and the socket tables, and symbolic links
// for exe, ns/net and the descriptors, whose targets need not exist.

const (
	fakeBtime   = 1700000000 // 2023-11-14T22:13:20Z
	fakeNetNS   = "net:[4026531840]"
	fakeRelease = "6.1.0-fake"
)

// fakeNow is the capture time the tests give Collect.
func fakeNow() time.Time { return time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC) }

type fakeProc struct {
	t    *testing.T
	root string
}

// newFakeProc returns an empty tree with /proc/stat and the kernel's
// hostname and release.
func newFakeProc(t *testing.T) *fakeProc {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake procfs trees need symbolic links")
	}
	f := &fakeProc{t: t, root: t.TempDir()}
	f.write("stat", "cpu  1 2 3 4 5 6 7 0 0 0\nintr 12345\nctxt 999\nbtime "+strconv.Itoa(fakeBtime)+"\nprocesses 42\n")
	f.write("sys/kernel/hostname", "fakehost\n")
	f.write("sys/kernel/osrelease", fakeRelease+"\n")
	return f
}

func (f *fakeProc) write(name, content string) {
	f.t.Helper()
	p := filepath.Join(f.root, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fakeProc) link(name, target string) {
	f.t.Helper()
	p := filepath.Join(f.root, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		f.t.Fatal(err)
	}
}

// fakeProcess is one process of a fake tree.
type fakeProcess struct {
	pid, ppid uint64
	comm      string
	state     byte   // 'S' when zero
	flags     uint64 // of stat (PF_KTHREAD)
	start     uint64 // clock ticks after boot
	exe       string // no link when empty
	cmdline   []string
	// limits is the soft "Max open files"; "1024" when empty, no line
	// when "-".
	limits string
	netns  string // fakeNetNS when empty, no link when "-"
	fds    []fakeFD
	// net holds the socket tables by file name (tcp, unix...); tables
	// not given are written empty (a header only).
	net map[string]string
	// noFDDir leaves fd/ out.
	noFDDir bool
	// rawStat, when set, is the stat file as is.
	rawStat string
}

// fakeFD is a descriptor: its link and the octal "flags:" of its fdinfo
// (no fdinfo when empty).
type fakeFD struct {
	fd    int
	link  string
	flags string
}

func (f *fakeProc) add(p fakeProcess) {
	f.t.Helper()
	dir := strconv.FormatUint(p.pid, 10)
	state := p.state
	if state == 0 {
		state = 'S'
	}
	stat := p.rawStat
	if stat == "" {
		stat = fmt.Sprintf("%d (%s) %c %d %d %d 0 -1 %d 0 0 0 0 0 0 0 0 20 0 1 0 %d 1000 100\n",
			p.pid, p.comm, state, p.ppid, p.pid, p.pid, p.flags, p.start)
	}
	f.write(dir+"/stat", stat)
	f.write(dir+"/cmdline", strings.Join(p.cmdline, "\x00")+terminator(p.cmdline))
	limit := p.limits
	if limit == "" {
		limit = "1024"
	}
	limits := "Limit                     Soft Limit           Hard Limit           Units     \n" +
		"Max cpu time              unlimited            unlimited            seconds   \n"
	if limit != "-" {
		limits += fmt.Sprintf("Max open files            %-20s 524288               files     \n", limit)
	}
	f.write(dir+"/limits", limits)
	if p.exe != "" {
		f.link(dir+"/exe", p.exe)
	}
	switch p.netns {
	case "":
		f.link(dir+"/ns/net", fakeNetNS)
	case "-":
	default:
		f.link(dir+"/ns/net", p.netns)
	}
	for _, nt := range netTables {
		content, ok := p.net[nt.file]
		if !ok {
			content = tableHeader(nt.file)
		}
		f.write(dir+"/net/"+nt.file, content)
	}
	if !p.noFDDir {
		if err := os.MkdirAll(filepath.Join(f.root, dir, "fd"), 0o755); err != nil {
			f.t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(f.root, dir, "fdinfo"), 0o755); err != nil {
			f.t.Fatal(err)
		}
	}
	for _, fd := range p.fds {
		f.link(fmt.Sprintf("%s/fd/%d", dir, fd.fd), fd.link)
		if fd.flags != "" {
			f.write(fmt.Sprintf("%s/fdinfo/%d", dir, fd.fd), "pos:\t0\nflags:\t"+fd.flags+"\nmnt_id:\t25\nino:\t1234\n")
		}
	}
}

func terminator(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return "\x00"
}

// tableHeader is the first line of each socket table.
func tableHeader(file string) string {
	switch file {
	case "tcp", "udp", "raw":
		return "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	case "tcp6", "udp6", "raw6":
		return "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	case "unix":
		return "Num       RefCount Protocol Flags    Type St Inode Path\n"
	case "netlink":
		return "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
	case "packet":
		return "sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n"
	}
	panic("no table " + file)
}

// kernelAddr writes an address and port as /proc/net/tcp does: the
// address's 32-bit words in host order, then the port.
func kernelAddr(ap string) string {
	a := netip.MustParseAddrPort(ap)
	b := a.Addr().AsSlice()
	var s strings.Builder
	for i := 0; i < len(b); i += 4 {
		fmt.Fprintf(&s, "%08X", binary.NativeEndian.Uint32(b[i:]))
	}
	fmt.Fprintf(&s, ":%04X", a.Port())
	return s.String()
}

// inetLine is a line of /proc/net/{tcp,udp}[6].
func inetLine(sl int, local, remote string, st int, inode uint64) string {
	return fmt.Sprintf("%4d: %s %s %02X 00000000:00000000 00:00000000 00000000  1000        0 %d 1 0000000000000000 20 4 30 10 -1\n",
		sl, kernelAddr(local), kernelAddr(remote), st, inode)
}

// unixLine is a line of /proc/net/unix.
func unixLine(inode uint64, path string) string {
	l := fmt.Sprintf("0000000000000000: 00000002 00000000 00010000 0001 01 %d", inode)
	if path != "" {
		l += " " + path
	}
	return l + "\n"
}

// faultSys wraps a sys to make reads fail as on a running system: errs
// gives the error of any call on a path; before runs before each call (to
// remove a process's directory, as its exit does).
type faultSys struct {
	sys
	mu     sync.Mutex
	errs   map[string]error
	before func(name string)
	calls  map[string]int
}

func (f *faultSys) check(op, name string) error {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[name]++
	before := f.before
	f.mu.Unlock()
	if before != nil {
		before(name)
	}
	if err := f.errs[name]; err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	return nil
}

func (f *faultSys) open(name string) (io.ReadCloser, error) {
	if err := f.check("open", name); err != nil {
		return nil, err
	}
	return f.sys.open(name)
}

func (f *faultSys) readlink(name string) (string, error) {
	if err := f.check("readlink", name); err != nil {
		return "", err
	}
	return f.sys.readlink(name)
}

func (f *faultSys) stat(name string) (fs.FileInfo, error) {
	if err := f.check("stat", name); err != nil {
		return nil, err
	}
	return f.sys.stat(name)
}

func (f *faultSys) readDirNames(name string, fn func([]string) error) error {
	if err := f.check("open", name); err != nil {
		return err
	}
	return f.sys.readDirNames(name, fn)
}
