//go:build linux

package procfs

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// holdEnv makes the test binary, run as a child, hold the descriptors it
// was given until its standard input closes, instead of running tests.
const holdEnv = "LEAKDIAG_PROCFS_HOLD"

func TestMain(m *testing.M) {
	if os.Getenv(holdEnv) == "1" {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestCollectDeletedLive collects a child process that holds two
// descriptors to one file deleted after it was opened, and one to another
// deleted file, from the real /proc: three deleted descriptors, each
// file's size once.
func TestCollectDeletedLive(t *testing.T) {
	dir := t.TempDir()
	open := func(name string, size int, times int) []*os.File {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
			t.Fatal(err)
		}
		var files []*os.File
		for range times {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		return files
	}
	held := append(open("spool.1", 40960, 2), open("spool.2", 1234, 1)...)

	stdin, release, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0])
	child.Env = append(os.Environ(), holdEnv+"=1")
	child.Stdin, child.Stdout, child.Stderr = stdin, os.Stderr, os.Stderr
	child.ExtraFiles = held // its descriptors 3, 4 and 5, from exec on
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		release.Close()
		child.Wait()
	})
	stdin.Close()
	for _, f := range held {
		f.Close() // the child's are its own
	}

	snap, err := Collect(Options{PIDs: []uint64{uint64(child.Process.Pid)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want the child", len(snap.Processes))
	}
	p := snap.Processes[0]
	if p.DeletedFDs != 3 || p.DeletedBytes != 40960+1234 {
		t.Errorf("%d deleted descriptors of %d bytes, want 3 of %d", p.DeletedFDs, p.DeletedBytes, 40960+1234)
	}
	if p.ByType["file"] < 3 {
		t.Errorf("by type %v, want the deleted files among the files", p.ByType)
	}
	if len(snap.Diagnostics) != 0 {
		t.Errorf("diagnostics %v", snap.Diagnostics)
	}
}
