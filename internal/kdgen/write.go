package kdgen

import (
	"bytes"
	"math"
	"strconv"
)

// run writes the capture.
func (g *gen) run() {
	g.buf = append(g.buf, "0: kd> !process 0 0\n**** NT ACTIVE PROCESS DUMP ****\n"...)
	for _, p := range g.procs {
		g.header(p)
		g.buf = append(g.buf, '\n')
		g.maybeFlush()
	}
	for i, p := range g.procs {
		if g.err != nil {
			return
		}
		g.buf = append(g.buf, "0: kd> !handle 0 3 "...)
		g.buf = appendHex(g.buf, p.addr, 16)
		g.buf = append(g.buf, "\n\n"...)
		g.header(p)
		g.buf = append(g.buf, "\nHandle table at "...)
		g.buf = appendHex(g.buf, p.objTable, 16)
		g.buf = append(g.buf, " with "...)
		g.buf = strconv.AppendInt(g.buf, p.handles, 10)
		g.buf = append(g.buf, " entries in use\n\n"...)
		g.handles(i, p)
	}
	g.flush()
}

// header writes a process's four-line block.
func (g *gen) header(p *proc) {
	b := append(g.buf, "PROCESS "...)
	b = appendHex(b, p.addr, 16)
	b = append(b, "\n    SessionId: "...)
	if p.session == SessionNone {
		b = append(b, "none"...)
	} else {
		b = strconv.AppendInt(b, int64(p.session), 10)
	}
	b = append(b, "  Cid: "...)
	b = appendHex(b, uint64(p.pid), 4)
	b = append(b, "    Peb: "...)
	if p.peb == 0 {
		b = append(b, "00000000"...)
	} else {
		b = appendHex(b, p.peb, 1)
	}
	b = append(b, "  ParentCid: "...)
	b = appendHex(b, uint64(p.ppid), 4)
	b = append(b, "\n    DirBase: "...)
	b = appendHex(b, p.dirBase, 8)
	b = append(b, "  ObjectTable: "...)
	b = appendHex(b, p.objTable, 16)
	b = append(b, "  HandleCount: "...)
	// The debugger right-aligns the count in three columns.
	if p.handles < 100 {
		b = append(b, ' ')
	}
	if p.handles < 10 {
		b = append(b, ' ')
	}
	b = strconv.AppendInt(b, p.handles, 10)
	b = append(b, ".\n    Image: "...)
	b = append(b, p.image...)
	b = append(b, '\n')
	g.buf = b
}

// handles writes process i's handle table.
func (g *gen) handles(i int, p *proc) {
	rng := g.rng
	ps := ProcessStats{
		Address: p.addr, ObjectTable: p.objTable, PID: p.pid, PPID: p.ppid,
		Session: p.session, Image: p.image, Handles: p.handles,
	}
	byType := make([]int64, len(g.types))
	stamp := int32(i + 1)

	// Each process weighs the types its own way: a UI process holds more
	// Desktops, a server more ALPC ports and completion packets.
	g.cum = g.cum[:0]
	var total float64
	for _, t := range g.types {
		total += t.weight * math.Exp(0.5*rng.NormFloat64())
		g.cum = append(g.cum, total)
	}

	var leakLeft int64
	if p.leak != nil {
		leakLeft = p.leak.leaked
		ps.Leaked = leakLeft
	}
	var page uint64
	for h := int64(1); h <= p.handles; h++ {
		remaining := p.handles - h + 1
		isLeak := false
		// Sequential sampling spreads exactly leakLeft leaked handles over
		// the rest of the table; the first handle stays ordinary where it
		// can, as a process opens \KnownDlls before it starts leaking.
		if leakLeft > 0 && !(h == 1 && remaining > leakLeft) && rng.Int64N(remaining) < leakLeft {
			isLeak = true
			leakLeft--
		}

		// Handle table pages hold 256 entries of 16 bytes.
		if h == 1 || h%256 == 0 {
			page = g.paged + 0x1_0000_0000 + rng.Uint64N(1<<22)<<12
		}
		entry := page + uint64(h%256)*16

		var typ, name int
		var obj uint64
		hc := int64(1)
		if isLeak {
			lp := p.leak
			typ, name = lp.typ, lp.name
			if lp.shared != 0 {
				obj, hc = lp.shared, g.names[name].hc
			}
		} else if h == 1 && p.peb != 0 {
			typ, name = g.typeIdx["Directory"], g.knownDlls
		} else {
			typ, name = g.pickType(), -1
			t := g.types[typ]
			if t.named > 0 && len(t.pool) > 0 && (t.named >= 1 || rng.Float64() < t.named) {
				name = t.pool[0]
				if t.zipf != nil {
					k := int(t.zipf.Uint64())
					if rng.IntN(2) == 0 {
						// Half the draws rotate the ranking by the process's
						// address, so each process has favourites of its own
						// and the whole pool gets used.
						k = (k + int(p.addr>>6)) % len(t.pool)
					}
					name = t.pool[k]
				}
			}
		}
		t := g.types[typ]
		if obj == 0 {
			switch {
			case name >= 0 && g.names[name].obj != 0:
				obj, hc = g.names[name].obj, g.names[name].hc
			case t.name == "Process":
				obj = g.procs[rng.IntN(len(g.procs))].addr
				hc = 1 + int64(rng.IntN(8))
			default:
				obj = g.randObject(t.paged)
				if rng.IntN(10) == 0 {
					hc = 2 + int64(rng.IntN(2))
				}
			}
		}

		b := appendHex(g.buf, uint64(h*4), 4)
		b = append(b, ": Object: "...)
		b = appendHex(b, obj, 16)
		b = append(b, "  GrantedAccess: "...)
		b = appendHex(b, uint64(t.access[rng.IntN(len(t.access))]), 8)
		// Handle attributes are rare: inheritable handles for child
		// processes, protected ones set by a few services, audit almost
		// never.
		x := rng.Uint64()
		if x&0x1ff == 0 {
			b = append(b, " (Protected)"...)
		}
		if x>>9&0x3f == 0 {
			b = append(b, " (Inherit)"...)
		}
		if x>>15&0x7ff == 0 {
			b = append(b, " (Audit)"...)
		}
		b = append(b, " Entry: "...)
		b = appendHex(b, entry, 16)
		b = append(b, "\nObject: "...)
		b = appendHex(b, obj, 16)
		b = append(b, t.tail...)
		b = append(b, "    ObjectHeader: "...)
		b = appendHex(b, obj-0x30, 16)
		b = append(b, " (new version)\n        HandleCount: "...)
		b = strconv.AppendInt(b, hc, 10)
		b = append(b, "  PointerCount: "...)
		// Windows 8 and later bias each handle's reference by 32768.
		b = strconv.AppendInt(b, hc*32768+int64(x>>26&3)-1, 10)
		b = append(b, '\n')
		if isLeak && p.leak.distinct != nil {
			b = append(b, p.leak.distinct.head...)
			b = strconv.AppendInt(b, h, 10)
			b = append(b, p.leak.distinct.tail...)
			ps.Named++
			ps.DistinctNames++
			g.stats.DistinctNames++
		} else if name >= 0 {
			b = append(b, g.names[name].line...)
			ps.Named++
			if g.seenBy[name] != stamp {
				g.seenBy[name] = stamp
				ps.DistinctNames++
				if !g.everSeen[name] {
					g.everSeen[name] = true
					g.stats.DistinctNames++
				}
			}
		} else {
			ps.Unnamed++
		}
		g.buf = append(b, '\n')
		byType[typ]++
		if g.maybeFlush(); g.err != nil {
			return
		}
	}

	ps.ByType = map[string]int64{}
	for k, c := range byType {
		if c > 0 {
			ps.ByType[g.types[k].name] = c
			g.stats.ByType[g.types[k].name] += c
		}
	}
	g.stats.Processes++
	g.stats.Handles += p.handles
	g.stats.Named += ps.Named
	g.stats.Unnamed += ps.Unnamed
	g.stats.PerProcess = append(g.stats.PerProcess, ps)
}

// pickType draws the type of an ordinary handle from the current process's
// weights.
func (g *gen) pickType() int {
	x := g.rng.Float64() * g.cum[len(g.cum)-1]
	for i, c := range g.cum {
		if x < c {
			return i
		}
	}
	return len(g.cum) - 1
}

func (g *gen) maybeFlush() {
	if len(g.buf) >= flushAt {
		g.flush()
	}
}

func (g *gen) flush() {
	if g.err != nil {
		g.buf = g.buf[:0]
		return
	}
	g.stats.Bytes += int64(len(g.buf))
	g.stats.Lines += int64(bytes.Count(g.buf, []byte{'\n'}))
	_, g.err = g.bw.Write(g.buf)
	g.buf = g.buf[:0]
}

const hexDigits = "0123456789abcdef"

// appendHex appends v in lowercase hex, zero-padded to at least width
// digits, as the debugger prints addresses and handle values.
func appendHex(b []byte, v uint64, width int) []byte {
	var tmp [16]byte
	i := len(tmp)
	for v != 0 || len(tmp)-i < width {
		i--
		tmp[i] = hexDigits[v&0xf]
		v >>= 4
	}
	return append(b, tmp[i:]...)
}
