package procfs

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// clockTicks is the unit of the times in /proc/PID/stat: USER_HZ, which
// the kernel fixes at 100 for user space on every architecture Linux
// still supports, whatever its internal HZ (sysconf(_SC_CLK_TCK) returns
// it, but reading it needs cgo or the auxiliary vector, for a constant).
const clockTicks = 100

// pfKthread is PF_KTHREAD in the flags field of /proc/PID/stat.
const pfKthread = 0x00200000

// procStat is what the collector takes from /proc/PID/stat.
type procStat struct {
	comm  string
	state byte
	ppid  uint64
	flags uint64
	// start is the process's start time in clock ticks after boot.
	start uint64
}

// kernelThread reports whether the process is a kernel thread, which has
// no executable, command line or descriptors.
func (s procStat) kernelThread() bool { return s.flags&pfKthread != 0 }

// zombie reports whether the process has exited and waits for its parent:
// it has no executable link and no descriptors left.
func (s procStat) zombie() bool { return s.state == 'Z' }

// parseStat reads /proc/PID/stat: "pid (comm) state ppid ... starttime
// ...". comm may hold spaces and parentheses, so the fields are counted
// from the last ')'.
func parseStat(b []byte) (procStat, error) {
	var s procStat
	open := bytes.IndexByte(b, '(')
	end := bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return s, fmt.Errorf("no (comm) in %q", clip(b))
	}
	s.comm = string(b[open+1 : end])
	// Fields 3 (state) on; starttime is field 22, so index 19 here.
	f := strings.Fields(string(b[end+1:]))
	if len(f) < 20 || len(f[0]) != 1 {
		return s, fmt.Errorf("%d fields after (comm), want at least 20", len(f))
	}
	s.state = f[0][0]
	var err error
	num := func(i int) uint64 {
		v, e := strconv.ParseUint(f[i], 10, 64)
		if e != nil && err == nil {
			err = fmt.Errorf("field %d: %q is not a number", i+3, f[i])
		}
		return v
	}
	s.ppid, s.flags, s.start = num(1), num(6), num(19)
	return s, err
}

// createTime is the process's start as RFC 3339 UTC, to the clock tick.
func createTime(btime int64, start uint64) string {
	t := time.Unix(btime, 0).Add(time.Duration(start) * (time.Second / clockTicks))
	return t.UTC().Format(time.RFC3339Nano)
}

// parseBtime finds "btime N", the boot time in seconds since the epoch,
// in /proc/stat.
func parseBtime(b []byte) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "btime "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// parseFDLimit finds the soft "Max open files" in /proc/PID/limits:
//
//	Limit                     Soft Limit           Hard Limit           Units
//	Max open files            1024                 524288               files
//
// ok is false when the line is missing or malformed; limit is nil when the
// soft limit is "unlimited".
func parseFDLimit(b []byte) (limit *int64, ok bool) {
	for line := range strings.Lines(string(b)) {
		rest, found := strings.CutPrefix(line, "Max open files")
		if !found {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return nil, false
		}
		if f[0] == "unlimited" {
			return nil, true
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return nil, false
		}
		return &n, true
	}
	return nil, false
}

// cmdlineLimit bounds the command line kept: arguments can run to
// megabytes, and a snapshot has one per process.
const cmdlineLimit = 4096

// parseCmdline turns /proc/PID/cmdline's NUL-separated arguments into one
// line.
func parseCmdline(b []byte, truncated bool) string {
	b = bytes.TrimRight(b, "\x00")
	s := strings.ReplaceAll(string(b), "\x00", " ")
	if truncated {
		s += " ..."
	}
	return s
}

// exeImage is the image name of an executable path: its base name, without
// the " (deleted)" the kernel adds once the file is replaced or removed,
// so a process keeps its image across an upgrade of its binary. A
// program run from a memfd (runc's cloned binary, sealed executables)
// has a path such as "/memfd:runc_cloned:/proc/self/exe (deleted)" with
// no file name in it: comm names it better.
func exeImage(path, comm string) string {
	path = strings.TrimSuffix(path, " (deleted)")
	if strings.HasPrefix(path, "/memfd:") {
		return comm
	}
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		path = path[i+1:]
	}
	return path
}

// oCloexec is O_CLOEXEC as the "flags:" line of /proc/PID/fdinfo/N
// prints it (octal).
const oCloexec = 02000000

// parseFDFlags finds the "flags:" line of /proc/PID/fdinfo/N.
func parseFDFlags(b []byte) (uint64, bool) {
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "flags:"); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// clip shortens b for an error message.
func clip(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "..."
	}
	return string(b)
}
