package facts

import (
	"errors"
	"fmt"
	"io"
)

// Stream is a snapshot read from its JSON form a process at a time, for
// one too large to hold: 500,000 processes decoded take a gigabyte,
// and a rule run or a listing needs one at a time. A first read checks
// the file as DecodeJSON does and works out what needs every process
// (Views: the totals, each process's peers and rank, the top
// processes); Each reads the processes again, in order, as often as
// asked.
type Stream struct {
	// Head is the snapshot without its processes: host, sources,
	// diagnostics (those its checks add included), memory.
	Head *Snapshot
	// Views are the facts rules see, as NewViewSet gives them for the
	// snapshot held.
	Views *ViewSet
	open  func() (io.ReadCloser, error)
	name  string
}

// ErrNotOneSnapshot is returned by StreamJSON for a file of several
// snapshots (a series), which is read whole.
var ErrNotOneSnapshot = errors.New("the file holds more than one snapshot")

// StreamJSON reads through the snapshot JSON that open opens (a file:
// Each opens it again) and returns it as a Stream. name is the path its
// errors and diagnostics give. Errors are DecodeJSON's, for the same
// file.
func StreamJSON(open func() (io.ReadCloser, error), name string) (*Stream, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	t := NewViewTally()
	d := NewJSONDecoder(r, name)
	d.process = func(p *Process) error {
		t.Add(p)
		return nil
	}
	head, err := d.Decode()
	switch {
	case err == io.EOF:
		return nil, fmt.Errorf("snapshot JSON: %w", io.ErrUnexpectedEOF)
	case err != nil:
		return nil, err
	}
	if d.more() {
		return nil, ErrNotOneSnapshot
	}
	if _, err := d.Decode(); err != io.EOF {
		return nil, err
	}
	return &Stream{Head: head, Views: t.ViewSet(head), open: open, name: name}, nil
}

// Each reads the processes again and calls f with each, in order,
// stopping at f's first error. It fails if the file no longer holds the
// processes the first read found.
func (s *Stream) Each(f func(*Process) error) error {
	r, err := s.open()
	if err != nil {
		return err
	}
	defer r.Close()
	n := 0
	d := NewJSONDecoder(r, s.name)
	d.process = func(p *Process) error {
		if n++; n > s.Len() {
			return errStreamChanged
		}
		return f(p)
	}
	if _, err := d.Decode(); err != nil {
		return err
	}
	if n != s.Len() {
		return fmt.Errorf("snapshot JSON: %w", errStreamChanged)
	}
	return nil
}

var errStreamChanged = errors.New("the file changed while it was read: it no longer holds the processes it did")

// Processes gives a snapshot's processes one at a time, in order, to f,
// stopping at f's first error: held (Snapshot.Each) or read again
// (Stream.Each). Writers and the engine take one, so a snapshot too
// large to hold is written and evaluated as one held is.
type Processes func(f func(*Process) error) error

// Each calls f with each of the snapshot's processes, in order, stopping
// at f's first error: a Snapshot held gives its processes as a Stream
// does.
func (s *Snapshot) Each(f func(*Process) error) error {
	for _, p := range s.Processes {
		if err := f(p); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the snapshot as Snapshot.WriteJSON does, reading its
// processes again.
func (s *Stream) WriteJSON(w io.Writer) error { return writeJSON(w, s.Head, s.Each) }

// WriteText writes the snapshot as Snapshot.WriteText does, reading its
// processes again, twice.
func (s *Stream) WriteText(w io.Writer) error { return writeText(w, s.Head, s.Len(), s.Each) }

// Len returns the number of processes, which the first read counted.
func (s *Stream) Len() int { return s.Views.Len() }
