package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// outFile is a file a run writes (a report, a snapshot): a temporary file
// in the target's directory, which commit renames over the target and
// discard removes. So a run that fails, even in the middle of writing,
// or is interrupted leaves an existing file as it was, and a reader never
// sees half a report. The temporary file is created at once, so that a
// directory that does not exist or cannot be written fails the run
// before any capture is read.
//
// A target that exists and is no regular file (/dev/stdout, /dev/null, a
// FIFO) is written in place: it cannot be replaced, and must not be.
type outFile struct {
	*os.File
	target string // the file to replace, symbolic links resolved
	tmp    string // the temporary file; "" when writing in place
	placed bool   // tmp has been renamed to target
	closed bool
}

// createOut starts writing target. Its errors do not name target: the
// caller says which flag gave it.
func createOut(target string) (*outFile, error) {
	path := target
	st, err := os.Lstat(target)
	if err == nil && st.Mode()&fs.ModeSymlink != 0 {
		// Replace the file the link names, and keep the link; a link
		// to nothing yet is written through, as os.Create would.
		if real, err := filepath.EvalSymlinks(target); err == nil {
			path = real
			st, err = os.Stat(real)
		} else {
			return createInPlace(target)
		}
	}
	switch {
	case err == nil && st.IsDir():
		return nil, errors.New("it is a directory; give a file to write to")
	case err == nil && !st.Mode().IsRegular():
		return createInPlace(target)
	}
	dir, base := filepath.Split(path)
	f, tmp, cerr := createTemp(dir, "."+base+".tmp")
	if cerr != nil {
		var pe *fs.PathError
		if errors.As(cerr, &pe) {
			cerr = pe.Err
		}
		if dir == "" {
			dir = "."
		}
		return nil, fmt.Errorf("cannot write a file in %s: %w", filepath.Clean(dir), cerr)
	}
	if err == nil {
		f.Chmod(st.Mode().Perm()) // a replaced file keeps its permissions
	}
	pending.add(tmp)
	return &outFile{File: f, target: path, tmp: tmp}, nil
}

func createInPlace(target string) (*outFile, error) {
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return nil, err
	}
	return &outFile{File: f, target: target}, nil
}

// createTemp is os.CreateTemp with the permissions os.Create gives (0666
// less the umask), since the file becomes the report.
func createTemp(dir, prefix string) (*os.File, string, error) {
	for {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, err
	}
}

// place renames the temporary file over the target, which from then on
// holds what was and will be written (collect writes a series on into
// it).
func (o *outFile) place() error {
	if o.tmp == "" || o.placed {
		return nil
	}
	if err := os.Rename(o.tmp, o.target); err != nil {
		return fmt.Errorf("writing %s: %w", o.target, err)
	}
	o.placed = true
	pending.remove(o.tmp)
	return nil
}

// commit finishes the file: its content on disk, closed, renamed over the
// target. When that fails, the target stays as it was.
func (o *outFile) commit() error {
	if o.tmp != "" && !o.placed {
		if err := o.Sync(); err != nil {
			o.discard()
			return fmt.Errorf("writing %s: %w", o.target, err)
		}
	}
	if err := o.close(); err != nil {
		o.discard()
		return fmt.Errorf("writing %s: %w", o.target, err)
	}
	if err := o.place(); err != nil {
		o.discard()
		return err
	}
	return nil
}

// discard closes the file and removes it unless it has been placed: the
// target keeps what it held. Discarding a committed file does nothing.
func (o *outFile) discard() {
	o.close()
	if o.tmp != "" && !o.placed {
		os.Remove(o.tmp)
		pending.remove(o.tmp)
	}
}

func (o *outFile) close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	return o.File.Close()
}

// pending are the temporary files not yet placed nor removed: what a
// signal that ends the run removes (removeOnSignal).
var pending = pendingFiles{paths: map[string]bool{}}

type pendingFiles struct {
	mu    sync.Mutex
	paths map[string]bool
}

func (p *pendingFiles) add(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paths[path] = true
}

func (p *pendingFiles) remove(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.paths, path)
}

// removeAll removes every pending file.
func (p *pendingFiles) removeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for path := range p.paths {
		os.Remove(path)
		delete(p.paths, path)
	}
}

// writeFileAtomic writes data to path as os.WriteFile does, through an
// outFile: path holds the old content or the new, never a part.
func writeFileAtomic(path string, data []byte) error {
	o, err := createOut(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := o.Write(data); err != nil {
		o.discard()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return o.commit()
}
