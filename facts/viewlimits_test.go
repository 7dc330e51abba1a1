package facts

import (
	"reflect"
	"strings"
	"testing"
)

// TestViewLimitsCoverEveryField: a view of a snapshot is within the
// limits, and any of its strings or lists past them makes it not,
// field by field, so a field added to ProcessFacts without its check
// fails here.
func TestViewLimitsCoverEveryField(t *testing.T) {
	b := NewBuilder()
	pb := b.ProcessByPID(8, Position{Path: "c.txt", Line: 1})
	pb.P.Image = "agent.exe"
	pb.AddHandle(&Handle{Value: 4, Type: "Key", Naming: Named, Name: `\REGISTRY\A`})
	sv, procs := Views(b.Snapshot())
	if !sv.WithinLimits() || !procs[0].WithinLimits() {
		t.Fatalf("a snapshot's views are not within the limits")
	}
	if (&ProcessFacts{}).WithinLimits() || (*ProcessFacts)(nil).WithinLimits() {
		t.Errorf("a view not built by facts is taken to be within the limits")
	}
	long := strings.Repeat("x", StringLimit+1)
	typ := reflect.TypeFor[ProcessFacts]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		var variants []func(v reflect.Value)
		switch f.Type.Kind() {
		case reflect.String:
			variants = append(variants, func(v reflect.Value) { v.SetString(long) })
		case reflect.Map:
			// Maps are priced at their limit whatever they hold (see
			// checkLimits).
		case reflect.Slice:
			variants = append(variants,
				func(v reflect.Value) { v.Set(reflect.ValueOf(make([]NameFacts, TopNamesLimit+1))) },
				func(v reflect.Value) { v.Set(reflect.ValueOf([]NameFacts{{Name: long}})) },
				func(v reflect.Value) { v.Set(reflect.ValueOf([]NameFacts{{Type: long}})) })
		case reflect.Struct:
			variants = append(variants,
				func(v reflect.Value) { v.Set(reflect.ValueOf(NameFacts{Name: long})) },
				func(v reflect.Value) { v.Set(reflect.ValueOf(NameFacts{Type: long})) })
		}
		for j, set := range variants {
			pf := procs[0]
			set(reflect.ValueOf(&pf).Elem().Field(i))
			if pf.checkLimits(); pf.WithinLimits() {
				t.Errorf("%s past its limit (variant %d): still within the limits", f.Name, j)
			}
		}
	}
	sf := sv
	sf.TopPagedTagDesc = long
	if sf.checkLimits(); sf.WithinLimits() {
		t.Errorf("a snapshot string past the limit: still within the limits")
	}
}
