package facts

import "sort"

// zombieImageLimit bounds the distinct zombie images one holder
// remembers while a capture is read; past it, zombies still count
// (ZombiesHeld, the handles to exited processes) but their images are not
// kept. Process.ZombieImages keeps the TopNamesLimit most held.
const zombieImageLimit = 4096

// zombieAgg is what a tool that counts zombies (FindZombieHandles) says
// one process holds.
type zombieAgg struct {
	// held is the total the tool states for the holder ("N zombies held
	// by"), -1 until it states one.
	held int64
	// listed adds up the zombies of the images listed under it.
	listed int64
	// procHandles and threadHandles add up the handles to the zombies and
	// to their threads the tool counts, where it counts them.
	procHandles, threadHandles int64
	counted                    bool
	images                     map[string]*zombieImage
}

// zombieImage counts the zombies of one image a holder keeps, and where
// the tool first named it.
type zombieImage struct {
	count int64
	first Position
}

// ReportZombiesHeld records the number of zombies (exited processes whose
// objects a handle keeps alive) a tool states the process holds, as
// FindZombieHandles' "N zombies held by IMAGE(PID)" does. The zombies
// themselves are not processes of the snapshot: the tool names their
// images only (HoldZombies). A later report replaces an earlier one.
func (pb *ProcessBuilder) ReportZombiesHeld(n int64) {
	pb.zombieAgg().held = n
}

// HoldZombies records zombies of one image the process holds, as a tool
// lists them under the holder: n exited processes of image, kept alive
// through procHandles handles to them and threadHandles to their threads
// (counted is false when the tool does not split them: the handles are
// then taken as n process handles). pos is the line that says so.
func (pb *ProcessBuilder) HoldZombies(image string, n, procHandles, threadHandles int64, counted bool, pos Position) {
	z := pb.zombieAgg()
	z.listed += n
	if counted {
		z.counted = true
		z.procHandles += procHandles
		z.threadHandles += threadHandles
	}
	na := z.images[image]
	if na == nil {
		if len(z.images) >= zombieImageLimit {
			return
		}
		na = &zombieImage{first: pos}
		z.images[image] = na
	}
	na.count += n
}

func (pb *ProcessBuilder) zombieAgg() *zombieAgg {
	x := pb.more()
	if x.zombies == nil {
		x.zombies = &zombieAgg{held: -1, images: map[string]*zombieImage{}}
	}
	return x.zombies
}

// finishZombies adds what a zombie-counting tool said to p: the zombies
// held (the stated total, else those listed), the handles to exited
// processes and threads, and the images held most.
func (pb *ProcessBuilder) finishZombies(p *Process) {
	z := pb.moreRead().zombies
	if z == nil {
		return
	}
	p.ZombiesHeld = z.listed
	if z.held >= 0 {
		p.ZombiesHeld = z.held
	}
	if z.counted {
		p.HandlesToExitedProcesses += z.procHandles
		p.HandlesToExitedThreads += z.threadHandles
	} else {
		// Without the split, the tool's count is of handles to zombie
		// processes (FindZombieHandles before its thread counts).
		p.HandlesToExitedProcesses += p.ZombiesHeld
	}
	images := make([]NameCount, 0, len(z.images))
	for name, na := range z.images {
		images = append(images, NameCount{Name: name, Type: "Process", Count: na.count, First: na.first})
	}
	sort.Slice(images, func(i, j int) bool { return before(images[i], images[j]) })
	if len(images) > TopNamesLimit {
		images = images[:TopNamesLimit]
	}
	p.ZombieImages = images
}
