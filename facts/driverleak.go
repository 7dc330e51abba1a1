package facts

import "slices"

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
	Allocations int64 `json:"allocations"`
	// Unfreed are the allocations `!verifier 3` lists as the driver's
	// still in pool, at most MemoryLimit, in its order; none when the
	// capture does not show them.
	Unfreed []UnfreedAllocation `json:"unfreed,omitempty"`
	// Listed: the leak is an entry of `!verifier 3`'s list of drivers
	// (a driver Loaded and Unloaded, its Current Pool Allocations not
	// zero), not a bugcheck the capture shows; Source is that entry.
	Listed bool     `json:"listed,omitempty"`
	Source Position `json:"source"`
}

// UnfreedAllocation is an allocation of pool a driver made and has not
// freed, as `!verifier 3` lists it.
type UnfreedAllocation struct {
	Address string `json:"address"`
	Bytes   int64  `json:"bytes"`
	Tag     string `json:"tag"`
	// Caller is the code that allocated it: its symbol where the
	// debugger names it (fabrikamflt!PreCreate+0x53), else its address.
	Caller string   `json:"caller"`
	Source Position `json:"source"`
}

// AddDriverPoolLeak records a driver's unfreed pool allocations, at most
// MemoryLimit of them.
func (b *Builder) AddDriverPoolLeak(l DriverPoolLeak) {
	m := b.memory()
	if len(m.DriverPoolLeaks) < MemoryLimit {
		l.Driver = clip(l.Driver)
		l.Unfreed = slices.Clone(l.Unfreed[:min(len(l.Unfreed), MemoryLimit)])
		for i := range l.Unfreed {
			u := &l.Unfreed[i]
			u.Address, u.Tag, u.Caller = clip(u.Address), clip(u.Tag), clip(u.Caller)
		}
		m.DriverPoolLeaks = append(m.DriverPoolLeaks, l)
	}
}

// driverLeakFacts fills in the snapshot facts of the drivers' pool leaks:
// the allocations of all of them, and the driver of the first that names
// one.
func driverLeakFacts(f *SnapshotFacts, m *Memory) {
	listed := false
	for _, l := range m.DriverPoolLeaks {
		f.DriverPoolLeakAllocations += l.Allocations
		f.DriverPoolLeakBugcheck = f.DriverPoolLeakBugcheck || (!l.Listed && l.Allocations > 0)
		if f.DriverPoolLeakDriver == "" {
			f.DriverPoolLeakDriver = l.Driver
		}
		if !listed && len(l.Unfreed) > 0 {
			listed = true
			unfreedFacts(f, l.Unfreed)
		}
	}
}

// unfreedFacts fills in the facts of the allocations a driver left: their
// bytes, and the tag that holds most of them with the code that made its
// largest.
func unfreedFacts(f *SnapshotFacts, us []UnfreedAllocation) {
	byTag := map[string]int64{}
	for _, u := range us {
		f.DriverPoolLeakListedBytes += u.Bytes
		byTag[u.Tag] += u.Bytes
	}
	for _, u := range us {
		top := f.DriverPoolLeakTopTag
		if top == "" || byTag[u.Tag] > byTag[top] || byTag[u.Tag] == byTag[top] && u.Tag < top {
			f.DriverPoolLeakTopTag = u.Tag
		}
	}
	var largest int64 = -1
	for _, u := range us {
		if u.Tag == f.DriverPoolLeakTopTag && u.Bytes > largest {
			largest, f.DriverPoolLeakTopCaller = u.Bytes, u.Caller
		}
	}
}
