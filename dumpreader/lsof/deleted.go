package lsof

import (
	"bytes"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"math"
)

// Files deleted while a process holds them open: lsof shows them with
// " (deleted)" after the name, as /proc/PID/fd does. Their space on disk
// (or in memory, for tmpfs and memfd files) is freed only once the last
// descriptor is closed, so a process that forgets to close temporary
// files fills a disk nobody sees filled (df counts them, du does not).
//
// Only descriptors count: a program whose binary or libraries were
// upgraded in place shows "txt ... (deleted)" and "mem ... (deleted)"
// rows (DEL for maps of a deleted file) until it restarts, which is no
// leak. Nor does anything but a regular file: "/dev/pts/3 (deleted)" is
// a terminal gone, a deleted directory holds no data. Nor does a memfd
// ("/memfd:mozilla-ipc (deleted)"): memory a program made as a file
// without a name, which the kernel shows as deleted from its birth;
// browsers and JVMs hold dozens as they work.

// deletedSuffix is what lsof and the kernel add to a deleted file's name.
var deletedSuffix = []byte(" (deleted)")

// lsofDeleted is what the reader keeps of one process's deleted files:
// which were counted, by device and inode (or name), so that several
// descriptors to one file add its size once.
type lsofDeleted map[string]bool

// deleted counts f, a new descriptor of p whose kind is typ, when it is
// open to a deleted regular file, and adds the file's size once.
func (r *lsofReader) deleted(p *lsofProc, f *lsofFile, typ string) {
	if !bytes.HasSuffix(f.name, deletedSuffix) || !isDeletedKind(typ, f.name) {
		return
	}
	p.pb.P.DeletedFDs++
	key := r.buf[:0]
	if len(f.dev) > 0 && scan.AllDigits(f.node) {
		key = append(append(append(key, f.dev...), '/'), f.node...)
	} else {
		key = append(append(key, "name:"...), f.name...)
	}
	r.buf = key
	if p.deleted[string(key)] {
		return
	}
	if p.deleted == nil {
		p.deleted = lsofDeleted{}
	}
	p.deleted[string(key)] = true
	// SIZE/OFF is a size in decimal; an offset is printed 0t... or 0x...
	// (with -o, or where lsof could not tell the size), and says nothing
	// of the file's size.
	// A size made readable by numfmt (271M) counts as the bytes it
	// stands for.
	n, ok := int64(0), false
	if scan.AllDigits(f.size) {
		n, ok = scan.ParseDec(f.size)
	} else {
		n, ok = parseHumanSize(f.size)
	}
	if ok && n > 0 {
		p.pb.P.DeletedBytes = min(p.pb.P.DeletedBytes, math.MaxInt64-n) + n
	}
}

// isDeletedKind reports whether a descriptor of kind typ named name may
// hold a deleted file's data: a regular file, or a path of no known type
// (a -F field set without t), but a memfd.
func isDeletedKind(typ string, name []byte) bool {
	if scan.HasPrefix(name, "/memfd:") {
		return false
	}
	return typ == "file" || typ == "" && len(name) > 0 && name[0] == '/'
}
