package facts

import (
	"bytes"
	"strings"
	"testing"
)

func TestDecodeJSONSeries(t *testing.T) {
	var buf bytes.Buffer
	for _, host := range []string{"web1", "web1", "web1"} {
		s := &Snapshot{SchemaVersion: SchemaVersion, Host: host, CapturedAt: "2026-11-27T10:00:00Z"}
		if err := s.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
	}
	snaps, err := DecodeJSONSeries(&buf)
	if err != nil || len(snaps) != 3 || snaps[2].Host != "web1" || snaps[1].Processes == nil {
		t.Fatalf("DecodeJSONSeries = %d snapshots, %v", len(snaps), err)
	}
	for _, c := range []struct{ in, want string }{
		{"", "no snapshot"},
		{`{"schema_version": 1} {"schema_version": 2}`, "snapshot JSON 2: schema_version 2"},
		{`{"schema_version": 1} {"bogus": 1}`, `snapshot JSON 2: json: unknown field "bogus"`},
		{`{"schema_version": 1} [`, "snapshot JSON 2"},
	} {
		if _, err := DecodeJSONSeries(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("DecodeJSONSeries(%q): %v, want %q", c.in, err, c.want)
		}
	}
}

// TestDecodeJSONChecksAccounting: a snapshot whose lines or bytes do not
// add up was edited or damaged, and is refused.
func TestDecodeJSONChecksAccounting(t *testing.T) {
	for _, in := range []string{
		`{"schema_version": 1, "sources": [{"path": "a.txt", "format": "kd", "lines": {"total": 3, "parsed": 9, "ignored": 4, "unrecognized": 0}}]}`,
		`{"schema_version": 1, "sources": [{"path": "a.dmp", "format": "minidump", "lines": {"total": 0, "parsed": 0, "ignored": 0, "unrecognized": 0}, "bytes": {"total": 10, "parsed": 4, "skipped": 4, "other": 4}}]}`,
	} {
		if _, err := DecodeJSON(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "is not the") {
			t.Errorf("DecodeJSON(%.60s...): %v, want an accounting error", in, err)
		}
		if _, err := DecodeJSONSeries(strings.NewReader(in)); err == nil {
			t.Errorf("DecodeJSONSeries(%.60s...): no error", in)
		}
	}
}
