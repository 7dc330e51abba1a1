package mdwrite

// Bytes lays the dump out and returns it: the 32-byte header, the
// directory, the streams (each 4-aligned) in a fixed order — SystemInfo,
// MiscInfo, ThreadList, ThreadNames, ModuleList, HandleData,
// HandleOperationList, MemoryList, then those given to AddStream — and
// after them the strings, object information, CodeView records and memory
// they point to. Layout then says where each stream went.
func (b *Builder) Bytes() []byte {
	type pending struct {
		typ  uint32
		size int
		fill func(f *file, at uint32)
	}
	var ps []pending
	add := func(typ uint32, size int, fill func(f *file, at uint32)) {
		ps = append(ps, pending{typ, size, fill})
	}
	if b.sys != nil {
		add(7, 56, b.fillSystemInfo)
	}
	if b.misc != nil {
		add(15, len(b.misc), func(f *file, at uint32) { copy(f.b[at:], b.misc) })
	}
	if len(b.threads) > 0 {
		add(3, listHead(b.PaddedThreadList)+48*len(b.threads), b.fillThreads)
	}
	if len(b.names) > 0 {
		add(24, 4+12*len(b.names), b.fillThreadNames)
	}
	if len(b.modules) > 0 {
		add(4, listHead(b.PaddedModuleList)+108*len(b.modules), b.fillModules)
	}
	if len(b.handles) > 0 {
		add(12, 16+b.descSize()*len(b.handles), b.fillHandles)
	}
	if len(b.ops) > 0 {
		add(18, 16+b.opSize()*len(b.ops), b.fillOps)
	}
	if len(b.memory) > 0 {
		add(5, 4+16*len(b.memory), b.fillMemory)
	}
	for _, e := range b.extra {
		data := e.data
		add(e.typ, len(data), func(f *file, at uint32) { copy(f.b[at:], data) })
	}

	f := &file{}
	f.grow(32)
	slots := len(ps) + b.UnusedSlots
	dir := f.grow(12 * slots)
	ver := b.Version
	if ver == 0 {
		ver = 0xA793
	}
	copy(f.b[0:4], "MDMP")
	f.put32(4, ver)
	f.put32(8, uint32(slots))
	f.put32(12, dir)
	f.put32(20, b.time)
	f.put64(24, b.Flags)

	b.layout = Layout{}
	at := make([]uint32, len(ps))
	for i, p := range ps {
		f.align4()
		at[i] = f.grow(p.size)
		e := dir + uint32(12*i)
		f.put32(e, p.typ)
		f.put32(e+4, uint32(p.size))
		f.put32(e+8, at[i])
		b.layout.Streams = append(b.layout.Streams, Location{Type: p.typ, Rva: at[i], Size: uint32(p.size)})
	}
	for i, p := range ps {
		p.fill(f, at[i])
	}
	return f.b
}

func listHead(padded bool) int {
	if padded {
		return 8
	}
	return 4
}

func (b *Builder) descSize() int {
	if b.DescriptorSize == 0 {
		return 32
	}
	return b.DescriptorSize
}

func (b *Builder) opSize() int {
	if b.OpEntrySize == 0 {
		return 288
	}
	return b.OpEntrySize
}

func (b *Builder) fillSystemInfo(f *file, at uint32) {
	s := b.sys
	f.put16(at+0, s.Arch)
	f.put16(at+2, s.Level)
	f.put16(at+4, s.Revision)
	f.b[at+6] = s.Processors
	f.b[at+7] = s.ProductType
	f.put32(at+8, s.Major)
	f.put32(at+12, s.Minor)
	f.put32(at+16, s.Build)
	f.put32(at+20, s.Platform)
	if s.CSDVersion != "" {
		f.put32(at+24, f.str(s.CSDVersion))
	}
	f.put16(at+28, s.SuiteMask)
}

func (b *Builder) fillThreads(f *file, at uint32) {
	f.put32(at, uint32(len(b.threads)))
	e := at + uint32(listHead(b.PaddedThreadList))
	for i, id := range b.threads {
		f.put32(e+uint32(48*i), id)
	}
}

func (b *Builder) fillThreadNames(f *file, at uint32) {
	f.put32(at, uint32(len(b.names)))
	for i, n := range b.names {
		e := at + 4 + uint32(12*i)
		f.put32(e, n.id)
		f.put64(e+4, uint64(f.str(n.name)))
	}
}

func (b *Builder) fillModules(f *file, at uint32) {
	f.put32(at, uint32(len(b.modules)))
	base := at + uint32(listHead(b.PaddedModuleList))
	for i, m := range b.modules {
		e := base + uint32(108*i)
		f.put64(e, m.base)
		f.put32(e+8, m.size)
		f.put32(e+16, m.ts)
		f.put32(e+20, f.str(m.name))
		if m.hasVersionSig {
			vi := e + 24
			f.put32(vi, 0xFEEF04BD)
			f.put32(vi+4, 0x00010000)
			f.put32(vi+8, uint32(m.version[0])<<16|uint32(m.version[1]))
			f.put32(vi+12, uint32(m.version[2])<<16|uint32(m.version[3]))
		}
		// A CodeView record, which the reader does not read: it stays
		// in the "other" bytes of Accounting.
		f.align4()
		cv := f.grow(24 + len(m.name) + 1)
		copy(f.b[cv:], "RSDS")
		copy(f.b[cv+24:], m.name)
		f.put32(e+76, uint32(24+len(m.name)+1))
		f.put32(e+80, cv)
	}
}

func (b *Builder) fillHandles(f *file, at uint32) {
	size := b.descSize()
	f.put32(at, 16)
	f.put32(at+4, uint32(size))
	f.put32(at+8, uint32(len(b.handles)))
	shared := map[string]uint32{}
	str := func(s string, share bool) uint32 {
		if s == "" && !b.EmptyStrings {
			return 0
		}
		if share {
			if rva, ok := shared[s]; ok {
				return rva
			}
		}
		rva := f.str(s)
		if share {
			shared[s] = rva
		}
		return rva
	}
	for i, h := range b.handles {
		e := at + 16 + uint32(size*i)
		// Field by field, cut at the descriptor size for odd sizes.
		fields := []struct {
			off, n uint32
			v      uint64
		}{
			{0, 8, h.value},
			{8, 4, uint64(str(h.typ, b.SharedTypeStrings))},
			{12, 4, uint64(str(h.name, false))},
			{16, 4, uint64(h.attrs)},
			{20, 4, uint64(h.access)},
			{24, 4, uint64(h.hcount)},
			{28, 4, uint64(h.pcount)},
		}
		if size >= 40 {
			fields = append(fields, struct {
				off, n uint32
				v      uint64
			}{32, 4, uint64(b.objectInfo(f, h.info))})
		}
		for _, fl := range fields {
			if int(fl.off+fl.n) > size {
				continue
			}
			if fl.n == 8 {
				f.put64(e+fl.off, fl.v)
			} else {
				f.put32(e+fl.off, uint32(fl.v))
			}
		}
	}
}

// objectInfo writes a chain of MINIDUMP_HANDLE_OBJECT_INFORMATION nodes
// (SizeOfInfo counting the data only, as Microsoft documents it) and
// returns the first node's RVA, 0 for none.
func (b *Builder) objectInfo(f *file, info []ObjectInfo) uint32 {
	var first, prev uint32
	for _, in := range info {
		f.align4()
		n := f.grow(12 + len(in.Data))
		f.put32(n+4, in.Type)
		f.put32(n+8, uint32(len(in.Data)))
		copy(f.b[n+12:], in.Data)
		if prev == 0 {
			first = n
		} else {
			f.put32(prev, n)
		}
		prev = n
	}
	return first
}

func (b *Builder) fillOps(f *file, at uint32) {
	size := b.opSize()
	f.put32(at, 16)
	f.put32(at+4, uint32(size))
	f.put32(at+8, uint32(len(b.ops)))
	for i, o := range b.ops {
		e := make([]byte, 288)
		le := &file{b: e}
		le.put64(0, o.handle)
		le.put32(8, o.pid)
		le.put32(12, o.tid)
		le.put32(16, o.kind)
		le.put32(24, uint32(len(o.stack)))
		for k, a := range o.stack {
			if k == 32 {
				break
			}
			le.put64(32+uint32(8*k), a)
		}
		copy(f.b[at+16+uint32(size*i):at+16+uint32(size*(i+1))], e)
	}
}

func (b *Builder) fillMemory(f *file, at uint32) {
	f.put32(at, uint32(len(b.memory)))
	for i, m := range b.memory {
		e := at + 4 + uint32(16*i)
		f.align4()
		rva := f.grow(len(m.data))
		copy(f.b[rva:], m.data)
		f.put64(e, m.base)
		f.put32(e+8, uint32(len(m.data)))
		f.put32(e+12, rva)
	}
}
