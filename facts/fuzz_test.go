package facts

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSnapshotJSON feeds the snapshot JSON reader arbitrary bytes, seeded
// with the golden snapshots of every reader. Properties: no panic, errors
// are ordinary errors, and a snapshot it accepts is within every limit
// (a second validation finds nothing to refuse or cut) and reads back
// from its own JSON form unchanged.
func FuzzSnapshotJSON(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/*/*.golden.json")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(snapshotWith(`"handle_count": -2`)))
	f.Add([]byte(snapshotWith(`"by_type": {"Event": 9223372036854775807, "File": 9223372036854775807}`)))
	f.Add([]byte(snapshotWith(`"dominant_share": 1.5`)))
	f.Add([]byte(snapshotWith(`"top_names": [` + repeated(`{"name": "n", "type": "Event", "count": 1, "first": {"path": "a.txt", "line": 3}}`, 12) + `]`)))
	f.Add([]byte(snapshotWith(`"top_folder": {"type": "File", "path": "C:\\Spool", "handles": 8192, "names": 8190, "of": 8192}`)))
	f.Add([]byte(`{"schema_version": 1} {"schema_version": 1, "host": "b"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		snaps, err := DecodeJSONSeries(bytes.NewReader(data))
		checkStream(t, data, snaps, err)
		if err != nil {
			return
		}
		for _, s := range snaps {
			if err := validAsRead(s); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// checkStream checks that data read as a Stream gives what it gives read
// whole (snaps, err): the same refusal, or the same snapshot written,
// with the same capture-wide figures.
func checkStream(t *testing.T, data []byte, snaps []*Snapshot, err error) {
	t.Helper()
	st, serr := StreamJSON(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }, "")
	switch {
	case err != nil:
		if serr == nil {
			t.Fatalf("read whole: %v; as a stream: no error", err)
		}
		return
	case len(snaps) > 1:
		if !errors.Is(serr, ErrNotOneSnapshot) {
			t.Fatalf("a series of %d read as a stream: %v, want ErrNotOneSnapshot", len(snaps), serr)
		}
		return
	case serr != nil:
		t.Fatalf("read whole: one snapshot; as a stream: %v", serr)
	}
	var whole, streamed bytes.Buffer
	if err := snaps[0].WriteJSON(&whole); err != nil {
		t.Fatal(err)
	}
	if err := st.WriteJSON(&streamed); err != nil {
		t.Fatal(err)
	}
	if whole.String() != streamed.String() {
		t.Fatalf("the stream writes\n%s\nthe snapshot read whole\n%s", streamed.String(), whole.String())
	}
	v := NewViewSet(snaps[0])
	if *v.Snapshot() != *st.Views.Snapshot() {
		t.Fatalf("capture-wide figures: stream %+v, whole %+v", *st.Views.Snapshot(), *v.Snapshot())
	}
	for i := range v.whole {
		if v.whole[i] != st.Views.whole[i] {
			t.Fatalf("process %d: stream %+v, whole %+v", i, st.Views.whole[i], v.whole[i])
		}
	}
}
