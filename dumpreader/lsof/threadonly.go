package lsof

import "github.com/leakdiag/leakdiag/dumpreader/internal/scan"

// Processes shown only through their threads. lsof lists a process's
// descriptors in rows of its own, then again for each thread (a TID
// column, and TASKCMD in newer versions): the threads share the
// process's descriptor table. A paste can lose the process's own rows
// (a grep that matched the threads' only, a paste that starts in the
// middle of the listing), leaving threads' rows alone. Those still tell
// the process's descriptors: each is read once, from the first thread
// row that lists it, and the rows that repeat it are thread rows as
// before.

// threadOnlyLimit bounds the descriptors one process is read with from
// its threads' rows, as the map that remembers them grows with them.
const threadOnlyLimit = 1 << 20

// threadOnly reports whether row, a thread's row, is the first to show
// a descriptor of a process the capture shows no row of its own for,
// and notes the descriptor as shown.
func (r *lsofReader) threadOnly(row *lsofRow) bool {
	p := r.procs[row.pid]
	if p != nil && p.own {
		return false
	}
	if p == nil {
		p = r.proc(row.pid, row.cmd)
	}
	if p.threadFDs == nil {
		p.threadFDs = map[string]bool{}
		r.threadOnlyProcs++
		if r.threadOnlyLine == 0 {
			r.threadOnlyLine = r.lineNo
		}
	}
	fd := string(scan.TrimSpace(row.file.fd))
	if p.threadFDs[fd] || len(p.threadFDs) >= threadOnlyLimit {
		return false
	}
	p.threadFDs[fd] = true
	return true
}
