package facts

// FileTable is what a Linux capture says of the kernel's table of open
// files, the one every process's descriptors share: /proc/sys/fs/file-nr
// (`cat /proc/sys/fs/file-nr` or `sysctl fs.file-nr`: the file handles
// allocated, those free among them, and the most there may be),
// fs.file-max alone, and the kernel's "VFS: file-max limit N reached"
// (dmesg, the journal), its own word that the table was full and an
// open failed with ENFILE. A descriptor leak that outgrows its
// process's limit (raised by a unit file to a million) ends there, and
// then every process on the machine fails to open files.
type FileTable struct {
	// Allocated and Max are file-nr's first and third figures (Max also
	// file-max's), -1 when not shown. The latest shown wins. A maximum
	// past 2^40 (2^63-1, as kernels since 5.x that set no limit print it)
	// is kept as 2^40: no machine's table reaches either.
	Allocated int64 `json:"allocated"`
	Max       int64 `json:"max"`
	// LimitReached counts the kernel's "file-max limit reached" messages
	// read; LimitReachedMax is the limit the first one names.
	LimitReached    int64 `json:"limit_reached,omitempty"`
	LimitReachedMax int64 `json:"limit_reached_max,omitempty"`
	// Source is where the capture first shows the table.
	Source Position `json:"source"`
}

// FileTableUnlimited is the maximum a file table without one (2^63-1)
// is kept as: no machine's table reaches it.
const FileTableUnlimited = countLimit

// fileTable returns the snapshot's file table, made at pos on first use.
func (b *Builder) fileTable(pos Position) *FileTable {
	m := b.memory()
	if m.FileTable == nil {
		m.FileTable = &FileTable{Allocated: -1, Max: -1, Source: pos}
	}
	return m.FileTable
}

// ReportFileNr records /proc/sys/fs/file-nr's figures at pos: the file
// handles allocated and the most there may be (its first and third).
// Figures out of range (negative, allocated past countLimit, a maximum
// of 0) are not recorded.
func (b *Builder) ReportFileNr(allocated, max int64, pos Position) {
	if allocated < 0 || allocated > countLimit || max <= 0 {
		return
	}
	t := b.fileTable(pos)
	t.Allocated, t.Max = allocated, min(max, countLimit)
}

// ReportFileMax records fs.file-max alone at pos, where no file-nr was
// read: file-nr's maximum is the one its allocated figure was read
// against, and a file-max after it is often a setting (sysctl -w, a
// sysctl.conf) rather than the table's.
func (b *Builder) ReportFileMax(max int64, pos Position) {
	if max <= 0 {
		return
	}
	if t := b.fileTable(pos); t.Allocated < 0 {
		t.Max = min(max, countLimit)
	}
}

// ReportFileMaxReached records one "VFS: file-max limit N reached" of the
// kernel at pos.
func (b *Builder) ReportFileMaxReached(limit int64, pos Position) {
	t := b.fileTable(pos)
	if t.LimitReached++; t.LimitReached == 1 && limit > 0 {
		t.LimitReachedMax = limit
	}
}

// fileTableFacts fills in the snapshot facts of the file table (-1 for
// its figures, as memoryFacts sets them, when the capture does not show
// it).
func fileTableFacts(f *SnapshotFacts, m *Memory) {
	t := m.FileTable
	if t == nil {
		return
	}
	f.FileTableAllocated, f.FileTableMax = t.Allocated, t.Max
	if t.Allocated >= 0 && t.Max > 0 {
		f.FileTableUsedShare = min(float64(t.Allocated)/float64(t.Max), 1)
	}
	f.FileMaxReachedMessages = t.LimitReached
	f.FileMaxReachedLimit = t.LimitReachedMax
}
