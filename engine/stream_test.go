package engine_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/benchsnap"
)

// writeSnapshot writes snap's JSON to a file and returns its path.
func writeSnapshot(t *testing.T, snap *facts.Snapshot) string {
	t.Helper()
	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "snap.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func opener(path string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return os.Open(path) }
}

// A snapshot read as a stream, its processes read again for the rules,
// gets the report the snapshot held whole gets: findings, errors,
// totals, top processes, over several blocks and any number of workers.
func TestStreamGivesTheSameReport(t *testing.T) {
	set := defaultRules(t)
	for _, n := range []int{1, 255, 3000} {
		path := writeSnapshot(t, benchsnap.Build(n))
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		held, err := facts.DecodeJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := run(t, set, held, engine.Options{})
		if len(want.Findings) == 0 && n > 1 {
			t.Fatalf("%d processes: no findings; the test needs some", n)
		}
		st, err := facts.StreamJSON(opener(path), path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Len() != n || len(st.Head.Processes) != 0 {
			t.Fatalf("stream of %d processes, head holding %d; want %d and none", st.Len(), len(st.Head.Processes), n)
		}
		for _, w := range []int{1, 2, 8} {
			got, err := engine.RunStream(context.Background(), set, st, engine.Options{Workers: w})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%d processes, %d workers: the stream's report differs (-held +stream):\n%s", n, w, d)
			}
		}
	}
}

// A stream whose file changes between its reads fails, and says why.
func TestStreamFileChanged(t *testing.T) {
	path := writeSnapshot(t, benchsnap.Build(600))
	st, err := facts.StreamJSON(opener(path), path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := benchsnap.Build(700).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o644)
	if _, err := engine.RunStream(context.Background(), defaultRules(t), st, engine.Options{}); err == nil {
		t.Fatalf("no error once the file holds other processes")
	}
	buf.Reset()
	benchsnap.Build(500).WriteJSON(&buf)
	os.WriteFile(path, buf.Bytes(), 0o644)
	if _, err := engine.RunStream(context.Background(), defaultRules(t), st, engine.Options{}); err == nil {
		t.Fatalf("no error once the file holds fewer processes")
	}
}

// A series file is no stream.
func TestStreamRefusesASeries(t *testing.T) {
	var buf bytes.Buffer
	benchsnap.Build(3).WriteJSON(&buf)
	benchsnap.Build(4).WriteJSON(&buf)
	path := filepath.Join(t.TempDir(), "series.json")
	os.WriteFile(path, buf.Bytes(), 0o644)
	if _, err := facts.StreamJSON(opener(path), path); !errors.Is(err, facts.ErrNotOneSnapshot) {
		t.Fatalf("err %v, want ErrNotOneSnapshot", err)
	}
}
