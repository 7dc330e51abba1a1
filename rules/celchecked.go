package rules

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common"
	exprpb "google.golang.org/genproto/googleapis/api/expr/v1alpha1"
	"google.golang.org/protobuf/proto"

	"github.com/leakdiag/leakdiag/facts"
)

// CheckedCEL holds CEL expressions parsed and type-checked before, so
// that loading them again skips both, most of what compiling a CEL rule
// costs (BenchmarkLoadDefaultRules compares). An expression is taken from it only when its text is
// the same and the rule's environment declares the same params and lists
// with the same types, in the same scope, over the same fact types;
// anything else is compiled as if it were not there, so a stale or
// foreign CheckedCEL costs time, never a wrong result. Load uses one
// given WithChecked; CheckCEL makes one. Safe for concurrent use.
type CheckedCEL struct {
	mu      sync.Mutex
	facts   string // celFactsPrint when it was made
	entries map[string][]*checkedEntry
}

// checkedEntry is one expression checked in one environment.
type checkedEntry struct {
	Expr string `json:"expr"`
	// Env is celEnvSig of the environment it was checked in.
	Env string `json:"env"`
	// Refs are the params.x and lists.y it names (celRefs).
	Refs []string `json:"refs,omitempty"`
	// Checked is its checked AST, a google.api.expr.v1alpha1.CheckedExpr.
	Checked []byte `json:"checked"`

	once sync.Once
	ast  *cel.Ast
}

// checkedFile is CheckedCEL as JSON.
type checkedFile struct {
	// Facts is celFactsPrint of the fact types the entries were checked
	// against.
	Facts   string          `json:"facts"`
	Entries []*checkedEntry `json:"entries"`
}

// ReadCheckedCEL reads what CheckedCEL.MarshalJSON wrote. Entries checked
// against fact types other than this build's are dropped.
func ReadCheckedCEL(data []byte) (*CheckedCEL, error) {
	var f checkedFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("checked CEL: %w", err)
	}
	c := &CheckedCEL{facts: f.Facts, entries: map[string][]*checkedEntry{}}
	if f.Facts != celFactsPrint() {
		return c, nil
	}
	for _, e := range f.Entries {
		c.entries[e.Expr] = append(c.entries[e.Expr], e)
	}
	return c, nil
}

// MarshalJSON writes c's entries in a stable order.
func (c *CheckedCEL) MarshalJSON() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := checkedFile{Facts: c.facts}
	for _, es := range c.entries {
		f.Entries = append(f.Entries, es...)
	}
	slices.SortFunc(f.Entries, func(a, b *checkedEntry) int {
		return strings.Compare(a.Expr+"\x00"+a.Env, b.Expr+"\x00"+b.Env)
	})
	return json.MarshalIndent(f, "", "\t")
}

// Len is the number of expressions c holds.
func (c *CheckedCEL) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, es := range c.entries {
		n += len(es)
	}
	return n
}

// CheckCEL loads srcs as Load does and returns every CEL expression of
// their rules that compiled, checked, for WithChecked.
func CheckCEL(srcs []Source) (*CheckedCEL, error) {
	c := &CheckedCEL{facts: celFactsPrint(), entries: map[string][]*checkedEntry{}}
	if _, err := load(srcs, loadOptions{record: c}); err != nil {
		return nil, err
	}
	return c, nil
}

// find returns the checked AST of expr for a rule whose environment, once
// the names the expression refers to are known, has the signature sig
// gives; ok is false when c has none.
func (c *CheckedCEL) find(expr string, sig func(used refs) string) (*cel.Ast, refs, bool) {
	if c == nil {
		return nil, refs{}, false
	}
	c.mu.Lock()
	es := c.entries[expr]
	c.mu.Unlock()
	for _, e := range es {
		used := refs{names: make(map[string]bool, len(e.Refs))}
		for _, name := range e.Refs {
			used.names[name] = true
		}
		if sig(used) != e.Env {
			continue
		}
		if a := e.load(); a != nil {
			return a, used, true
		}
	}
	return nil, refs{}, false
}

// load is the entry's AST, decoded once; nil if it does not decode.
func (e *checkedEntry) load() *cel.Ast {
	e.once.Do(func() {
		var pb exprpb.CheckedExpr
		if err := proto.Unmarshal(e.Checked, &pb); err != nil {
			return
		}
		a, err := cel.CheckedExprToAstWithSource(&pb, common.NewTextSource(e.Expr))
		if err != nil {
			return
		}
		e.ast = a
	})
	return e.ast
}

// add records expr, checked as a in the environment of signature sig.
func (c *CheckedCEL) add(expr, sig string, used refs, a *cel.Ast) {
	pb, err := cel.AstToCheckedExpr(a)
	if err != nil {
		return
	}
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(pb)
	if err != nil {
		return
	}
	e := &checkedEntry{Expr: expr, Env: sig, Checked: data}
	for name := range used.names {
		e.Refs = append(e.Refs, name)
	}
	slices.Sort(e.Refs)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, have := range c.entries[expr] {
		if have.Env == sig {
			return
		}
	}
	c.entries[expr] = append(c.entries[expr], e)
}

// celEnvSig is what a CEL expression's type-check depends on besides its
// text and the base environment: the scope (a process-scope rule has
// process) and the params and lists it is declared, with their types.
func celEnvSig(scope string, declared map[string]any, lists map[string][]string) string {
	var parts []string
	for name, v := range declared {
		parts = append(parts, "params."+name+":"+celType(v).String())
	}
	for name := range lists {
		parts = append(parts, "lists."+name+":"+cel.ListType(cel.StringType).String())
	}
	slices.Sort(parts)
	return "scope:" + scope + ";" + strings.Join(parts, ";")
}

// celFactsPrint describes the fact types CEL rules are checked against,
// field by field: a CheckedCEL made against other facts is not used.
var celFactsPrint = sync.OnceValue(func() string {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			if t.Kind() == reflect.Map {
				walk(t.Key())
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		fmt.Fprintf(&b, "%s{", t.String())
		for i := range t.NumField() {
			f := t.Field(i)
			fmt.Fprintf(&b, "%s %s %q;", f.Name, f.Type.String(), f.Tag.Get("expr"))
		}
		b.WriteString("}")
		for i := range t.NumField() {
			walk(t.Field(i).Type)
		}
	}
	for _, t := range []reflect.Type{reflect.TypeOf(facts.ProcessFacts{}), reflect.TypeOf(facts.SnapshotFacts{}), reflect.TypeOf(facts.NameFacts{})} {
		walk(t)
	}
	h := fnv.New64a()
	h.Write([]byte(b.String()))
	return fmt.Sprintf("%016x", h.Sum64())
})
