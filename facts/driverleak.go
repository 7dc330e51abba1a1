package facts

// DriverPoolLeak is a driver Driver Verifier caught unloading without
// freeing its pool allocations: bugcheck 0xC4 with parameter 1 0x60 or
// 0x62 ("A driver has forgotten to free its pool allocations prior to
// unloading"), as `!analyze -v` shows it. It is a leak by the kernel's own
// count, whatever its size: Verifier's pool tracking knew every
// allocation the driver made.
type DriverPoolLeak struct {
	// Driver is the driver's file name: the bugcheck's IMAGE_NAME, else
	// the driver `!verifier 3` was asked about; "" when neither is shown.
	Driver string `json:"driver"`
	// Allocations is parameter 4: the allocations, paged and nonpaged,
	// not freed.
	Allocations int64    `json:"allocations"`
	Source      Position `json:"source"`
}

// AddDriverPoolLeak records a driver's unfreed pool allocations, at most
// MemoryLimit of them.
func (b *Builder) AddDriverPoolLeak(l DriverPoolLeak) {
	m := b.memory()
	if len(m.DriverPoolLeaks) < MemoryLimit {
		l.Driver = clip(l.Driver)
		m.DriverPoolLeaks = append(m.DriverPoolLeaks, l)
	}
}

// driverLeakFacts fills in the snapshot facts of the drivers' pool leaks:
// the allocations of all of them, and the driver of the first that names
// one.
func driverLeakFacts(f *SnapshotFacts, m *Memory) {
	for _, l := range m.DriverPoolLeaks {
		f.DriverPoolLeakAllocations += l.Allocations
		if f.DriverPoolLeakDriver == "" {
			f.DriverPoolLeakDriver = l.Driver
		}
	}
}
