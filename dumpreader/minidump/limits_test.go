package minidump

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/leakdiag/leakdiag/internal/mdwrite"
)

// TestProblemsOnce walks a damaged dump many ways: each problem is
// reported once.
func TestProblemsOnce(t *testing.T) {
	f, l := rich()
	put32(f, rva(f, desc(l, 0)+8), 5)                    // odd type name
	put32(f, node(f, l, 1, 2), uint32(node(f, l, 1, 0))) // cycle
	put32(f, stream(l, 18)+16+24, 1000)                  // trace depth
	once := readAll(t, open(t, f)).Problems
	d := open(t, f)
	for range 3 {
		d.Handles(func(*Handle) error { return nil })
		d.HandleOps(func(*HandleOp) error { return nil })
		d.HandleTable()
		d.HandleTrace()
	}
	d.Accounting()
	if diff := cmp.Diff(once, d.Problems()); diff != "" {
		t.Errorf("problems after repeated walks diff (-once +repeated):\n%s", diff)
	}
	if len(once) != 3 {
		t.Errorf("got %d problems, want 3: %v", len(once), once)
	}
}

func TestProblemCap(t *testing.T) {
	b := mdwrite.New()
	for i := range 500 {
		b.AddHandle(uint64(4*i), "Event", "", 0, 0, 0, 0)
	}
	f := b.Bytes()
	l := b.Layout()
	for i := range int64(500) {
		put32(f, rva(f, int64(l.Streams[0].Rva)+16+32*i+8), 3)
	}
	d := open(t, f)
	c := readAll(t, d)
	if len(c.Problems) != 200 {
		t.Errorf("kept %d problems, want 200", len(c.Problems))
	}
	if diff := cmp.Diff(map[string]int{"string-odd-length": 300}, d.DroppedProblems()); diff != "" {
		t.Errorf("DroppedProblems() diff (-want +got):\n%s", diff)
	}
}

// hugeClaims is the rich dump claiming huge counts and sizes everywhere.
func hugeClaims() []byte {
	f, l := rich()
	put32(f, stream(l, 12)+8, 0xFFFFFFFF)           // descriptors
	put32(f, stream(l, 18)+8, 0xFFFFFFFF)           // trace entries
	put32(f, stream(l, 4), 0xFFFFFFFF)              // modules
	put32(f, stream(l, 3), 0xFFFFFFFF)              // threads
	put32(f, rva(f, desc(l, 0)+12), 0xFFFFFFFE)     // a string
	put32(f, node(f, l, 0, 0)+8, 0xFFFFFFF0)        // object info
	put32(f, dirEntry(l, 0x47670001)+4, 0xFFFFFFFF) // a stream
	return f
}

// TestHugeClaims gives small files that claim huge counts and sizes: the
// reading takes little time and memory.
func TestHugeClaims(t *testing.T) {
	f := hugeClaims()
	start := time.Now()
	alloc := allocated(func() { readAll(t, open(t, f)) })
	if limit := uint64(2 << 20); alloc > limit {
		t.Errorf("reading a %d-byte dump allocated %d bytes, want at most %d", len(f), alloc, limit)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("reading took %v", el)
	}
}

// TestRepeatedStrings points every descriptor at the same long object
// name (names are not cached): the read budget keeps the work linear in the
// file size.
func TestRepeatedStrings(t *testing.T) {
	b := mdwrite.New()
	b.AddHandle(0, "", strings.Repeat("x", 30000), 0, 0, 0, 0)
	for i := range 2000 {
		b.AddHandle(uint64(4*i+4), "", "", 0, 0, 0, 0)
	}
	f := b.Bytes()
	table := int64(b.Layout().Streams[0].Rva) + 16
	name := le32(f[table+12:])
	for i := range int64(2001) {
		put32(f, table+32*i+12, name)
	}
	d := open(t, f)
	alloc := allocated(func() { readAll(t, d) })
	if limit := uint64(64 * len(f)); alloc > limit { // without the budget: about 360 MB
		t.Errorf("reading a %d-byte dump allocated %d bytes, want at most %d", len(f), alloc, limit)
	}
	var budget bool
	for _, p := range d.Problems() {
		budget = budget || p.Code == "read-budget-exceeded"
	}
	if !budget {
		t.Errorf("no read-budget-exceeded problem: %v", d.Problems())
	}
}

func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestIterationStops(t *testing.T) {
	f, _ := rich()
	d := open(t, f)
	stop := errors.New("stop")
	n := 0
	if err := d.Handles(func(*Handle) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("Handles() = %v after %d calls, want %v after 1", err, n, stop)
	}
	n = 0
	if err := d.HandleOps(func(*HandleOp) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("HandleOps() = %v after %d calls, want %v after 1", err, n, stop)
	}
}

// shortReader holds less than the size given to Open, as a file truncated
// while open would.
type shortReader struct {
	b   []byte
	err error
}

func (r shortReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(r.b)) {
		return 0, r.err
	}
	n := copy(p, r.b[off:])
	if n < len(p) {
		return n, r.err
	}
	return n, nil
}

func TestReaderErrors(t *testing.T) {
	f, l := rich()
	cut := int(stream(l, 12)) + 20 // inside the handle table
	for _, rerr := range []error{io.EOF, errors.New("disk on fire")} {
		d, err := Open(shortReader{f[:cut], rerr}, int64(len(f)))
		if err != nil {
			t.Fatalf("Open() = %v", err)
		}
		if err := d.Handles(func(*Handle) error { return nil }); err == nil || !strings.Contains(err.Error(), "offset") {
			t.Errorf("Handles() on a short reader (%v) = %v, want a read error with an offset", rerr, err)
		}
		d.Accounting()
		var readErr bool
		for _, p := range d.Problems() {
			readErr = readErr || p.Code == "read-error"
		}
		if !readErr {
			t.Errorf("short reader (%v): no read-error problem: %v", rerr, d.Problems())
		}
	}
	if _, err := Open(shortReader{f[:10], io.EOF}, int64(len(f))); err == nil {
		t.Errorf("Open() on a reader shorter than the header succeeded")
	}
}

// TestConcurrent reads one Dump from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	f, l := rich()
	put32(f, rva(f, desc(l, 0)+8), 5)
	want := readAll(t, open(t, f))
	d := open(t, f)
	var wg sync.WaitGroup
	got := make([]contents, 8)
	for i := range got {
		wg.Go(func() {
			var c contents
			d.Handles(func(h *Handle) error { c.Handles = append(c.Handles, *h); return nil })
			d.HandleOps(func(op *HandleOp) error { c.Ops = append(c.Ops, *op); return nil })
			c.Modules = d.Modules()
			c.Threads = d.Threads()
			for _, op := range c.Ops {
				for _, a := range op.Stack {
					d.ModuleAt(a)
				}
			}
			c.Acct = d.Accounting()
			got[i] = c
		})
	}
	wg.Wait()
	for i, c := range got {
		if diff := cmp.Diff(want, c, cmpopts.IgnoreFields(contents{}, "Streams", "Misc", "Sys", "Problems")); diff != "" {
			t.Errorf("goroutine %d diff (-want +got):\n%s", i, diff)
		}
	}
	if diff := cmp.Diff(want.Problems, d.Problems()); diff != "" {
		t.Errorf("problems diff (-want +got):\n%s", diff)
	}
}

// TestTableThenWalk asks for a table's header before walking it: the
// header's problems are still reported, once.
func TestTableThenWalk(t *testing.T) {
	b := mdwrite.New()
	b.DescriptorSize = 48
	b.OpEntrySize = 300
	b.AddHandle(4, "Event", "", 0, 0, 0, 0)
	b.AddHandleOp(4, 1, 1, mdwrite.OpOpen, nil)
	f := b.Bytes()
	d := open(t, f)
	if tb, ok := d.HandleTable(); !ok || tb.EntrySize != 48 || tb.Count != 1 {
		t.Errorf("HandleTable() = %+v, %v; want 1 entry of 48 bytes", tb, ok)
	}
	if tb, ok := d.HandleTrace(); !ok || tb.EntrySize != 300 || tb.Count != 1 {
		t.Errorf("HandleTrace() = %+v, %v; want 1 entry of 300 bytes", tb, ok)
	}
	c := readAll(t, d)
	want := []found{
		{"unusual-entry-size", stream(b.Layout(), 12) + 4},
		{"unusual-entry-size", stream(b.Layout(), 18) + 4},
	}
	if diff := cmp.Diff(want, codes(c.Problems)); diff != "" {
		t.Errorf("problems diff (-want +got):\n%s", diff)
	}
}
