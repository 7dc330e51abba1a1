package procfs

import (
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdlink"
	"github.com/leakdiag/leakdiag/facts"
)

// describe says what the descriptor at fdPath, whose link is link, refers
// to; state is the TCP state of a TCP socket. The link's text gives the
// kind (package fdlink, which pasted listings read too); the collector
// looks further: a socket up in the kernel's tables, a path by a stat.
func (p *procScan) describe(fdPath, link string) (typ, name string, naming facts.Naming, state string) {
	if inode, ok := fdlink.Bracketed(link, "socket:"); ok {
		if si, found := p.socket(inode); found {
			if si.name == "" {
				// A unix socket without a path, named by its inode as
				// the lsof reader names it.
				return si.typ, "unix:[" + strconv.FormatUint(inode, 10) + "]", facts.Named, si.state
			}
			return si.typ, si.name, facts.Named, si.state
		}
	}
	if strings.HasPrefix(link, "/") {
		return p.pathType(fdPath, link), link, facts.Named, ""
	}
	typ, name, naming = fdlink.Kind(link)
	return typ, name, naming, ""
}

// pathType tells files, directories and devices apart by what the
// descriptor refers to (stat follows /proc/PID/fd/N to it, deleted or
// not), else by the path's shape as a listing would.
func (p *procScan) pathType(fdPath, link string) string {
	if fi, err := p.c.sys.stat(fdPath); err == nil {
		m := fi.Mode()
		switch {
		case m.IsDir():
			return "directory"
		case m&fs.ModeDevice != 0:
			return "device"
		case m&fs.ModeNamedPipe != 0:
			return "pipe"
		}
		return "file"
	}
	return fdlink.PathShape(link)
}

// socket looks a socket inode up in the tables of the process's network
// namespace. When they lack it, the socket may be newer than the tables:
// they are read again, at most once per process and reloadLimit times per
// namespace, so a process holding sockets of a family no table lists
// does not make the collector read every table for each process.
func (p *procScan) socket(inode uint64) (sockInfo, bool) {
	if !p.socksRead {
		p.socksRead = true
		// Tables read just now for this process need no second reading.
		p.socks, p.reloaded = p.c.socketTable(p, false)
	}
	si, ok := p.socks[inode]
	if !ok && !p.reloaded {
		p.reloaded = true
		p.socks, _ = p.c.socketTable(p, true)
		si, ok = p.socks[inode]
	}
	return si, ok
}

// reloadLimit bounds how many times the tables of one namespace are read
// again for sockets they lack.
const reloadLimit = 16

// netNS is what the collector holds of one network namespace.
type netNS struct {
	socks   sockTable
	reloads int
}

// socketTable returns the socket tables of p's network namespace: from the
// cache unless reload, and then only while the namespace's reloads last.
// Tables that could not all be read are not cached. fresh says the tables
// were read now.
func (c *collector) socketTable(p *procScan, reload bool) (t sockTable, fresh bool) {
	key, err := c.sys.readlink(p.path(filepath.Join("ns", "net")))
	if err != nil {
		key = "" // shared with no other process
	}
	ns := c.nets[key]
	if ns != nil && key != "" {
		if !reload || ns.reloads >= reloadLimit {
			return ns.socks, false
		}
		ns.reloads++
	}
	t = sockTable{}
	complete := true
	for _, nt := range netTables {
		name := p.path(filepath.Join("net", nt.file))
		f, err := c.sys.open(name)
		if err != nil {
			// A kernel without IPv6 has no tcp6: only a gone process
			// makes a missing table a loss.
			if !gone(err) || !p.alive() {
				complete = false
			}
			if denied(err) {
				p.deniedParts = append(p.deniedParts, "its net/"+nt.file)
			}
			continue
		}
		var bad badLines
		switch nt.typ {
		case "UNIX":
			bad, err = parseUnixTable(f, t)
		case "netlink":
			bad, err = parseNetlinkTable(f, t)
		case "socket":
			bad, err = parseFamilyTable(f, nt.file, t)
		default:
			bad, err = parseInetTable(f, nt.typ, t)
		}
		f.Close()
		if err != nil {
			complete = false
			if !gone(err) {
				c.diag(facts.SevWarning, CodeReadError, "%s: reading %s: %v", p.label, name, err)
			}
		}
		if bad.n > 0 {
			c.diag(facts.SevWarning, CodeMalformed, "%s: %d lines of %s not understood, the first: %q", p.label, bad.n, name, bad.first)
		}
	}
	if complete && key != "" {
		if ns == nil {
			ns = &netNS{}
			c.nets[key] = ns
		}
		ns.socks = t
	}
	return t, true
}
