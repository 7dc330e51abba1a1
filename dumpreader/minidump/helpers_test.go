package minidump

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// contents is everything the package reads from a dump, gathered for
// comparison.
type contents struct {
	Streams  []Stream
	Handles  []Handle
	Ops      []HandleOp
	Modules  []Module
	Threads  []Thread
	Misc     *Misc
	Sys      *SystemInfo
	Acct     Accounting
	Problems []Problem
}

func open(t *testing.T, b []byte) *Dump {
	t.Helper()
	d, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return d
}

// readAll reads everything from d and checks the properties every dump
// must have, however damaged: the accounting adds up, and every problem
// points into the file.
func readAll(t *testing.T, d *Dump) contents {
	t.Helper()
	var c contents
	c.Streams = d.Streams()
	if err := d.Handles(func(h *Handle) error { c.Handles = append(c.Handles, *h); return nil }); err != nil {
		t.Fatalf("Handles: %v", err)
	}
	if err := d.HandleOps(func(op *HandleOp) error { c.Ops = append(c.Ops, *op); return nil }); err != nil {
		t.Fatalf("HandleOps: %v", err)
	}
	c.Modules = d.Modules()
	c.Threads = d.Threads()
	if m, ok := d.Misc(); ok {
		c.Misc = &m
	}
	if s, ok := d.SystemInfo(); ok {
		c.Sys = &s
	}
	c.Acct = d.Accounting()
	c.Problems = d.Problems()
	checkInvariants(t, d, c.Acct, c.Problems)
	return c
}

func checkInvariants(t *testing.T, d *Dump, a Accounting, probs []Problem) {
	t.Helper()
	var skipped int64
	for name, n := range a.SkippedByType {
		if n < 0 {
			t.Errorf("Accounting().SkippedByType[%q] = %d, want >= 0", name, n)
		}
		skipped += n
	}
	if a.Size != d.Size() || a.Parsed+a.Skipped+a.Other != a.Size ||
		a.Parsed != a.Header+a.Decoded+a.Referenced || skipped != a.Skipped ||
		a.Header < 0 || a.Decoded < 0 || a.Referenced < 0 || a.Other < 0 {
		t.Errorf("Accounting() = %+v does not add up to the file size %d", a, d.Size())
	}
	for _, p := range probs {
		if p.Offset < 0 || p.Offset > d.Size() || p.Code == "" || p.Message == "" ||
			(p.Severity != SeverityError && p.Severity != SeverityWarning && p.Severity != SeverityInfo) {
			t.Errorf("malformed problem %+v in a %d-byte dump", p, d.Size())
		}
	}
}

// found is a problem's identity for comparison: messages are for people
// and may be reworded.
type found struct {
	Code   string
	Offset int64
}

func codes(ps []Problem) []found {
	out := []found{}
	for _, p := range ps {
		out = append(out, found{p.Code, p.Offset})
	}
	return out
}

var le32 = binary.LittleEndian.Uint32

func put32(b []byte, off int64, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }

func isFormatError(err error, code string) bool {
	var fe *FormatError
	return errors.As(err, &fe) && fe.Code == code
}
