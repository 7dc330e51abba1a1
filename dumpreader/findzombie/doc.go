// Package findzombie reads the console output of FindZombieHandles
// (Bruce Dawson's tool that lists the processes holding handles to
// processes that have exited) into facts: each holder, named by image and
// pid, with the number of zombies it keeps alive and their images.
//
// Three generations of the output are read: the first prints
// "N zombies of IMAGE" under each "N zombies held by IMAGE(PID)"; a
// middle one adds "(process: P - thread: T)"; the latest prints
// "N total zombie threads." and "- process handle count: P - thread
// handle count: T", and counts distinct zombies per holder rather than
// handles. The zombies themselves are not processes of the snapshot:
// the tool names their images, never their pids.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read.
package findzombie
