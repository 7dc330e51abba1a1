package dumpreader

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"os"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/internal/kdgen"
)

func TestPrefetcherReturnsTheSourceInOrder(t *testing.T) {
	data := make([]byte, 300_000+12345)
	rand.New(rand.NewSource(1)).Read(data)
	for _, size := range []int{1, 7, 4096, 1 << 20} {
		p := newPrefetcher(iotest.HalfReader(bytes.NewReader(data)), size, 3)
		got, err := io.ReadAll(iotest.OneByteReader(io.LimitReader(p, 1<<30)))
		p.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("chunk size %d: read %d bytes, err %v; want the %d bytes of the source", size, len(got), err, len(data))
		}
	}
}

func TestPrefetcherPassesOnErrorsAndStops(t *testing.T) {
	boom := errors.New("disk gone")
	p := newPrefetcher(io.MultiReader(bytes.NewReader([]byte("0: kd> !process 0 0\n")), iotest.ErrReader(boom)), 8, 2)
	got, err := io.ReadAll(p)
	if !errors.Is(err, boom) || string(got) != "0: kd> !process 0 0\n" {
		t.Errorf("ReadAll = %q, %v; want the data, then %v", got, err, boom)
	}
	p.Close()

	// Closed before the source is used up: the goroutine stops.
	p = newPrefetcher(bytes.NewReader(make([]byte, 1<<20)), 1024, 2)
	buf := make([]byte, 10)
	if _, err := p.Read(buf); err != nil {
		t.Fatal(err)
	}
	p.Close()
	for range p.full { // closed once the goroutine has returned
	}
}

// A capture large enough to be read ahead gives the facts it gives when
// read from memory.
func TestLargeFileReadAheadGivesTheSameFacts(t *testing.T) {
	var gen bytes.Buffer // about 12 MB: over the read-ahead threshold
	if _, err := kdgen.Write(&gen, kdgen.Config{Processes: 200, Handles: 40_000, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	data := gen.Bytes()
	path := t.TempDir() + "/big.txt"
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile, err := ReadFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fromMemory, err := Read(bytes.NewReader(data), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fromMemory, fromFile); diff != "" {
		t.Errorf("diff (-memory +file):\n%s", diff)
	}
}
