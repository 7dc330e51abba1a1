package facts

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/severity"
)

// validator checks the values of a snapshot: it cuts what is past a
// limit, with a diagnostic, and, for a decoded one (strict), collects the
// errors: values no capture gives (negative counts, shares outside 0..1,
// unknown severities).
type validator struct {
	strict bool
	// at is where the diagnostics point: the snapshot file and the
	// offset of the value being checked in it, or the process's source.
	at    Position
	path  []step
	errs  []string
	more  int
	diags []Diagnostic
	// omitted counts the diagnostics past diagLimit, the last of which
	// was at lastAt.
	omitted int
	lastAt  Position
	// strs holds the strings interned (intern).
	strs map[string]string
}

// step is one step of the path to a value: a field, an index or a key.
type step struct {
	name  string
	index int // -1 for a field or key
	key   bool
}

// newValidator returns the validator of snapshots decoded from the file
// name.
func newValidator(name string) *validator {
	return &validator{strict: true, at: Position{Path: name}}
}

// capBuilt cuts the values of a built snapshot to the limits, and returns
// the diagnostics that say so.
func capBuilt(s *Snapshot) []Diagnostic {
	v := &validator{}
	for i, p := range s.Processes {
		v.process(p, i, 0)
	}
	v.snapshot(s)
	return v.finish()
}

// process checks the i-th process, which starts at byte off of the
// snapshot file (0 for a built snapshot).
func (v *validator) process(p *Process, i int, off int64) {
	if v.strict {
		v.at.Offset = off
	} else {
		v.at = p.Source
	}
	// The capped lists keep their first entries: make those the ones the
	// readers would keep.
	if len(p.TopNames) > TopNamesLimit {
		sort.SliceStable(p.TopNames, func(a, b int) bool { return before(p.TopNames[a], p.TopNames[b]) })
	}
	if len(p.OpenStacks) > StackLimit {
		sort.SliceStable(p.OpenStacks, func(a, b int) bool { return p.OpenStacks[a].Count > p.OpenStacks[b].Count })
	}
	v.path = append(v.path[:0], step{name: "processes", index: -1}, step{index: i})
	v.walk(reflect.ValueOf(p).Elem(), &topField, false)
}

// diagnostic checks the i-th diagnostic.
func (v *validator) diagnostic(d *Diagnostic, i int, off int64) {
	v.at.Offset = off
	v.path = append(v.path[:0], step{name: "diagnostics", index: -1}, step{index: i})
	v.walk(reflect.ValueOf(d).Elem(), &topField, false)
}

// snapshot checks the snapshot's own fields (processes and diagnostics
// were checked as they were read).
//
// A built snapshot's figures without a position of their own (a type
// total, the pool totals) are said at the first line of its first source,
// or of its first pool listing.
func (v *validator) snapshot(s *Snapshot) {
	v.at.Offset = 0
	if !v.strict {
		v.at = Position{}
		if len(s.Sources) > 0 {
			v.at = Position{Path: s.Sources[0].Path, Line: 1}
		}
	}
	v.path = v.path[:0]
	rv := reflect.ValueOf(s).Elem()
	sf := fieldsOf(rv.Type())
	for i := range sf.fields {
		f := &sf.fields[i]
		name := f.name
		if name == "processes" || name == "diagnostics" {
			continue
		}
		at := v.at
		if m := s.Memory; !v.strict && name == "memory" && m != nil && m.Pool != nil && len(m.Pool.Listings) > 0 {
			v.at = m.Pool.Listings[0].Source
		}
		v.path = append(v.path[:0], step{name: name, index: -1})
		v.walk(rv.Field(f.index), f, false)
		v.at = at
	}
}

// walk checks the value rv, which is the field f of its parent or an
// element of it. sizes says rv is within a value of sizes (a source's
// bytes), whose figures are sizes.
func (v *validator) walk(rv reflect.Value, f *field, sizes bool) {
	sizes = sizes || f.sizes
	switch rv.Kind() {
	case reflect.Struct:
		sf := fieldsOf(rv.Type())
		if !v.strict && sf.source >= 0 {
			// A built value's diagnostics are said where it comes from.
			if pos := rv.Field(sf.source).Interface().(Position); pos.Path != "" || pos.Line > 0 {
				at := v.at
				v.at = pos
				defer func() { v.at = at }()
			}
		}
		for i := range sf.fields {
			c := &sf.fields[i]
			v.path = append(v.path, step{name: c.name, index: -1})
			v.walk(rv.Field(c.index), c, sizes)
			v.path = v.path[:len(v.path)-1]
		}
	case reflect.Pointer:
		if !rv.IsNil() {
			v.walk(rv.Elem(), f, sizes)
		}
	case reflect.Slice:
		if n, limit := rv.Len(), f.listCap; n > limit {
			v.capped(v.where(), n, limit)
			rv.Set(rv.Slice3(0, limit, limit))
		}
		if v.strict && rv.Cap() > rv.Len() {
			// encoding/json grows lists as append does: a snapshot of
			// 500,000 processes would carry 100 MB of spare capacity.
			exact := reflect.MakeSlice(rv.Type(), rv.Len(), rv.Len())
			reflect.Copy(exact, rv)
			rv.Set(exact)
		}
		for i := range rv.Len() {
			v.path = append(v.path, step{index: i})
			v.walk(rv.Index(i), f, sizes)
			v.path = v.path[:len(v.path)-1]
		}
	case reflect.Map:
		v.walkMap(rv, sizes)
	case reflect.String:
		s := rv.String()
		if len(s) > stringLimit {
			v.clipped(len(s))
			rv.SetString(clipString(s))
		}
		if v.strict && f.name == "severity" && !severity.Level(s).Valid() {
			v.errorf("severity %q: want error, warning or info", s)
		}
		if v.strict && f.interned {
			rv.SetString(v.intern(rv.String()))
		}
	case reflect.Int, reflect.Int64:
		if n, ok := v.checkInt(rv.Int(), sizes); !ok {
			rv.SetInt(n)
		}
	case reflect.Float64:
		if f := rv.Float(); v.strict && (math.IsNaN(f) || f < 0 || f > 1) {
			v.errorf("%v is not a share (0 to 1)", f)
		}
	}
}

// walkMap checks a map of counts: its size, its keys and its values.
// A built snapshot's maps are not limited: its readers hold every type
// they meet, and no capture holds a million types.
func (v *validator) walkMap(rv reflect.Value, sizes bool) {
	if v.strict && rv.Len() > mapLimit {
		v.errorf("%d keys, over the limit of %d", rv.Len(), mapLimit)
		return
	}
	type fix struct {
		key reflect.Value
		n   int64
	}
	var fixes []fix
	check := func(k, val reflect.Value) {
		if val.Kind() != reflect.Int64 {
			return
		}
		v.path = append(v.path, step{name: k.String(), index: -1, key: true})
		if n, ok := v.checkInt(val.Int(), sizes); !ok {
			fixes = append(fixes, fix{k, n})
		}
		v.path = v.path[:len(v.path)-1]
		if k.Len() > stringLimit {
			fixes = append(fixes, fix{k, -1})
		}
	}
	// Every key is checked in any order; where one has a problem, all
	// are checked again in order, so that problems are told in the same
	// order every time.
	if !mapSuspect(rv) {
		return
	}
	keys := rv.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, k := range keys {
		check(k, rv.MapIndex(k))
	}
	for _, f := range fixes {
		if f.n >= 0 {
			rv.SetMapIndex(f.key, reflect.ValueOf(f.n).Convert(rv.Type().Elem()))
			continue
		}
		v.clipped(f.key.Len())
		val := rv.MapIndex(f.key)
		rv.SetMapIndex(f.key, reflect.Value{})
		rv.SetMapIndex(reflect.ValueOf(clipString(f.key.String())).Convert(f.key.Type()), val)
	}
}

// mapSuspect reports whether a key of the map rv is too long or a count
// out of bounds, by a plain range over the maps of counts every process
// holds (a reflected one was most of checking a capture of many small
// processes) and by reflection over any other.
func mapSuspect(rv reflect.Value) bool {
	if m, ok := rv.Interface().(map[string]int64); ok {
		for k, n := range m {
			if len(k) > stringLimit || n < 0 || n > countLimit {
				return true
			}
		}
		return false
	}
	for iter := rv.MapRange(); iter.Next(); {
		k, val := iter.Key(), iter.Value()
		if k.Len() > stringLimit || val.Kind() == reflect.Int64 && (val.Int() < 0 || val.Int() > countLimit) {
			return true
		}
	}
	return false
}

// checkInt checks a count or a size, and returns it cut to the limit and
// whether it was within it. A negative figure is an error of a decoded
// snapshot; the readers never make one.
func (v *validator) checkInt(n int64, size bool) (int64, bool) {
	limit := int64(countLimit)
	if size {
		limit = sizeLimit
	}
	switch {
	case n < 0 && v.strict:
		v.errorf("%d is negative", n)
	case n > limit:
		v.diag(fmt.Sprintf("%s: %d is over the limit of %d, which it is cut to", v.where(), n, limit))
		return limit, false
	}
	return n, true
}

// clipString cuts s to stringLimit bytes, at a character boundary.
func clipString(s string) string { return clipTo(s, stringLimit) }

// clipTo cuts s to at most n bytes, at a character boundary.
func clipTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// where writes the path to the current value: processes[3].by_type["Event"].
func (v *validator) where() string {
	var b strings.Builder
	for _, s := range v.path {
		switch {
		case s.key:
			b.WriteByte('[')
			b.WriteString(strconv.Quote(clipTo(s.name, 80)))
			b.WriteByte(']')
		case s.index >= 0:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
		}
	}
	return b.String()
}

func (v *validator) errorf(format string, args ...any) {
	if len(v.errs) >= errorLimit {
		v.more++
		return
	}
	msg := v.where() + ": " + fmt.Sprintf(format, args...)
	if v.at.Offset > 0 {
		msg += fmt.Sprintf(" (in the value at byte %d)", v.at.Offset)
	}
	v.errs = append(v.errs, msg)
}

// diag records a CodeCapped diagnostic, or counts it past diagLimit.
func (v *validator) diag(msg string) {
	if len(v.diags) >= diagLimit {
		v.omitted++
		v.lastAt = v.at
		return
	}
	v.diags = append(v.diags, Diagnostic{
		Path: v.at.Path, Line: v.at.Line, Offset: v.at.Offset, Severity: SevWarning, Code: CodeCapped, Message: msg,
	})
}

// finish returns the diagnostics, the count of those omitted last.
func (v *validator) finish() []Diagnostic {
	if v.omitted > 0 {
		v.diags = append(v.diags, Diagnostic{Path: v.lastAt.Path, Line: v.lastAt.Line, Offset: v.lastAt.Offset, Severity: SevInfo, Code: CodeMoreOmitted,
			Message: fmt.Sprintf("%d more %q diagnostics not listed (the first %d are)", v.omitted, CodeCapped, diagLimit)})
	}
	return v.diags
}

// capped records a list cut to its limit.
func (v *validator) capped(where string, n, limit int) {
	v.diag(fmt.Sprintf("%s: %d entries, over the %d a snapshot holds: the first %d kept", where, n, limit, limit))
}

// clipped records a string cut to stringLimit.
func (v *validator) clipped(n int) {
	v.diag(fmt.Sprintf("%s: a string of %d bytes, clipped to %d", v.where(), n, stringLimit))
}

// err is the problems found, as one error, or nil.
func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	msg := strings.Join(v.errs, "\n")
	if v.more > 0 {
		msg += fmt.Sprintf("\nand %d more", v.more)
	}
	if len(v.errs) > 1 {
		msg = fmt.Sprintf("%d values no capture has:\n%s", len(v.errs)+v.more, msg)
	}
	return errors.New(msg)
}
