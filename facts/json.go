package facts

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes s in its JSON form, indented, with a trailing newline.
// The output is deterministic: map keys are sorted and every list is in the
// order Builder.Snapshot gives it.
func (s *Snapshot) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// DecodeJSON reads a snapshot in its JSON form. It rejects other schema
// versions and fields this version does not know, so a snapshot is never
// half understood.
func DecodeJSON(r io.Reader) (*Snapshot, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("snapshot JSON: %w", err)
	}
	if s.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("snapshot JSON: schema_version %d, this leakdiag reads %d", s.SchemaVersion, SchemaVersion)
	}
	if dec.More() {
		return nil, fmt.Errorf("snapshot JSON: data after the snapshot object")
	}
	s.normalize()
	return &s, nil
}

// normalize gives a decoded snapshot the empty lists and maps a built one
// has, so both encode alike.
func (s *Snapshot) normalize() {
	if s.Sources == nil {
		s.Sources = []Source{}
	}
	if s.Processes == nil {
		s.Processes = []*Process{}
	}
	if s.Diagnostics == nil {
		s.Diagnostics = []Diagnostic{}
	}
	for i, p := range s.Processes {
		if p == nil {
			s.Processes[i] = &Process{}
			p = s.Processes[i]
		}
		if p.ByType == nil {
			p.ByType = map[string]int64{}
		}
		if p.UnnamedByType == nil {
			p.UnnamedByType = map[string]int64{}
		}
		if p.TopNames == nil {
			p.TopNames = []NameCount{}
		}
	}
}
