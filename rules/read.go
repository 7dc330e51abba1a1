package rules

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// MaxFileSize is the most a rule file, a suppressions file or a rule test
// file may hold. Rule files come from customers and other teams; the
// biggest real one is a few hundred KB, so 8 MiB leaves room without
// letting a file (or /dev/zero behind a symlink) take the memory of the
// run.
const MaxFileSize = 8 << 20

// ReadFile reads a rule, suppressions or rule test file of fsys: a
// regular file (a symlink to one is followed) of at most MaxFileSize
// bytes. Devices, FIFOs and sockets are refused before they are opened,
// so that /dev/zero or a FIFO named like a rule file neither exhausts
// memory nor hangs the run.
func ReadFile(fsys fs.FS, name string) ([]byte, error) { return readFile(fsys, name, name) }

// ReadPath is ReadFile for a path of the operating system.
func ReadPath(p string) ([]byte, error) {
	return readFile(os.DirFS(filepath.Dir(p)), filepath.Base(p), p)
}

// readFile reads name of fsys, calling it shown in errors.
func readFile(fsys fs.FS, name, shown string) (_ []byte, err error) {
	defer func() {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			pe.Path = shown
		}
	}()
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := regular(shown, st); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// What was opened may not be what was looked at.
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regular(shown, st); err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, tooLarge(shown)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, tooLarge(shown) // it grew since Stat, or Stat does not know
	}
	return data, nil
}

func regular(name string, st fs.FileInfo) error {
	if st.Mode().IsRegular() {
		return nil
	}
	kind := "not a regular file"
	switch m := st.Mode(); {
	case m.IsDir():
		kind = "a directory"
	case m&fs.ModeNamedPipe != 0:
		kind = "a FIFO"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		kind = "a device"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return fmt.Errorf("%s: is %s; rule and suppressions files are read only from regular files", name, kind)
}

func tooLarge(name string) error {
	return fmt.Errorf("%s: larger than %d MiB, the most a rule or suppressions file may hold (rules.MaxFileSize)", name, MaxFileSize>>20)
}

// ReadDir returns the rule files (*.yaml, *.yml) of dir in fsys, in file
// name order: the order they layer in. Test files (IsTestFile) and
// directories are not rule files; every other entry named like one is
// read with ReadFile, so one that is not a regular file, or is too large,
// is an error.
func ReadDir(fsys fs.FS, dir string) ([]Source, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var srcs []Source
	for _, e := range entries {
		name := e.Name()
		ext := strings.ToLower(path.Ext(name))
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") || IsTestFile(name) {
			continue
		}
		p := path.Join(dir, name)
		if st, err := fs.Stat(fsys, p); err == nil && st.IsDir() {
			continue // a symlink to a directory
		}
		data, err := ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, Source{Path: p, Data: data})
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Path < srcs[j].Path })
	return srcs, nil
}
