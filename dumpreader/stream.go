package dumpreader

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// StreamSnapshot returns the snapshot JSON file at path as a Stream, its
// processes read again each time they are needed instead of held, or nil
// when the file is something else: another format, a series of
// snapshots, an archive, standard input. Reading it as a Stream gives
// what ReadFile gives, byte for byte; for a snapshot of many processes
// (500,000 take a gigabyte held) it takes memory for a few.
func StreamSnapshot(path string, opts Options) (*facts.Stream, error) {
	if path == "-" {
		return nil, nil
	}
	ps, archive, err := parts(path, opts.Limits)
	if err != nil {
		return nil, err
	}
	if archive != nil {
		archive.Close()
		return nil, nil
	}
	p := ps[0]
	// The notes of a gzip stream (cut short, say) are said with an error,
	// as readPart says them; a snapshot read whole keeps them nowhere else.
	var notes []facts.Diagnostic
	open := func() (io.ReadCloser, error) {
		notes = notes[:0]
		rc, err := p.open(func(d facts.Diagnostic) { notes = append(notes, d) })
		if err != nil {
			return nil, err
		}
		return readCloser{withContext(opts, rc), rc}, nil
	}
	withNotes := func(err error) error {
		for _, d := range notes {
			err = fmt.Errorf("%w (%s: %s)", err, d.Where(), d.Message)
		}
		return err
	}
	if snapshot, err := isSnapshot(open, opts); err != nil || !snapshot {
		return nil, withNotes(err)
	}
	st, err := facts.StreamJSON(open, p.name)
	switch {
	case errors.Is(err, facts.ErrNotOneSnapshot):
		return nil, nil
	case err != nil:
		return nil, withNotes(fmt.Errorf("%s: %w", p.name, err))
	}
	return st, nil
}

// isSnapshot reports whether the capture open opens is a snapshot JSON,
// as Detect tells it (or opts.Format says), without Detect's sniffing of
// every text format: a large kd capture is asked first.
func isSnapshot(open func() (io.ReadCloser, error), opts Options) (bool, error) {
	if opts.Format != "" {
		return opts.Format == FormatSnapshot, nil
	}
	rc, err := open()
	if err != nil {
		return false, err
	}
	defer rc.Close()
	head, err := bufio.NewReaderSize(rc, scan.SniffLen).Peek(scan.SniffLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return false, err
	}
	return isSnapshotText(bytes.TrimLeft(headText(head), " \t\r\n")), nil
}
