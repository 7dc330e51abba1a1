package procfs_test

import (
	"fmt"
	"os"

	"github.com/leakdiag/leakdiag/dumpreader/procfs"
)

// Collect the current process and print what it holds most of.
func ExampleCollect() {
	snap, err := procfs.Collect(procfs.Options{PIDs: []uint64{uint64(os.Getpid())}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range snap.Processes {
		fmt.Printf("%s (pid %d): %d descriptors, mostly %s\n", p.Image, p.PID, p.HandlesParsed, p.DominantType)
	}
	for _, d := range snap.Diagnostics {
		fmt.Printf("%s: %s\n", d.Code, d.Message)
	}
}
