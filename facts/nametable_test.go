package facts

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// namePair is a (type, name) pair; exactCounts counts a stream of them
// exactly, the reference the table is checked against.
type namePair struct{ typ, name string }

type exactCounts map[namePair]int64

// typeIDs numbers the types of a test as a ProcessBuilder does.
var typeIDs = map[string]uint32{"Key": 0, "File": 1, "Event": 2}

func typeOf(id uint32) string {
	for t, i := range typeIDs {
		if i == id {
			return t
		}
	}
	return ""
}

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
		tab.add(typeIDs[p.typ], p.name, Position{Line: int64(i + 1)})
	}
	n, est := tab.distinct()
	if est || n != int64(len(want)) {
		t.Fatalf("distinct = %d (estimated %v), want %d exact", n, est, len(want))
	}
	for i := range tab.n {
		s := tab.slot(i)
		p := namePair{typeOf(s.typ), s.name}
		if s.count != want[p] || tab.errOf(i) != 0 || tab.first(s).Line != first[p] {
			t.Errorf("%v: count %d error %d first %d, want %d, 0, %d", p, s.count, tab.errOf(i), tab.first(s).Line, want[p], first[p])
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
		tab.add(typeIDs[typ], name, Position{})
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
	inTable := map[namePair]int32{}
	for i := range tab.n {
		s := tab.slot(i)
		p := namePair{typeOf(s.typ), s.name}
		inTable[p] = i + 1
		truth, e := want[p], tab.errOf(i)
		if s.count < truth || s.count-e > truth || e > n/NameTableLimit {
			t.Errorf("%v: count %d error %d, true %d (N/k %d)", p, s.count, e, truth, n/NameTableLimit)
		}
	}
	for p, c := range want {
		if c > n/NameTableLimit && inTable[p] == 0 {
			t.Errorf("%v held %d times (more than N/k = %d) is not in the table", p, c, n/NameTableLimit)
		}
	}
	if i := inTable[namePair{"File", `\Device\HarddiskVolume2\log\agent.log`}] - 1; i < 0 || tab.slot(i).count != 40_000 || tab.errOf(i) != 0 {
		t.Errorf("the name held 40,000 times from the start is not counted exactly")
	}
	if tab.n > NameTableLimit {
		t.Errorf("%d slots, over the limit of %d", tab.n, NameTableLimit)
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
	tab.addKey(42, 0, "a", Position{Line: 1})
	tab.addKey(42, 0, "b", Position{Line: 2})
	tab.addKey(42, 0, "a", Position{Line: 3})
	tab.addKey(42, 0, "b", Position{Line: 4})
	tab.addKey(42, 0, "b", Position{Line: 5})
	got := map[string]int64{}
	for i := range tab.n {
		got[tab.slot(i).name] = tab.slot(i).count
	}
	if got["a"] != 2 || got["b"] != 3 || tab.n != 2 {
		t.Fatalf("counts %v, want a 2, b 3", got)
	}
	// a leaves the index: b, in the cell after it, moves back into its
	// cell and is still found.
	ia, _ := tab.find(42, 0, "a")
	tab.unlink(ia)
	if ib, ok := tab.find(42, 0, "b"); !ok || tab.slot(ib).name != "b" {
		t.Fatalf("b not found under its key once a left")
	}
	if _, ok := tab.find(42, 0, "a"); ok {
		t.Fatalf("a still found once it left")
	}
}

// TestNameIndexDeletion: slots leave and enter the index in any order,
// with keys that crowd into few cells and wrap round its end, and every
// slot indexed is found while none that left is.
func TestNameIndexDeletion(t *testing.T) {
	var tab nameTable
	const slots = 200
	for i := range slots {
		tab.newSlot(int32(i), 0, fmt.Sprintf("n%d", i), Position{}, 1)
	}
	tab.makeIndex()
	// Keys of a few home cells, some the last ones, so probes wrap.
	cells := uint64(len(tab.idx.cells))
	for i := range tab.idx.keys {
		tab.idx.keys[i] = uint64(i%5)*cells/4 + cells - 3 + uint64(i%3)*cells*7
	}
	tab.rehash()
	in := make([]bool, slots)
	for i := range in {
		in[i] = true
	}
	check := func(step int) {
		t.Helper()
		for i := range slots {
			s := tab.slot(int32(i))
			j, ok := tab.find(tab.idx.keys[i], s.typ, s.name)
			if ok != in[i] || (ok && j != int32(i)) {
				t.Fatalf("step %d: slot %d found %v at %d, want %v", step, i, ok, j, in[i])
			}
		}
	}
	for step := range 3 * slots {
		i := (step * 7919) % slots
		if in[i] {
			tab.unlink(int32(i))
		} else {
			tab.link(int32(i))
		}
		in[i] = !in[i]
		check(step)
	}
}

// TestPairKeyDiffers: the key tells types apart and each byte counts.
func TestPairKeyDiffers(t *testing.T) {
	seen := map[uint64]string{}
	for _, name := range []string{"", "a", "ab", "ba", "ab\x00", "abcdefgh", "abcdefghi", "abcdefghj", "bbcdefghi"} {
		for typ := range uint32(3) {
			k := pairKey(typ, name)
			if other, dup := seen[k]; dup {
				t.Errorf("%d %q and %s have one key", typ, name, other)
			}
			seen[k] = fmt.Sprintf("%d %q", typ, name)
		}
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
	if n := leaker.hsRead().names.n; n > NameTableLimit {
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

// TestNameGrowthOfEstimates: a name's growth between two captures whose
// counts are estimates is the least it can be, never more.
func TestNameGrowthOfEstimates(t *testing.T) {
	first := &Process{TopNames: []NameCount{{Name: "n", Type: "File", Count: 100, Error: 30}}}
	last := &Process{TopNames: []NameCount{{Name: "n", Type: "File", Count: 500, Error: 40}}}
	g := nameGrowth(first, last)
	if len(g) != 1 || g[0].From != 130 || g[0].To != 500 || g[0].Growth != 370 {
		t.Errorf("growth %+v, want from 130 (100 and up to 30 more) to 500: 370", g)
	}
}

// TestNameGrowthFromASummary: a first capture that shows no handle (a
// type summary of the process alone, before a listing of its handles
// after a test) gives no name growth; one that shows handles, none of
// them to the name, gives its growth from 0.
func TestNameGrowthFromASummary(t *testing.T) {
	last := &Process{HandlesParsed: 700, TopNames: []NameCount{{Name: `C:\ProgramData\Contoso\agent.log`, Type: "File", Count: 600}}}
	summary := &Process{ByType: map[string]int64{"File": 600, "Event": 40}, TypeCountsFrom: CountsFromSummary}
	if g := nameGrowth(summary, last); len(g) != 0 {
		t.Errorf("growth from a summary %+v, want none", g)
	}
	listed := &Process{HandlesParsed: 40}
	if g := nameGrowth(listed, last); len(g) != 1 || g[0].From != 0 || g[0].Growth != 600 {
		t.Errorf("growth from a listing without the name %+v, want 600 from 0", g)
	}
}
