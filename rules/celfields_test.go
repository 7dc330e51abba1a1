package rules

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/google/cel-go/common/types"

	"github.com/leakdiag/leakdiag/facts"
)

// Every fast getter reads the same value CEL's own getter does, for every
// scalar fact of every view type, from a pointer and (for names, which
// rules reach as values inside lists) from a value.
func TestFastGettersReadWhatCELReads(t *testing.T) {
	env, err := celBaseEnv()
	if err != nil {
		t.Fatal(err)
	}
	fast, ok := env.CELTypeProvider().(*celFields)
	if !ok {
		t.Fatalf("the CEL environment's provider is %T, not the fast one", env.CELTypeProvider())
	}
	native := fast.Provider
	adapter := env.CELTypeAdapter()
	covered := 0
	for _, v := range []any{&facts.ProcessFacts{}, &facts.SnapshotFacts{}, &facts.NameFacts{}} {
		rv := reflect.ValueOf(v).Elem()
		fill(rv)
		name := rv.Type().String()
		for _, f := range facts.FieldsOfType(rv.Type()) {
			want, ok := native.FindStructFieldType(name, f.Name)
			if !ok {
				t.Errorf("%s.%s: CEL does not know the field", name, f.Name)
				continue
			}
			got, _ := fast.FindStructFieldType(name, f.Name)
			if !got.Type.IsExactType(want.Type) {
				t.Errorf("%s.%s: type %v, CEL's is %v", name, f.Name, got.Type, want.Type)
			}
			if fast.getters[name][f.Name] == nil {
				if f.Scalar() {
					t.Errorf("%s.%s: a scalar fact without a fast getter", name, f.Name)
				}
				continue
			}
			covered++
			for _, obj := range []any{v, rv.Interface()} {
				a, err1 := got.GetFrom(obj)
				b, err2 := want.GetFrom(obj)
				if err1 != nil || err2 != nil {
					t.Errorf("%s.%s: errors %v, %v", name, f.Name, err1, err2)
					continue
				}
				if x, y := adapter.NativeToValue(a), adapter.NativeToValue(b); x.Equal(y) != types.True {
					t.Errorf("%s.%s from %T: fast getter gives %v, CEL's %v", name, f.Name, obj, x, y)
				}
			}
		}
	}
	if covered < 50 {
		t.Errorf("only %d fast getters checked", covered)
	}
}

// fill sets every scalar field of the struct v to a value of its own
// (the field's index in it), so a getter reading the wrong field, or
// reading it as another kind, gives another value.
func fill(v reflect.Value) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if !f.CanSet() {
			continue // unexported: not a fact
		}
		switch f.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f.SetInt(int64(1000 + i))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			f.SetUint(uint64(2000 + i))
		case reflect.Float32, reflect.Float64:
			f.SetFloat(float64(i) + 0.5)
		case reflect.Bool:
			f.SetBool(i%2 == 1)
		case reflect.String:
			f.SetString(fmt.Sprintf("field %d", i))
		}
	}
}
