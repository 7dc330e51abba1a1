package procfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// sys is the part of the operating system the collector uses. Tests wrap
// it to make reads fail the way a running system makes them fail (a
// process exiting, a permission denied), which a fake tree cannot do when
// the tests run as root.
type sys interface {
	open(name string) (io.ReadCloser, error)
	readlink(name string) (string, error)
	// stat follows links, as os.Stat does: through /proc/PID/fd/N it
	// reaches the file the descriptor refers to, deleted or not.
	stat(name string) (fs.FileInfo, error)
	// readDirNames calls fn with the names in the directory, a batch at
	// a time.
	readDirNames(name string, fn func(names []string) error) error
}

type osSys struct{}

func (osSys) open(name string) (io.ReadCloser, error) { return os.Open(name) }
func (osSys) readlink(name string) (string, error)    { return os.Readlink(name) }
func (osSys) stat(name string) (fs.FileInfo, error)   { return os.Stat(name) }

// dirBatch is how many entries of a directory are read at once: a process
// may hold a million descriptors.
const dirBatch = 512

func (osSys) readDirNames(name string, fn func([]string) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		names, err := f.Readdirnames(dirBatch)
		if len(names) > 0 {
			if err := fn(names); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readSmall reads at most limit bytes of a file; procfs files have no size
// to ask for, and some (cmdline) can be large.
func readSmall(s sys, name string, limit int64) ([]byte, bool, error) {
	f, err := s.open(name)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(b)) > limit {
		return b[:limit], true, nil
	}
	return b, false, nil
}

// gone reports whether err says the process is no longer there: the file
// is gone with it, or the kernel says there is no such process.
func gone(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH)
}

// denied reports whether err is a permission error.
func denied(err error) bool {
	return errors.Is(err, fs.ErrPermission)
}
