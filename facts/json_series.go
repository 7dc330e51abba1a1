package facts

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// DecodeJSONSeries reads one or more snapshots written one after another
// (a series file: `leakdiag collect --count K` writes one), each checked as
// DecodeJSON checks one.
func DecodeJSONSeries(r io.Reader) ([]*Snapshot, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.DisallowUnknownFields()
	var out []*Snapshot
	for {
		var s Snapshot
		err := dec.Decode(&s)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("snapshot JSON %d: %w", len(out)+1, err)
		}
		if s.SchemaVersion != SchemaVersion {
			return nil, fmt.Errorf("snapshot JSON %d: schema_version %d, this leakdiag reads %d", len(out)+1, s.SchemaVersion, SchemaVersion)
		}
		s.normalize()
		if err := s.check(); err != nil {
			return nil, fmt.Errorf("snapshot JSON %d: %w", len(out)+1, err)
		}
		out = append(out, &s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("snapshot JSON: no snapshot in the file")
	}
	return out, nil
}
