package procfs

import (
	"math"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdlink"
	"github.com/leakdiag/leakdiag/facts"
)

// The kernel adds " (deleted)" to the link of a descriptor whose file was
// deleted since it was opened. The file's space is freed only when its
// last descriptor is closed, so a process that forgets temporary files
// fills a disk nobody sees filled. As the lsof reader of package
// dumpreader counts them: regular files only (a terminal gone or a
// deleted directory holds no data), and no memfd, which the kernel shows
// as deleted from its birth. A stat of /proc/PID/fd/N still reaches the
// file: its size, and its device and inode, by which each file's size is
// added once however many descriptors the process holds to it.

// deleted counts h, a descriptor of the process read from fdPath, when
// it is open to a deleted regular file, and adds the file's size once.
func (p *procScan) deleted(h *facts.Handle, fdPath string) {
	if !fdlink.IsDeleted(h.Type, h.Name) {
		return
	}
	P := p.pb.P
	P.DeletedFDs++
	key := "name:" + h.Name
	fi, err := p.c.sys.stat(fdPath)
	if err == nil {
		if id, ok := fileID(fi); ok {
			key = id
		}
	}
	if p.deletedSeen[key] {
		return
	}
	if p.deletedSeen == nil {
		p.deletedSeen = map[string]bool{}
	}
	p.deletedSeen[key] = true
	if err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
		P.DeletedBytes = min(P.DeletedBytes, math.MaxInt64-fi.Size()) + fi.Size()
	}
}
