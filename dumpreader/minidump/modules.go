package minidump

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
)

const (
	moduleSize       = 108        // MINIDUMP_MODULE
	fixedFileInfoSig = 0xFEEF04BD // VS_FIXEDFILEINFO.dwSignature
)

// Module is one MINIDUMP_MODULE of ModuleListStream: an image loaded in the
// process.
type Module struct {
	// Base is the image's load address.
	Base uint64
	// Size is the image's size in memory.
	Size uint32
	// CheckSum and TimeDateStamp are the PE header's.
	CheckSum, TimeDateStamp uint32
	// Name is the image's full path; "" when damaged (a problem).
	Name string
	// FileVersion is the version resource's file version, such as
	// "10.0.19041.1"; "" when the dump has no VS_FIXEDFILEINFO for it.
	FileVersion string
	// Offset is the file offset of the MINIDUMP_MODULE.
	Offset int64
}

// Modules returns ModuleListStream's modules in file order; nil when the
// dump has none.
func (d *Dump) Modules() []Module {
	d.modulesOnce.Do(d.loadModules)
	return slices.Clone(d.modules)
}

// ModuleAt finds the module whose image holds addr and returns it with the
// offset of addr in it, for resolving a return address to module+offset.
// The module is shared: callers must not modify it.
func (d *Dump) ModuleAt(addr uint64) (mod *Module, offset uint64, ok bool) {
	d.modulesOnce.Do(d.loadModules)
	s := d.byBase
	i := sort.Search(len(s), func(i int) bool { return s[i].Base > addr }) - 1
	if i < 0 || addr-s[i].Base >= uint64(s[i].Size) {
		return nil, 0, false
	}
	return &s[i], addr - s[i].Base, true
}

func (d *Dump) loadModules() {
	p := d.newPass("", nil)
	var refs spanSet
	p.refs = &refs
	err := d.readList(p, ModuleListStream, moduleSize, func(at int64, b []byte) error {
		m := Module{
			Base:          le.Uint64(b[0:]),
			Size:          le.Uint32(b[8:]),
			CheckSum:      le.Uint32(b[12:]),
			TimeDateStamp: le.Uint32(b[16:]),
			Offset:        at,
		}
		if vi := b[24:76]; le.Uint32(vi[0:]) == fixedFileInfoSig {
			ms, ls := le.Uint32(vi[8:]), le.Uint32(vi[12:])
			m.FileVersion = fmt.Sprintf("%d.%d.%d.%d", ms>>16, ms&0xFFFF, ls>>16, ls&0xFFFF)
		}
		name, err := p.str(int64(le.Uint32(b[20:])), at+20, false, subject{"name", "module at", m.Base, false, at})
		m.Name = name
		d.modules = append(d.modules, m)
		return err
	})
	if err != nil {
		d.addProblem(0, SeverityError, "read-error", "ModuleListStream: %v", err)
	}
	d.keepRefs(&refs)
	d.byBase = slices.Clone(d.modules)
	slices.SortStableFunc(d.byBase, func(a, b Module) int { return cmp.Compare(a.Base, b.Base) })
	for i := 1; i < len(d.byBase); i++ {
		prev, m := d.byBase[i-1], d.byBase[i]
		if m.Base-prev.Base < uint64(prev.Size) {
			d.addProblem(m.Offset, SeverityWarning, "module-overlap",
				"module %q at [%#x, %#x) overlaps module %q at [%#x, %#x)",
				m.Name, m.Base, m.Base+uint64(m.Size), prev.Name, prev.Base, prev.Base+uint64(prev.Size))
		}
	}
}

// keepRefs merges the ranges a once-decoded stream read into the Dump's,
// for Accounting.
func (d *Dump) keepRefs(ss *spanSet) {
	d.mu.Lock()
	d.refs = append(d.refs, ss.spans()...)
	d.mu.Unlock()
}

// readList walks a list stream: a u32 count then count entries of size
// bytes. Some writers put 4 bytes of padding after the count (ModuleList,
// ThreadList and MemoryList in LLDB's *-padded.dmp); a stream of exactly
// 8 + count*size bytes is read that way.
func (d *Dump) readList(p *pass, t StreamType, size int64, fn func(at int64, b []byte) error) error {
	s, ok := d.Stream(t)
	if !ok {
		return nil
	}
	if s.Size < 4 {
		p.problem(s.Offset, SeverityError, "stream-too-short",
			"%s is %d bytes, too short for its 4-byte count", t, s.Size)
		return nil
	}
	var cb [4]byte
	if err := d.readFull(cb[:], s.Offset); err != nil {
		return err
	}
	n := int64(le.Uint32(cb[:]))
	start := int64(4)
	if s.Size == 8+n*size {
		start = 8
	}
	if fit := (s.Size - start) / size; n > fit {
		p.problem(s.Offset, SeverityError, "count-exceeds-stream",
			"%s claims %d entries of %d bytes but only %d fit in its %d bytes", t, n, size, fit, s.Size)
		n = fit
	}
	return d.eachEntry(s.Offset+start, size, int(n), int(size), func(_ int, at int64, b []byte) error {
		return fn(at, b)
	})
}
