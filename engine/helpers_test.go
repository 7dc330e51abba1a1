package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
	rulesd "github.com/leakdiag/leakdiag/rules.d"
)

// defaultRules loads the default rules, with extra rule files after them.
func defaultRules(tb testing.TB, extra ...rules.Source) *rules.Set {
	tb.Helper()
	srcs, err := rules.ReadDir(rulesd.FS, ".")
	if err != nil {
		tb.Fatal(err)
	}
	set, err := rules.Load(append(srcs, extra...))
	if err != nil {
		tb.Fatal(err)
	}
	return set
}

// capture is the path of the (imaginary) capture every test snapshot is
// read from.
const capture = "capture.txt"

// hs is a run of n handles of one type to one name ("" for unnamed).
type hs struct {
	typ, name string
	n         int
}

// proc is a process of a test snapshot. Its PROCESS block is at line, and
// its handles follow it one line each, in the order given.
type proc struct {
	addr         string
	pid          uint64
	image        string
	line         int64
	handleCount  int64 // 0: the capture does not report it
	tableEntries int64 // 0: not shown
	handles      []hs
}

// build makes a snapshot of procs with facts.Builder, as a reader would,
// read from one source of lines lines.
func build(t *testing.T, lines int64, procs ...proc) *facts.Snapshot {
	t.Helper()
	b := facts.NewBuilder()
	for _, p := range procs {
		pb := b.Process(p.addr, facts.Position{Path: capture, Line: p.line})
		pb.P.PID, pb.P.Image = p.pid, p.image
		if p.handleCount > 0 {
			c := p.handleCount
			pb.P.HandleCount = &c
		}
		if p.tableEntries > 0 {
			e := p.tableEntries
			pb.P.TableEntries = &e
		}
		value, line := uint64(4), p.line
		for _, h := range p.handles {
			for i := 0; i < h.n; i++ {
				line++
				hd := &facts.Handle{Value: value, Type: h.typ, Name: h.name, Naming: facts.Unnamed,
					Pos: facts.Position{Path: capture, Line: line}}
				if h.name != "" {
					hd.Naming = facts.Named
				}
				if got := pb.AddHandle(hd); got != facts.AddedNew {
					t.Fatalf("test snapshot: handle %#x of pid %d added as %v", value, p.pid, got)
				}
				value += 4
			}
		}
	}
	log := facts.NewSourceLog(capture, "kd")
	log.Lines = facts.LineCounts{Total: lines, Parsed: lines}
	b.AddSource(log)
	return b.Snapshot()
}

// load compiles rule files given inline; the i-th is named rules<i>.yaml,
// or name=... when the source starts with "#name: <path>\n".
func load(t *testing.T, files ...string) *rules.Set {
	t.Helper()
	var srcs []rules.Source
	for i, f := range files {
		path := fmt.Sprintf("rules%d.yaml", i)
		if first, _, ok := strings.Cut(f, "\n"); ok && strings.HasPrefix(first, "#name: ") {
			path = strings.TrimPrefix(first, "#name: ")
		}
		srcs = append(srcs, rules.Source{Path: path, Data: []byte(f)})
	}
	set, err := rules.Load(srcs)
	if err != nil {
		t.Fatalf("rules.Load: %v", err)
	}
	return set
}

// run runs the engine and fails the test on an error.
func run(t *testing.T, set *rules.Set, snap *facts.Snapshot, opts engine.Options) *engine.Report {
	t.Helper()
	rep, err := engine.Run(context.Background(), set, snap, opts)
	if err != nil {
		t.Fatalf("engine.Run: %v", err)
	}
	if rep == nil {
		t.Fatal("engine.Run returned a nil report and no error")
	}
	return rep
}

// key names a finding by what ranks it: rule, pid, image and address.
type key struct {
	Rule  string
	PID   uint64
	Image string
	Addr  string
}

func keyOf(f engine.Finding) key {
	k := key{Rule: f.RuleID}
	if f.Process != nil {
		k.PID, k.Image, k.Addr = f.Process.PID, f.Process.Image, f.Process.Address
	}
	return k
}

func keys(fs []engine.Finding) []key {
	out := make([]key, len(fs))
	for i, f := range fs {
		out[i] = keyOf(f)
	}
	return out
}

// reversed returns snap with its processes in the opposite order, so that
// an order that survives it comes from ranking, not from the input.
func reversed(snap *facts.Snapshot) *facts.Snapshot {
	r := *snap
	r.Processes = make([]*facts.Process, len(snap.Processes))
	for i, p := range snap.Processes {
		r.Processes[len(snap.Processes)-1-i] = p
	}
	return &r
}
