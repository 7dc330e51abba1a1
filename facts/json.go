package facts

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes s in its JSON form, indented, with a trailing newline.
// The output is deterministic: map keys are sorted and every list is in the
// order Builder.Snapshot gives it. Processes are encoded one at a time, so
// writing a snapshot of thousands of processes does not hold its whole
// encoding in memory; the result is what encoding/json would write for s.
func (s *Snapshot) WriteJSON(w io.Writer) error {
	return writeJSON(w, s, s.Each)
}

// writeJSON writes the snapshot whose processes each gives, in order, and
// whose other fields s gives (its processes are not read).
func writeJSON(w io.Writer, s *Snapshot, each Processes) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var err error
	// value encodes v at the nesting of a top-level field's value; the
	// first error is kept and returned.
	value := func(v any, prefix string) []byte {
		buf.Reset()
		enc.SetIndent(prefix, "  ")
		if e := enc.Encode(v); e != nil && err == nil {
			err = e
		}
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	}
	field := func(name string, v any) {
		fmt.Fprintf(bw, ",\n  %q: %s", name, value(v, "  "))
	}
	fmt.Fprintf(bw, "{\n  \"schema_version\": %d", s.SchemaVersion)
	for _, f := range []struct{ name, v string }{{"host", s.Host}, {"os_version", s.OSVersion}, {"captured_at", s.CapturedAt}} {
		if f.v != "" {
			field(f.name, f.v)
		}
	}
	if len(s.TypeTotals) > 0 {
		field("type_totals", s.TypeTotals)
	}
	if s.TypeTotalsPartial {
		field("type_totals_partial", true)
	}
	if s.Memory != nil {
		field("memory", s.Memory)
	}
	field("sources", nonNil(s.Sources))
	bw.WriteString(",\n  \"processes\": [")
	var pb []byte
	n := 0
	if e := each(func(p *Process) error {
		if n++; n > 1 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		if p == nil {
			bw.WriteString("null")
			return nil
		}
		pb = appendProcessJSON(pb[:0], p, "    ")
		_, err := bw.Write(pb)
		return err
	}); e != nil {
		return e
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteByte(']')
	field("diagnostics", nonNil(s.Diagnostics))
	bw.WriteString("\n}\n")
	if err != nil {
		return err
	}
	return bw.Flush()
}

// nonNil makes a nil list encode as [] rather than null.
func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// check refuses a snapshot whose accounting does not add up: leakdiag
// never writes one, so it was edited or damaged.
func (s *Snapshot) check() error {
	for _, src := range s.Sources {
		l := src.Lines
		if l.Parsed < 0 || l.Ignored < 0 || l.Unrecognized < 0 || l.Parsed+l.Ignored+l.Unrecognized != l.Total {
			return fmt.Errorf("source %q: lines %d parsed + %d ignored + %d unrecognized is not the %d in all", src.Path, l.Parsed, l.Ignored, l.Unrecognized, l.Total)
		}
		if b := src.Bytes; b != nil && (b.Parsed < 0 || b.Skipped < 0 || b.Other < 0 || b.Parsed+b.Skipped+b.Other != b.Total) {
			return fmt.Errorf("source %q: bytes %d parsed + %d skipped + %d other is not the %d in all", src.Path, b.Parsed, b.Skipped, b.Other, b.Total)
		}
	}
	return nil
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
		}
		normalizeProcess(s.Processes[i])
	}
}

// normalizeProcess gives a decoded process the empty lists and maps a
// built one has.
func normalizeProcess(p *Process) {
	if len(p.ByType) == 0 {
		p.ByType = emptyCounts
	}
	if len(p.UnnamedByType) == 0 {
		p.UnnamedByType = emptyCounts
	}
	if p.TopNames == nil {
		p.TopNames = []NameCount{}
	}
	if p.OpenStacks == nil {
		p.OpenStacks = []Stack{}
	}
}
