package procfs

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// Format is the Source format of a collected snapshot.
const Format = "procfs"

// DefaultRoot is where procfs is mounted.
const DefaultRoot = "/proc"

// Diagnostic codes of the collector, besides facts.CodeMissing (no boot
// time, so no create times).
const (
	// CodeVanished: a process exited while it was read. It is left out
	// when that happened before its descriptors were listed; otherwise it
	// is kept with the descriptors read, and no handle count. Its stat is
	// read again once its descriptors are: gone, a zombie since, or
	// another start time (its pid reused) all say it exited.
	CodeVanished = "process-vanished"
	// CodeDenied: reading part of a process was not permitted (another
	// user's process, without root or CAP_SYS_PTRACE); what could be read
	// is kept.
	CodeDenied = "access-denied"
	// CodeExeUnreadable: a live process's executable link could not be
	// read; its image is its comm (at most 15 characters) and it has no
	// path.
	CodeExeUnreadable = "exe-unreadable"
	// CodeReadError: a file of a live process could not be read for
	// another reason.
	CodeReadError = "read-error"
	// CodeMalformed: a file read does not have the layout the collector
	// knows (a stat without its fields, socket table lines not
	// understood).
	CodeMalformed = "malformed"
)

// Options say what to collect.
type Options struct {
	// Root is where procfs is mounted, DefaultRoot when empty: a host's
	// /proc mounted into a container is elsewhere.
	Root string
	// PIDs are the processes to collect; empty means every process but
	// kernel threads. A pid asked for that does not exist is an error.
	PIDs []uint64
	// Now gives the capture time, time.Now when nil.
	Now func() time.Time
}

// Collect reads the processes of procfs at opts.Root and their file
// descriptors into a snapshot. See the package documentation for what is
// read and how races and permissions are reported.
func Collect(opts Options) (*facts.Snapshot, error) {
	if opts.Root == "" && runtime.GOOS != "linux" {
		return nil, fmt.Errorf("procfs: %s is Linux's, and this is %s", DefaultRoot, runtime.GOOS)
	}
	return collect(osSys{}, opts)
}

// collector holds the state of one collection.
type collector struct {
	sys   sys
	root  string
	b     *facts.Builder
	log   *facts.SourceLog
	btime int64
	// hasBtime: /proc/stat gave the boot time, so create times are known.
	hasBtime bool
	// nets caches the socket tables of each network namespace, by the
	// ns/net link ("net:[4026531840]").
	nets map[string]*netNS
}

func newCollector(s sys, root string) *collector {
	return &collector{
		sys: s, root: root, b: facts.NewBuilder(), log: facts.NewSourceLog(root, Format),
		nets: map[string]*netNS{},
	}
}

func collect(s sys, opts Options) (*facts.Snapshot, error) {
	root := opts.Root
	if root == "" {
		root = DefaultRoot
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	c := newCollector(s, root)
	capturedAt := now().UTC().Format(time.RFC3339Nano)
	pids, asked, err := c.pids(opts.PIDs)
	if err != nil {
		return nil, err
	}
	c.host(capturedAt)
	if b, _, err := readSmall(s, filepath.Join(root, "stat"), 1<<20); err == nil {
		c.btime, c.hasBtime = parseBtime(b)
	}
	if !c.hasBtime {
		c.log.Diag(0, facts.SevWarning, facts.CodeMissing,
			"no boot time (btime) in %s: process create times are unknown", filepath.Join(root, "stat"))
	}
	for _, pid := range pids {
		c.process(pid, asked)
	}
	c.b.AddSource(c.log)
	return c.b.Snapshot(), nil
}

// pids returns the pids to read: those asked for, every one of which must
// exist, or every process under the root.
func (c *collector) pids(want []uint64) (pids []uint64, asked bool, err error) {
	if len(want) > 0 {
		pids = slices.Clone(want)
		slices.Sort(pids)
		pids = slices.Compact(pids)
		var missing []string
		for _, pid := range pids {
			_, err := c.sys.stat(c.dir(pid))
			switch {
			case gone(err):
				missing = append(missing, strconv.FormatUint(pid, 10))
			case err != nil:
				return nil, false, fmt.Errorf("pid %d: %w", pid, err)
			}
		}
		if len(missing) > 0 {
			return nil, false, fmt.Errorf("no process with pid %s under %s", strings.Join(missing, ", "), c.root)
		}
		return pids, true, nil
	}
	err = c.sys.readDirNames(c.root, func(names []string) error {
		for _, n := range names {
			if pid, err := strconv.ParseUint(n, 10, 64); err == nil {
				pids = append(pids, pid)
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("listing processes: %w", err)
	}
	if len(pids) == 0 {
		return nil, false, fmt.Errorf("no processes under %s: is it a procfs mount?", c.root)
	}
	slices.Sort(pids)
	return pids, false, nil
}

// host sets the machine's name and kernel release.
func (c *collector) host(capturedAt string) {
	read := func(name string) string {
		b, _, err := readSmall(c.sys, filepath.Join(c.root, "sys", "kernel", name), 4096)
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	host := read("hostname")
	if host == "" && c.root == DefaultRoot {
		host, _ = os.Hostname()
	}
	release := read("osrelease")
	if release != "" {
		release = "Linux " + release
	}
	c.b.SetHost(host, release, capturedAt)
}

func (c *collector) dir(pid uint64) string {
	return filepath.Join(c.root, strconv.FormatUint(pid, 10))
}

// diag records a diagnostic; procfs has no lines, so at line 0 of the root.
func (c *collector) diag(sev facts.Severity, code, format string, args ...any) {
	c.log.Diag(0, sev, code, format, args...)
}
