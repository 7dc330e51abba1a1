package facts

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// JSONDecoder reads snapshots in their JSON form from a stream, one after
// another (a series file holds several). It validates each as the input
// it is (validate.go): a snapshot JSON may come from anyone, edited or
// damaged, and its figures must not reach rules and reports as nonsense.
//
// The lists that grow with a capture (processes, sources, diagnostics)
// are decoded one element at a time: encoding/json would otherwise hold
// the whole file's text while it builds the structs, which for a
// snapshot of 500,000 processes is a gigabyte besides them. No single
// value (one process, the memory summary) may take more than
// jsonValueLimit bytes of text.
type JSONDecoder struct {
	dec   *json.Decoder
	guard *valueGuard
	name  string
	n     int // snapshots decoded
	// process, if set, is given each process instead of the snapshot
	// (a Stream's reads): the snapshot decoded has none.
	process func(*Process) error
}

// NewJSONDecoder returns a decoder of the snapshots in r. name is the
// path the diagnostics it adds give (the snapshot file), "" for none.
func NewJSONDecoder(r io.Reader, name string) *JSONDecoder {
	g := &valueGuard{r: bufio.NewReaderSize(r, 64<<10), limit: jsonValueLimit}
	dec := json.NewDecoder(g)
	dec.DisallowUnknownFields()
	return &JSONDecoder{dec: dec, guard: g, name: name}
}

// Decode reads the next snapshot. It returns io.EOF when the stream has
// no more, and an error naming the snapshot's ordinal, the value and
// its byte offset for one that is malformed or fails validation.
func (d *JSONDecoder) Decode() (*Snapshot, error) {
	if !d.more() {
		if _, err := d.token(); err != io.EOF {
			return nil, d.wrap(fmt.Errorf("%v (at byte %d)", err, d.dec.InputOffset()))
		}
		return nil, io.EOF
	}
	d.n++
	s, err := d.decodeOne()
	if err != nil {
		return nil, d.wrap(err)
	}
	return s, nil
}

func (d *JSONDecoder) wrap(err error) error {
	if d.n <= 1 {
		return fmt.Errorf("snapshot JSON: %w", err)
	}
	return fmt.Errorf("snapshot JSON %d: %w", d.n, err)
}

// decodeOne reads one snapshot object, field by field.
func (d *JSONDecoder) decodeOne() (*Snapshot, error) {
	v := newValidator(d.name)
	if err := d.delim('{'); err != nil {
		return nil, err
	}
	s := &Snapshot{SchemaVersion: -1}
	seen := map[string]bool{}
	for d.more() {
		tok, err := d.token()
		if err != nil {
			return nil, d.syntax(err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, fmt.Errorf("%q given twice (at byte %d)", key, d.dec.InputOffset())
		}
		seen[key] = true
		switch key {
		case "sources", "processes", "diagnostics":
			err = d.listField(s, key, v) // its errors name the element
		default:
			err = d.field(s, key)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := d.delim('}'); err != nil {
		return nil, err
	}
	if s.SchemaVersion < 0 {
		return nil, fmt.Errorf("no schema_version: not a leakdiag snapshot")
	}
	s.normalize()
	v.snapshot(s)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	s.Diagnostics = append(s.Diagnostics, v.finish()...)
	return s, nil
}

// field decodes the value of the snapshot's field key.
func (d *JSONDecoder) field(s *Snapshot, key string) error {
	var ptr any
	switch key {
	case "schema_version":
		ptr = &s.SchemaVersion
	case "host":
		ptr = &s.Host
	case "os_version":
		ptr = &s.OSVersion
	case "captured_at":
		ptr = &s.CapturedAt
	case "type_totals":
		ptr = &s.TypeTotals
	case "type_totals_partial":
		ptr = &s.TypeTotalsPartial
	case "memory":
		ptr = &s.Memory
	default:
		return fmt.Errorf("json: unknown field %q (at byte %d)", key, d.dec.InputOffset())
	}
	if err := d.value(ptr); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if key == "schema_version" && s.SchemaVersion != SchemaVersion {
		return fmt.Errorf("schema_version %d, this leakdiag reads %d", s.SchemaVersion, SchemaVersion)
	}
	return nil
}

// listField decodes the list of the snapshot's field key an element at a
// time, checking each element as it comes.
func (d *JSONDecoder) listField(s *Snapshot, key string, v *validator) error {
	switch key {
	case "sources":
		return d.list(key, sourceListLimit, func(off int64) error {
			var src Source
			if err := d.value(&src); err != nil {
				return err
			}
			s.Sources = append(s.Sources, src)
			return nil
		})
	case "processes":
		n := 0
		return d.list(key, maxProcesses, func(off int64) error {
			var p *Process
			if err := d.value(&p); err != nil {
				return err
			}
			if p == nil {
				p = &Process{}
			}
			v.process(p, n, off)
			n++
			if d.process != nil {
				// A value no capture has fails the snapshot once it is
				// read, as when it is held: the error lists them all.
				normalizeProcess(p)
				return d.process(p)
			}
			s.Processes = append(s.Processes, p)
			return nil
		})
	}
	omitted := 0
	err := d.list(key, -1, func(off int64) error {
		var dg Diagnostic
		if err := d.value(&dg); err != nil {
			return err
		}
		if len(s.Diagnostics) >= diagListLimit {
			omitted++
			return nil
		}
		v.diagnostic(&dg, len(s.Diagnostics), off)
		s.Diagnostics = append(s.Diagnostics, dg)
		return nil
	})
	if omitted > 0 {
		v.at.Offset = d.dec.InputOffset()
		v.capped(key, omitted+diagListLimit, diagListLimit)
	}
	return err
}

// value decodes the next value into ptr, within jsonValueLimit.
func (d *JSONDecoder) value(ptr any) error {
	off := d.dec.InputOffset()
	d.guard.start(off)
	if err := d.dec.Decode(ptr); err != nil {
		if errors.Is(err, errValueTooLarge) {
			return fmt.Errorf("a value of over %d bytes (at byte %d): %w", jsonValueLimit, off, ErrSnapshotLimit)
		}
		return fmt.Errorf("%w (at byte %d)", err, off)
	}
	return nil
}

// list decodes a JSON array (or null) element by element, calling elem
// with each element's offset; past limit elements (limit >= 0) it stops
// with an error.
func (d *JSONDecoder) list(name string, limit int, elem func(off int64) error) error {
	tok, err := d.token()
	if err != nil {
		return fmt.Errorf("%s: %w", name, d.syntax(err))
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('[') {
		return fmt.Errorf("%s: want a list, not %v (at byte %d)", name, tok, d.dec.InputOffset())
	}
	for i := 0; d.more(); i++ {
		off := d.dec.InputOffset()
		if limit >= 0 && i >= limit {
			return fmt.Errorf("%s: more than %d (at byte %d): %w", name, limit, off, ErrSnapshotLimit)
		}
		if err := elem(off); err != nil {
			return fmt.Errorf("%s[%d]: %w", name, i, err)
		}
	}
	if err := d.delim(']'); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// more reports whether the current list or object has another element.
func (d *JSONDecoder) more() bool {
	d.guard.start(d.dec.InputOffset())
	return d.dec.More()
}

// token reads the next token; like a value, it starts a new count for
// the guard.
func (d *JSONDecoder) token() (json.Token, error) {
	d.guard.start(d.dec.InputOffset())
	return d.dec.Token()
}

// delim reads the delimiter want.
func (d *JSONDecoder) delim(want json.Delim) error {
	tok, err := d.token()
	if err != nil {
		return d.syntax(err)
	}
	if tok != want {
		return fmt.Errorf("want %v, not %v (at byte %d)", want, tok, d.dec.InputOffset())
	}
	return nil
}

func (d *JSONDecoder) syntax(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if errors.Is(err, errValueTooLarge) {
		return fmt.Errorf("a value of over %d bytes (at byte %d): %w", jsonValueLimit, d.guard.from, ErrSnapshotLimit)
	}
	return fmt.Errorf("%w (at byte %d)", err, d.dec.InputOffset())
}

// errValueTooLarge stops the decoding of a value whose text is over the
// limit, before encoding/json has buffered more of it.
var errValueTooLarge = errors.New("value too large")

// valueGuard fails a read once the decoder has taken more than limit
// bytes since the start of the current value. encoding/json buffers a
// whole value before it decodes it, so this bounds its buffer.
type valueGuard struct {
	r     io.Reader
	n     int64 // bytes read
	from  int64 // where the current value starts
	limit int64
}

func (g *valueGuard) start(off int64) { g.from = off }

func (g *valueGuard) Read(p []byte) (int, error) {
	left := g.limit - (g.n - g.from)
	if left < 0 {
		return 0, errValueTooLarge
	}
	if int64(len(p)) > left+1 {
		p = p[:left+1]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// DecodeJSON reads a snapshot in its JSON form. It rejects other schema
// versions and fields this version does not know, so a snapshot is never
// half understood, and validates its values (JSONDecoder).
func DecodeJSON(r io.Reader) (*Snapshot, error) {
	d := NewJSONDecoder(r, "")
	s, err := d.Decode()
	if err == io.EOF {
		return nil, fmt.Errorf("snapshot JSON: %w", io.ErrUnexpectedEOF)
	}
	if err != nil {
		return nil, err
	}
	if _, err := d.token(); err != io.EOF {
		return nil, fmt.Errorf("snapshot JSON: data after the snapshot object (at byte %d)", d.dec.InputOffset())
	}
	return s, nil
}

// DecodeJSONSeries reads one or more snapshots written one after another
// (a series file: `leakdiag collect --count K` writes one), each checked as
// DecodeJSON checks one.
func DecodeJSONSeries(r io.Reader) ([]*Snapshot, error) {
	return NewJSONDecoder(r, "").All()
}

// All reads every snapshot left in the stream; there must be one at
// least.
func (d *JSONDecoder) All() ([]*Snapshot, error) {
	var out []*Snapshot
	for {
		s, err := d.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("snapshot JSON: no snapshot in the file")
	}
	return out, nil
}
