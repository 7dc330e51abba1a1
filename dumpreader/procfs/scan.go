package procfs

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// procScan is the reading of one process.
type procScan struct {
	c   *collector
	pid uint64
	dir string
	// label names the process in messages: "pid 812 (sshd)".
	label string
	pb    *facts.ProcessBuilder
	// deniedParts lists what could not be read for lack of permission,
	// for one diagnostic at the end.
	deniedParts []string
	socks       sockTable
	// socksRead: socks was looked up; reloaded: the tables were read for
	// this process, so they are as fresh as they get.
	socksRead, reloaded bool
	// deletedSeen holds the deleted files whose size was counted.
	deletedSeen map[string]bool
}

// process reads one process into the builder. Failures become diagnostics.
func (c *collector) process(pid uint64, asked bool) {
	p := &procScan{c: c, pid: pid, dir: c.dir(pid), label: fmt.Sprintf("pid %d", pid)}
	var hdr facts.Process
	b, _, err := readSmall(c.sys, p.path("stat"), 4096)
	if err != nil {
		p.fail("its stat", err)
		p.report()
		return
	}
	st, err := parseStat(b)
	if err != nil {
		c.diag(facts.SevWarning, CodeMalformed, "%s: %s is malformed (%v): not collected", p.label, p.path("stat"), err)
		return
	}
	if st.kernelThread() && !asked {
		return
	}
	p.label = fmt.Sprintf("pid %d (%s)", pid, st.comm)
	hdr.PPID, hdr.Image = st.ppid, st.comm
	if c.hasBtime {
		hdr.CreateTime = createTime(c.btime, st.start)
	}
	if !p.header(&hdr, st) {
		p.report()
		return
	}
	p.fds(&hdr, st)
	p.report()
}

// header reads the executable, command line and limits into hdr. It
// returns false when the process has exited.
func (p *procScan) header(hdr *facts.Process, st procStat) bool {
	sys := p.c.sys
	exe, err := sys.readlink(p.path("exe"))
	switch {
	case err == nil:
		hdr.Path, hdr.Image = exe, exeImage(exe, st.comm)
	case st.kernelThread() || st.zombie():
		// Neither has an executable: comm is their name.
	case denied(err):
		p.deniedParts = append(p.deniedParts, "its executable link")
	case gone(err) && !p.alive():
		return p.fail("its executable link", err)
	default:
		p.c.diag(facts.SevInfo, CodeExeUnreadable, "%s: its executable link is unreadable (%v): image from comm", p.label, err)
	}
	b, truncated, err := readSmall(sys, p.path("cmdline"), cmdlineLimit)
	if err != nil {
		if !p.fail("its command line", err) {
			return false
		}
	} else {
		hdr.Cmdline = parseCmdline(b, truncated)
	}
	b, _, err = readSmall(sys, p.path("limits"), 16<<10)
	if err != nil {
		return p.fail("its limits", err)
	}
	limit, ok := parseFDLimit(b)
	if !ok {
		p.c.diag(facts.SevWarning, CodeMalformed, "%s: no \"Max open files\" in %s", p.label, p.path("limits"))
	}
	hdr.FDLimit = limit
	return true
}

// fds reads the process's descriptors into its ProcessBuilder, which is
// created here, once the descriptor directory is known to be there. st is
// the process's stat as read first.
func (p *procScan) fds(hdr *facts.Process, st procStat) {
	fdDir := p.path("fd")
	// read counts the descriptors read; unreadable those listed whose
	// link could not be read, though they are open.
	var read, unreadable, denials int64
	var states map[string]int64
	err := p.c.sys.readDirNames(fdDir, func(names []string) error {
		p.builder(hdr)
		// procfs lists descriptors in ascending order; sorting each batch
		// gives the same first position of each name on other file
		// systems (the tests' fake trees).
		slices.SortFunc(names, cmpNum)
		for _, name := range names {
			fd, err := strconv.ParseUint(name, 10, 64)
			if err != nil {
				continue
			}
			h, state, err := p.fd(fd, name)
			if err != nil {
				switch {
				case gone(err):
					continue // closed since the listing, or the process exited
				case denied(err):
					denials++
				default:
					p.c.diag(facts.SevWarning, CodeReadError, "%s: descriptor %s: %v", p.label, name, err)
				}
				unreadable++
				continue
			}
			p.pb.AddHandle(h)
			p.deleted(h, h.Pos.Path)
			read++
			if state != "" {
				if states == nil {
					states = map[string]int64{}
				}
				states[state]++
			}
		}
		return nil
	})
	if denials > 0 {
		p.deniedParts = append(p.deniedParts, fmt.Sprintf("%d of its descriptors", denials))
	}
	switch {
	case err == nil:
	case denied(err):
		p.builder(hdr)
		p.deniedParts = append(p.deniedParts, "its descriptors (none counted)")
		return
	case gone(err) && !p.alive():
		if p.pb == nil {
			p.fail("its descriptors", err)
			return
		}
	default:
		p.builder(hdr)
		p.c.diag(facts.SevWarning, CodeReadError, "%s: listing its descriptors: %v (%d read, handle count unknown)", p.label, err, read)
		p.pb.P.SocketStates = states
		return
	}
	p.builder(hdr)
	p.pb.P.SocketStates = states
	// A process that exits closes its descriptors, and one that exited
	// may leave its pid to another: what was read is then part of what it
	// held, or not its own. Its stat says which.
	if why := p.exitedSince(st); why != "" {
		p.c.diag(facts.SevInfo, CodeVanished, "%s exited while its descriptors were read (%s): %d read, handle count unknown", p.label, why, read)
		return
	}
	// The descriptors open: those read, and those whose link was
	// unreadable (HandlesParsed counts only the first).
	n := read + unreadable
	p.pb.P.HandleCount = &n
}

// cmpNum orders descriptor names as numbers.
func cmpNum(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// builder creates the process in the snapshot, once.
func (p *procScan) builder(hdr *facts.Process) {
	if p.pb != nil {
		return
	}
	p.pb = p.c.b.ProcessByPID(p.pid, facts.Position{Path: p.dir})
	P := p.pb.P
	P.PPID, P.Image, P.Path, P.Cmdline = hdr.PPID, hdr.Image, hdr.Path, hdr.Cmdline
	P.CreateTime, P.FDLimit = hdr.CreateTime, hdr.FDLimit
}

// fd reads descriptor fd: its link, its flags and, for a path, what the
// path is. state is the TCP state of a TCP socket.
func (p *procScan) fd(fd uint64, name string) (h *facts.Handle, state string, err error) {
	fdPath := filepath.Join(p.dir, "fd", name)
	link, err := p.c.sys.readlink(fdPath)
	if err != nil {
		return nil, "", err
	}
	h = &facts.Handle{Value: handleValue(fd), Pos: facts.Position{Path: fdPath}}
	h.Type, h.Name, h.Naming, state = p.describe(fdPath, link)
	// Read after the link: flags of a descriptor reused in between are
	// still the flags of a live descriptor.
	if b, _, err := readSmall(p.c.sys, filepath.Join(p.dir, "fdinfo", name), 256); err == nil {
		if flags, ok := parseFDFlags(b); ok && flags&oCloexec == 0 {
			h.Attributes |= facts.AttrInherit
		}
	}
	return h, state, nil
}

// handleValue is the handle value of descriptor fd: fd*4. The Builder
// counts each handle value once, and takes values as Windows makes them,
// multiples of four whose low two bits are tags; descriptors 0 to 3 as
// they are would be one handle.
func handleValue(fd uint64) uint64 { return fd << 2 }

// exitedSince says how the process has exited since its stat said st, or
// returns "" while it runs: its stat is gone, it is a zombie now, or its
// pid belongs to a process started later. A stat that cannot be read for
// another reason says nothing.
func (p *procScan) exitedSince(st procStat) string {
	b, _, err := readSmall(p.c.sys, p.path("stat"), 4096)
	if err != nil {
		if gone(err) {
			return "gone"
		}
		return ""
	}
	now, err := parseStat(b)
	switch {
	case err != nil:
		return ""
	case now.start != st.start:
		return "its pid now belongs to a process started later"
	case now.zombie() && !st.zombie():
		return "a zombie now"
	}
	return ""
}

// alive reports whether the process is still there.
func (p *procScan) alive() bool {
	_, err := p.c.sys.stat(p.dir)
	return err == nil
}

// fail reports an error reading what of the process and says whether the
// reading may go on: not when the process has exited, whose reading stops
// with a CodeVanished diagnostic.
func (p *procScan) fail(what string, err error) bool {
	switch {
	case gone(err) && !p.alive():
		p.c.diag(facts.SevInfo, CodeVanished, "%s exited before it was read (%s: %v): not collected", p.label, what, err)
		return false
	case denied(err):
		p.deniedParts = append(p.deniedParts, what)
		return true
	}
	p.c.diag(facts.SevWarning, CodeReadError, "%s: reading %s: %v", p.label, what, err)
	return true
}

// report records one diagnostic for everything that was denied.
func (p *procScan) report() {
	if len(p.deniedParts) == 0 {
		return
	}
	parts := p.deniedParts
	if len(parts) > 4 {
		parts = append(parts[:3:3], fmt.Sprintf("%d more", len(p.deniedParts)-3))
	}
	p.c.diag(facts.SevWarning, CodeDenied, "%s: permission denied reading %s (collect as root or as the process's user)",
		p.label, strings.Join(parts, ", "))
}

func (p *procScan) path(name string) string { return filepath.Join(p.dir, name) }
