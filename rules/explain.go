package rules

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/leakdiag/leakdiag/facts"
)

// Explanation says how a rule came out for one process (or for the
// snapshot): the values of what its condition read, the condition taken
// apart into its && / || / ! structure with the value of every part, and
// whether an exception kept it quiet.
type Explanation struct {
	// Fired: the condition held and no exception did.
	Fired bool `json:"fired"`
	// Result is the condition's value: "true", "false" or "error: ...".
	Result string `json:"result"`
	// Exception is the exception that held, if the condition did.
	Exception *HeldException `json:"exception,omitempty"`
	// Values are the facts, params and lists the condition reads, in the
	// order they first appear in it.
	Values []Value `json:"values"`
	// Condition is the condition's structure with the value of each part.
	Condition *Part `json:"condition"`
}

// HeldException is an exception that kept a rule quiet.
type HeldException struct {
	Name    string `json:"name"`
	Reason  string `json:"reason"`
	Defined string `json:"defined"`
}

// Value is one fact, param or list a condition read, and its value.
type Value struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Part is a piece of a condition: an "and", "or" or "not" of parts, or a
// leaf (a comparison, a call, a macro...) that is not taken further apart.
type Part struct {
	Source string  `json:"source"`
	Op     string  `json:"op,omitempty"`
	Value  string  `json:"value"`
	Parts  []*Part `json:"parts,omitempty"`
}

// Why returns the leaves that made the part come out as it did: for a
// false "and" its false parts, for a false "or" every part, for a "not"
// what made its operand the opposite; a leaf is its own reason.
func (p *Part) Why() []*Part {
	var out []*Part
	p.why(p.Value == "true", &out)
	return out
}

func (p *Part) why(want bool, out *[]*Part) {
	switch p.Op {
	case "not":
		p.Parts[0].why(!want, out)
	case "and", "or":
		// A true "and" needs all its parts and a false "or" has all of
		// them false; otherwise the parts that agree with the outcome
		// decided it (or, when none does, the ones that failed to
		// evaluate: evaluated alone, a part guarded by another may fail).
		agree := []*Part{}
		for _, c := range p.Parts {
			if (p.Op == "and") == want || c.Value == strconv.FormatBool(want) {
				agree = append(agree, c)
			}
		}
		if len(agree) == 0 {
			agree = p.Parts
		}
		for _, c := range agree {
			c.why(want, out)
		}
	default:
		*out = append(*out, p)
	}
}

// outliner is a compiled condition that can take itself apart.
type outliner interface {
	// outline returns the condition's structure (sources only) and the
	// sources of the facts, params and lists it reads.
	outline() (*Part, []string, error)
	// sub compiles a piece of source in the condition's environment.
	sub(src string) (evaluator, error)
}

// explainer holds a rule's condition taken apart, compiled once.
type explainer struct {
	tree   *Part
	parts  map[*Part]evaluator
	values []string
	eval   map[string]evaluator
}

// Explain evaluates the rule for a process (nil for a snapshot-scope rule)
// and says why it came out as it did.
func (r *Rule) Explain(snap *facts.SnapshotFacts, proc *facts.ProcessFacts) (*Explanation, error) {
	x, err := r.explainer()
	if err != nil {
		return nil, err
	}
	e := &Explanation{Values: []Value{}, Result: evalString(r.cond, snap, proc)}
	if e.Result == "true" {
		if exc := r.exceptedBy(snap, proc); exc != nil {
			e.Exception = &HeldException{Name: exc.Name, Reason: exc.Reason, Defined: exc.Pos.String()}
		}
		e.Fired = e.Exception == nil
	}
	for _, src := range x.values {
		e.Values = append(e.Values, Value{Name: src, Value: evalString(x.eval[src], snap, proc)})
	}
	e.Condition = x.fill(x.tree, snap, proc)
	return e, nil
}

// fill copies the tree with the value of each part.
func (x *explainer) fill(p *Part, snap *facts.SnapshotFacts, proc *facts.ProcessFacts) *Part {
	out := &Part{Source: p.Source, Op: p.Op, Value: evalString(x.parts[p], snap, proc)}
	for _, c := range p.Parts {
		out.Parts = append(out.Parts, x.fill(c, snap, proc))
	}
	return out
}

func evalString(ev evaluator, snap *facts.SnapshotFacts, proc *facts.ProcessFacts) string {
	v, err := ev.eval(snap, proc)
	if err != nil {
		return "error: " + err.Error()
	}
	return FormatValue(v)
}

// explainerOnce builds a rule's explainer the first time it is asked for.
type explainerOnce struct {
	once sync.Once
	x    *explainer
	err  error
}

// explainer takes the rule's condition apart and compiles its pieces, once
// per rule.
func (r *Rule) explainer() (*explainer, error) {
	if r.explain == nil {
		return nil, fmt.Errorf("rule %q has no compiled condition", r.ID)
	}
	r.explain.once.Do(func() { r.explain.x, r.explain.err = newExplainer(r) })
	return r.explain.x, r.explain.err
}

func newExplainer(r *Rule) (*explainer, error) {
	ol, ok := r.cond.(outliner)
	if !ok {
		return nil, fmt.Errorf("rule %q has no compiled condition", r.ID)
	}
	tree, values, err := ol.outline()
	if err != nil {
		return nil, fmt.Errorf("rule %q: taking the condition apart: %w", r.ID, err)
	}
	x := &explainer{tree: tree, parts: map[*Part]evaluator{}, eval: map[string]evaluator{}}
	var compile func(p *Part) error
	compile = func(p *Part) error {
		ev, err := ol.sub(p.Source)
		if err != nil {
			return fmt.Errorf("rule %q: compiling %q: %w", r.ID, p.Source, err)
		}
		x.parts[p] = ev
		for _, c := range p.Parts {
			if err := compile(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := compile(tree); err != nil {
		return nil, err
	}
	for _, src := range values {
		if _, dup := x.eval[src]; dup {
			continue
		}
		ev, err := ol.sub(src)
		if err != nil {
			return nil, fmt.Errorf("rule %q: compiling %q: %w", r.ID, src, err)
		}
		x.eval[src] = ev
		x.values = append(x.values, src)
	}
	return x, nil
}

// valueItems is how many items of a list or map FormatValue shows.
const valueItems = 5

// FormatValue writes a value a condition saw the way a rule author writes
// it: strings quoted, lists and maps (keys sorted) cut after a few items,
// fact records as {field: value}.
func FormatValue(v any) string {
	var b strings.Builder
	formatValue(&b, reflect.ValueOf(v))
	return b.String()
}

func formatValue(b *strings.Builder, v reflect.Value) {
	if !v.IsValid() {
		b.WriteString("null")
		return
	}
	if u, ok := v.Interface().(interface{ Value() any }); ok && v.Kind() != reflect.Struct {
		formatValue(b, reflect.ValueOf(u.Value()))
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		formatValue(b, v.Elem())
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := 0; i < v.Len() && i < valueItems; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			formatValue(b, v.Index(i))
		}
		more(b, v.Len())
		b.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		b.WriteByte('{')
		for i, k := range keys[:min(len(keys), valueItems)] {
			if i > 0 {
				b.WriteString(", ")
			}
			formatValue(b, k)
			b.WriteString(": ")
			formatValue(b, v.MapIndex(k))
		}
		more(b, len(keys))
		b.WriteByte('}')
	case reflect.Struct:
		b.WriteByte('{')
		n := 0
		for _, f := range facts.FieldsOfType(v.Type()) {
			if n > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteString(f.Name + ": ")
			formatValue(b, v.FieldByIndex(f.Index))
		}
		b.WriteByte('}')
	default:
		fmt.Fprint(b, v.Interface())
	}
}

func more(b *strings.Builder, n int) {
	if n > valueItems {
		fmt.Fprintf(b, ", ... (%d more)", n-valueItems)
	}
}
