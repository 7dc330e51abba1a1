package facts

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// exactCounts counts a stream of names exactly, the reference the table
// is checked against.
type exactCounts map[namePair]int64

// TestNameTableExactBelowLimit: up to NameTableLimit distinct pairs every
// count, first position and the distinct count are exact.
func TestNameTableExactBelowLimit(t *testing.T) {
	var tab nameTable
	want := exactCounts{}
	first := map[namePair]int64{}
	for i := range 50_000 {
		j := (i * 7919) % NameTableLimit
		p := namePair{"Key", fmt.Sprintf(`\REGISTRY\k%d`, j)}
		if j%3 == 0 {
			p.typ = "File"
		}
		if _, ok := first[p]; !ok {
			first[p] = int64(i + 1)
		}
		want[p]++
		tab.add(p.typ, p.name, Position{Line: int64(i + 1)})
	}
	n, est := tab.distinct()
	if est || n != int64(len(want)) {
		t.Fatalf("distinct = %d (estimated %v), want %d exact", n, est, len(want))
	}
	for _, s := range tab.slots {
		p := namePair{s.typ, s.name}
		if s.count != want[p] || s.err != 0 || s.first.Line != first[p] {
			t.Errorf("%v: count %d error %d first %d, want %d, 0, %d", p, s.count, s.err, s.first.Line, want[p], first[p])
		}
	}
}

// TestNameTableGuarantees: past the limit, with a leak of distinct names
// (each held once) mixed with names held often, the summary keeps its
// stated bounds: every pair held more than N/NameTableLimit times is in
// the table; every count is at least the true one and at most its error
// over it; a heavy name seen before the table filled stays exact.
func TestNameTableGuarantees(t *testing.T) {
	var tab nameTable
	want := exactCounts{}
	add := func(typ, name string) {
		want[namePair{typ, name}]++
		tab.add(typ, name, Position{})
	}
	const churn = 600_000
	for i := range churn {
		// A name held from the start, 40,000 times.
		if i%15 == 0 {
			add("File", `\Device\HarddiskVolume2\log\agent.log`)
		}
		// A name that first appears once the table is full.
		if i > 3*NameTableLimit && i%40 == 0 {
			add("Key", `\REGISTRY\MACHINE\SOFTWARE\Late`)
		}
		// Names of moderate use, and the churn of distinct names.
		if i%5 == 0 {
			add("Event", fmt.Sprintf("ev%d", i%997))
		}
		add("File", fmt.Sprintf(`\Device\HarddiskVolume2\tmp\req-%d.tmp`, i))
	}
	var n int64
	for _, c := range want {
		n += c
	}
	inTable := map[namePair]*nameSlot{}
	for i := range tab.slots {
		s := &tab.slots[i]
		inTable[namePair{s.typ, s.name}] = s
		truth := want[namePair{s.typ, s.name}]
		if s.count < truth || s.count-s.err > truth || s.err > n/NameTableLimit {
			t.Errorf("%s %s: count %d error %d, true %d (N/k %d)", s.typ, s.name, s.count, s.err, truth, n/NameTableLimit)
		}
	}
	for p, c := range want {
		if c > n/NameTableLimit && inTable[p] == nil {
			t.Errorf("%v held %d times (more than N/k = %d) is not in the table", p, c, n/NameTableLimit)
		}
	}
	heavy := inTable[namePair{"File", `\Device\HarddiskVolume2\log\agent.log`}]
	if heavy == nil || heavy.count != 40_000 || heavy.err != 0 {
		t.Errorf("the name held 40,000 times from the start: %+v, want exact", heavy)
	}
	if len(tab.slots) > NameTableLimit {
		t.Errorf("%d slots, over the limit of %d", len(tab.slots), NameTableLimit)
	}
	d, est := tab.distinct()
	if !est || math.Abs(float64(d)-float64(len(want)))/float64(len(want)) > 3*DistinctNamesError {
		t.Errorf("distinct = %d (estimated %v), true %d: outside three standard errors", d, est, len(want))
	}
}

// TestNameTableKeyCollision: two pairs with one key are counted apart,
// and each can leave the table without losing the other.
func TestNameTableKeyCollision(t *testing.T) {
	var tab nameTable
	tab.addKey(42, "Key", "a", Position{Line: 1})
	tab.addKey(42, "Key", "b", Position{Line: 2})
	tab.addKey(42, "Key", "a", Position{Line: 3})
	tab.addKey(42, "Key", "b", Position{Line: 4})
	tab.addKey(42, "Key", "b", Position{Line: 5})
	got := map[string]int64{}
	for _, s := range tab.slots {
		got[s.name] = s.count
	}
	if got["a"] != 2 || got["b"] != 3 || len(tab.slots) != 2 {
		t.Fatalf("counts %v, want a 2, b 3", got)
	}
	// a leaves the index: b, spilled, must still be found under the key.
	ia, _ := tab.find(42, "Key", "a")
	tab.unlink(ia)
	if ib, ok := tab.find(42, "Key", "b"); !ok || tab.slots[ib].name != "b" || tab.slots[ib].spilled {
		t.Fatalf("b not found under its key once a left")
	}
}

// TestNameKeyDiffers: the key tells type from name and each byte counts.
func TestNameKeyDiffers(t *testing.T) {
	seen := map[uint64]string{}
	for _, p := range [][2]string{{"Key", "ab"}, {"Keya", "b"}, {"Key", "ba"}, {"", "Keyab"}, {"Key", "ab\x00"}, {"Key", "abcdefghi"}, {"Key", "abcdefghj"}} {
		k := nameKey(p[0], p[1])
		if other, dup := seen[k]; dup {
			t.Errorf("%q and %s have one key", p, other)
		}
		seen[k] = fmt.Sprintf("%q", p)
	}
}

// TestBuilderManyDistinctNames: a process whose leak adds a distinct
// name per handle is counted in bounded memory and says what is an
// estimate, in its facts, its JSON and its view; a process under the
// limit is exact and says nothing of it.
func TestBuilderManyDistinctNames(t *testing.T) {
	b := NewBuilder()
	pos := Position{Path: "c.txt", Line: 1}
	leaker := b.ProcessByPID(100, pos)
	small := b.ProcessByPID(200, pos)
	const distinct = 3 * NameTableLimit
	for i := range distinct {
		leaker.AddHandle(&Handle{Value: uint64(4 * (i + 1)), Type: "File", Naming: Named, Name: fmt.Sprintf(`\tmp\req-%d`, i), Pos: Position{Path: "c.txt", Line: int64(i + 2)}})
		if i < 20 {
			small.AddHandle(&Handle{Value: uint64(4 * (i + 1)), Type: "Key", Naming: Named, Name: fmt.Sprintf(`\REGISTRY\k%d`, i%4)})
		}
	}
	for i := range 5000 {
		leaker.AddHandle(&Handle{Value: uint64(4 * (distinct + i + 1)), Type: "Key", Naming: Named, Name: `\REGISTRY\held`})
	}
	if n := len(leaker.names.slots); n > NameTableLimit {
		t.Fatalf("%d name slots, over the limit", n)
	}
	snap := b.Snapshot()
	p, q := snap.Processes[0], snap.Processes[1]
	if !p.DistinctNamesEstimated || math.Abs(float64(p.DistinctNames-(distinct+1)))/(distinct+1) > 3*DistinctNamesError {
		t.Errorf("leaker: distinct %d (estimated %v), want about %d, estimated", p.DistinctNames, p.DistinctNamesEstimated, distinct+1)
	}
	if top := p.TopNames[0]; top.Name != `\REGISTRY\held` || top.Count > 5000 || top.Count+top.Error < 5000 {
		t.Errorf("leaker's top name %+v, want \\REGISTRY\\held, 5000 within its error", top)
	}
	if q.DistinctNamesEstimated || q.DistinctNames != 4 || q.TopNames[0].Error != 0 || q.TopNames[0].Count != 5 {
		t.Errorf("small process: distinct %d (estimated %v), top %+v; want 4 exact, 5 exact", q.DistinctNames, q.DistinctNamesEstimated, q.TopNames[0])
	}
	var text bytes.Buffer
	if err := snap.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if top := p.TopNames[0]; top.Error == 0 || !strings.Contains(text.String(), fmt.Sprintf(" x%d (up to %d)", top.Count, top.Count+top.Error)) {
		t.Errorf("the text table does not give the top name's bound (%+v):\n%s", top, text.String())
	}
	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"distinct_names_estimated": true`) {
		t.Errorf("the JSON does not say the distinct count is an estimate")
	}
	back, err := DecodeJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Processes[0].DistinctNamesEstimated || back.Processes[0].TopNames[0] != p.TopNames[0] {
		t.Errorf("read back: %v %+v, want %+v", back.Processes[0].DistinctNamesEstimated, back.Processes[0].TopNames[0], p.TopNames[0])
	}
	var v ProcessFacts
	if processFacts(p, &v); !v.DistinctNamesEstimated || v.TopName.CountError != p.TopNames[0].Error {
		t.Errorf("view: estimated %v, count error %d", v.DistinctNamesEstimated, v.TopName.CountError)
	}
}
