// Package ruletest runs rule test files: each case names a capture (or
// describes processes inline), runs the loaded rules over it and compares
// the findings of the rules it names with what it expects, showing any
// difference as a line diff.
//
//	tests:
//	  - name: a spooler that leaks events
//	    processes:
//	      - image: spoolsv.exe
//	        handles: [{type: Event, count: 12000}, {type: File, count: 40}]
//	    expect:
//	      - {rule: LD0001, image: spoolsv.exe, severity: warning}
//	    quiet: [LD0004]
//	  - name: the bundled example
//	    capture: ../testdata/examples/registry-leak-contoso-agent.txt
//	    expect:
//	      - {rule: LD0004, image: ContosoAgent.exe, component: Contoso Agent}
//	  - name: nonpaged pool nearly full, one tag holds most of it
//	    processes:
//	      - {image: agent.exe, handles: [{type: Thread, count: 5000}]}
//	    memory:
//	      nonpaged_pool_kb: 240000
//	      nonpaged_pool_max_kb: 262144
//	      pool_tags:
//	        - {tag: Thre, nonpaged_bytes: 150000000, description: Thread objects}
//	        - {tag: File, nonpaged_bytes: 50000000}
//	    expect:
//	      - {rule: LD0011, image: agent.exe}
//
// A case's memory states what `!vm` (the *_kb figures, free_system_ptes,
// pool_failures) and `!poolused` (pool_tags) would: a figure left out was
// not shown; the pool tags listed are all the pool's tags, so their sums
// are the pool totals.
//
// For every rule a case names in expect or quiet, the findings must be
// exactly the expected ones: a missing or an extra finding fails the case.
// Fields an expectation leaves out match anything.
package ruletest

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
	"gopkg.in/yaml.v3"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// file is a test file.
type file struct {
	Tests []testCase `yaml:"tests"`
}

type testCase struct {
	Name      string   `yaml:"name"`
	Capture   string   `yaml:"capture"`
	Processes []proc   `yaml:"processes"`
	Expect    []want   `yaml:"expect"`
	Quiet     []string `yaml:"quiet"`
	line      int

	// Memory states the memory facts of an inline case.
	Memory *memorySpec `yaml:"memory"`
	// Series describes a machine captured several times, oldest first:
	// the rules run over the last capture with the growth known.
	Series []seriesStep `yaml:"series"`
}

// seriesStep is one capture of an inline series.
type seriesStep struct {
	// At is when it was taken (RFC 3339); without it only the order is
	// known.
	At        string `yaml:"at"`
	Processes []proc `yaml:"processes"`
	// Memory states the step's memory facts, as a case's Memory does.
	Memory *memorySpec `yaml:"memory"`
}

type proc struct {
	Image       string       `yaml:"image"`
	PID         uint64       `yaml:"pid"`
	HandleCount *int64       `yaml:"handle_count"`
	Handles     []handleSpec `yaml:"handles"`
	// Exited: the process has exited (its object lives on while handles
	// to it are open).
	Exited bool `yaml:"exited"`
	// FDLimit and SocketStates are a Linux process's open-file limit and
	// TCP sockets by state.
	FDLimit      *int64           `yaml:"fd_limit"`
	SocketStates map[string]int64 `yaml:"socket_states"`
	// UnidentifiedSockets, DeletedFDs and DeletedBytes are a Linux
	// process's half-closed sockets and fds to deleted files.
	UnidentifiedSockets int64 `yaml:"unidentified_sockets"`
	DeletedFDs          int64 `yaml:"deleted_fds"`
	DeletedBytes        int64 `yaml:"deleted_bytes"`
	// TerminatedThreads: threads of the process the capture shows as
	// terminated.
	TerminatedThreads int `yaml:"terminated_threads"`
	// PoolNonpagedBytes is the nonpaged pool charged to the process.
	PoolNonpagedBytes *int64 `yaml:"pool_nonpaged_bytes"`
}

type handleSpec struct {
	Type  string `yaml:"type"`
	Name  string `yaml:"name"`
	Count int    `yaml:"count"`
	// To: Process handles to the inline process of that image.
	To string `yaml:"to"`
	// Terminated: Thread handles, each to a thread that has terminated.
	Terminated bool `yaml:"terminated"`
}

// memorySpec is what an inline case says `!vm` and `!poolused` show.
type memorySpec struct {
	PhysicalKB        *int64        `yaml:"physical_kb"`
	AvailableKB       *int64        `yaml:"available_kb"`
	CommitKB          *int64        `yaml:"commit_kb"`
	CommitLimitKB     *int64        `yaml:"commit_limit_kb"`
	NonPagedPoolKB    *int64        `yaml:"nonpaged_pool_kb"`
	NonPagedPoolMaxKB *int64        `yaml:"nonpaged_pool_max_kb"`
	PagedPoolKB       *int64        `yaml:"paged_pool_kb"`
	PagedPoolMaxKB    *int64        `yaml:"paged_pool_max_kb"`
	FreeSystemPTEs    *int64        `yaml:"free_system_ptes"`
	PoolFailures      *int64        `yaml:"pool_failures"`
	PoolTags          []poolTagSpec `yaml:"pool_tags"`
	// PoolTotalRow says the !poolused listing ends with its TOTAL row
	// (the default); false is a listing cut short, whose total is unknown.
	PoolTotalRow *bool `yaml:"pool_total_row"`
}

type poolTagSpec struct {
	Tag            string `yaml:"tag"`
	NonPagedAllocs int64  `yaml:"nonpaged_allocs"`
	NonPagedBytes  int64  `yaml:"nonpaged_bytes"`
	PagedAllocs    int64  `yaml:"paged_allocs"`
	PagedBytes     int64  `yaml:"paged_bytes"`
	Description    string `yaml:"description"`
	Binary         string `yaml:"binary"`
}

type want struct {
	Rule      string `yaml:"rule"`
	Image     string `yaml:"image"`
	Severity  string `yaml:"severity"`
	Component string `yaml:"component"`
}

// Result is the outcome of one case.
type Result struct {
	File string
	Line int
	Name string
	// Rules are the rules the case checks.
	Rules []string
	// Fired are the rules that fired in the case, Quiet those it
	// expected to stay quiet and that did.
	Fired, Quiet []string
	Passed       bool
	// Diff shows expected against got findings when the case failed.
	Diff string
	// Err is a case that could not run (a capture that cannot be read).
	Err error
}

// maxInlineHandles bounds the handles an inline process may describe.
const maxInlineHandles = 5_000_000

// RunFile runs the cases of one test file against set.
func RunFile(ctx context.Context, set *rules.Set, path string) ([]Result, error) {
	src, err := rules.ReadPath(path)
	if err != nil {
		return nil, err
	}
	// Decoded as rule files are: every problem at once, each with its
	// line, column, code and a caret (a rules.ErrorList).
	var f file
	if err := rules.DecodeFile(path, src, &f, "test file"); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err) // DecodeFile read it: not reached
	}
	if len(doc.Content) == 0 {
		// Nothing but comments, or nothing: a file that tests nothing is
		// a mistake (the YAML library refused it with EOF before).
		return nil, rules.ErrorList{{Pos: rules.Pos{File: path, Line: 1, Col: 1}, Code: rules.CodeMissing,
			Msg: "an empty test file: it needs a list of tests"}}
	}
	lines := caseLines(&doc)
	var out []Result
	for i, c := range f.Tests {
		if i < len(lines) {
			c.line = lines[i]
		}
		out = append(out, runCase(ctx, set, path, c))
	}
	return out, nil
}

// caseLines finds the line of each case in the tests list.
func caseLines(doc *yaml.Node) []int {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "tests" {
			var l []int
			for _, n := range root.Content[i+1].Content {
				l = append(l, n.Line)
			}
			return l
		}
	}
	return nil
}

func runCase(ctx context.Context, set *rules.Set, path string, c testCase) Result {
	res := Result{File: path, Line: c.line, Name: c.Name}
	fail := func(err error) Result { res.Err = err; return res }
	if c.Name == "" {
		return fail(fmt.Errorf("a test case needs a name"))
	}
	sources := 0
	for _, has := range []bool{c.Capture != "", len(c.Processes) > 0 || c.Memory != nil, len(c.Series) > 0} {
		if has {
			sources++
		}
	}
	if sources != 1 {
		return fail(fmt.Errorf("a test case needs one of a capture, processes (and memory) or a series"))
	}
	if len(c.Expect) == 0 && len(c.Quiet) == 0 {
		return fail(fmt.Errorf("a test case needs expect or quiet: what would it check?"))
	}
	known := map[string]bool{}
	for _, r := range set.Rules {
		known[r.ID] = true
	}
	checked := map[string]bool{}
	for _, w := range c.Expect {
		if w.Rule == "" {
			return fail(fmt.Errorf("every expected finding needs a rule"))
		}
		checked[w.Rule] = true
	}
	for _, q := range c.Quiet {
		checked[q] = true
	}
	for id := range checked {
		if !known[id] {
			return fail(fmt.Errorf("no rule %q is loaded", id))
		}
		res.Rules = append(res.Rules, id)
	}
	sort.Strings(res.Rules)

	var snap *facts.Snapshot
	var err error
	if c.Capture != "" {
		p := c.Capture
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(path), p)
		}
		snap, err = dumpreader.ReadFile(p, dumpreader.Options{})
	} else if len(c.Series) == 0 {
		snap, err = inline(c.Processes)
		if err == nil && c.Memory != nil {
			snap.Memory, err = c.Memory.memory()
		}
	}
	if err != nil {
		return fail(err)
	}
	var rep *engine.Report
	if len(c.Series) > 0 {
		rep, err = runSeries(ctx, set, c.Series)
	} else {
		rep, err = engine.Run(ctx, set, snap, engine.Options{})
	}
	if err != nil {
		return fail(err)
	}
	var got []engine.Finding
	fired := map[string]bool{}
	for _, f := range rep.Findings {
		if checked[f.RuleID] {
			got = append(got, f)
			fired[f.RuleID] = true
		}
	}
	for _, id := range res.Rules {
		if fired[id] {
			res.Fired = append(res.Fired, id)
		}
	}
	for _, q := range c.Quiet {
		if !fired[q] {
			res.Quiet = append(res.Quiet, q)
		}
	}
	wantText, gotText := compare(c.Expect, got)
	res.Passed = wantText == gotText
	if !res.Passed {
		res.Diff = lineDiff(wantText, gotText)
	}
	return res
}

// compare renders the expected and the got findings as sorted lines. A got
// finding that meets an expectation is rendered with that expectation's
// fields only, so that only real differences differ.
func compare(wants []want, got []engine.Finding) (string, string) {
	used := make([]bool, len(got))
	var wl, gl []string
	for _, w := range wants {
		wl = append(wl, render(w))
		for i, f := range got {
			if !used[i] && meets(f, w) {
				used[i] = true
				gl = append(gl, render(w))
				break
			}
		}
	}
	for i, f := range got {
		if !used[i] {
			image := ""
			if f.Process != nil {
				image = f.Process.Image
			}
			gl = append(gl, render(want{Rule: f.RuleID, Image: image, Severity: string(f.Severity), Component: f.Component.Name}))
		}
	}
	sort.Strings(wl)
	sort.Strings(gl)
	return strings.Join(wl, ""), strings.Join(gl, "")
}

func meets(f engine.Finding, w want) bool {
	image := ""
	if f.Process != nil {
		image = f.Process.Image
	}
	return f.RuleID == w.Rule &&
		(w.Image == "" || strings.EqualFold(w.Image, image)) &&
		(w.Severity == "" || w.Severity == string(f.Severity)) &&
		(w.Component == "" || w.Component == f.Component.Name)
}

func render(w want) string {
	s := w.Rule
	if w.Image != "" {
		s += " image=" + w.Image
	}
	if w.Severity != "" {
		s += " severity=" + w.Severity
	}
	if w.Component != "" {
		s += " component=" + w.Component
	}
	return s + "\n"
}

// lineDiff shows want against got line by line: "-" expected but not
// found, "+" found but not expected.
func lineDiff(want, got string) string {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(want, got)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out strings.Builder
	for _, d := range diffs {
		prefix := "  "
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			prefix = "- "
		case diffmatchpatch.DiffInsert:
			prefix = "+ "
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				out.WriteString(prefix + l)
			}
		}
	}
	return out.String()
}

// inline builds a snapshot from processes described in a test file.
func inline(procs []proc) (*facts.Snapshot, error) {
	b := facts.NewBuilder()
	var line int64 = 1
	address := map[string]uint64{} // image, case folded -> process object
	for i, p := range procs {
		if _, dup := address[strings.ToLower(p.Image)]; !dup {
			address[strings.ToLower(p.Image)] = 0xffff000000000000 + uint64(i+1)*0x1000
		}
	}
	thread := uint64(0xfffe000000000000)
	for i, p := range procs {
		if p.Image == "" {
			return nil, fmt.Errorf("process %d needs an image", i+1)
		}
		pid := p.PID
		if pid == 0 {
			pid = uint64(1000 + 4*i)
		}
		addr := 0xffff000000000000 + uint64(i+1)*0x1000
		pb := b.Process(fmt.Sprintf("%x", addr), facts.Position{Path: "(inline)", Line: line})
		pb.P.PID, pb.P.Image, pb.P.Exited = pid, p.Image, p.Exited
		pb.P.FDLimit, pb.P.SocketStates = p.FDLimit, p.SocketStates
		pb.P.UnidentifiedSockets, pb.P.DeletedFDs, pb.P.DeletedBytes = p.UnidentifiedSockets, p.DeletedFDs, p.DeletedBytes
		pb.P.PoolNonpagedBytes = p.PoolNonpagedBytes
		if p.TerminatedThreads < 0 || p.TerminatedThreads > maxInlineHandles {
			return nil, fmt.Errorf("process %s: terminated_threads must be 0 to %d", p.Image, maxInlineHandles)
		}
		for range p.TerminatedThreads {
			thread += 0x100
			pb.AddThread(thread, true)
		}
		total := 0
		value := uint64(4)
		for _, h := range p.Handles {
			if h.Count < 0 || total+h.Count > maxInlineHandles {
				return nil, fmt.Errorf("process %s: handle counts must be 0 to %d in all", p.Image, maxInlineHandles)
			}
			var object uint64
			switch {
			case h.To != "" && h.Type != "Process":
				return nil, fmt.Errorf("process %s: `to` names the process that %s handles refer to: give them type Process", p.Image, h.Type)
			case h.To != "":
				if object = address[strings.ToLower(h.To)]; object == 0 {
					return nil, fmt.Errorf("process %s: handles to %q: no inline process has that image", p.Image, h.To)
				}
			case h.Terminated && h.Type != "Thread":
				return nil, fmt.Errorf("process %s: `terminated` is for Thread handles, not %s", p.Image, h.Type)
			}
			total += h.Count
			for range h.Count {
				line++
				hd := &facts.Handle{Value: value, Type: h.Type, Name: h.Name, Naming: facts.Unnamed, Object: object, Pos: facts.Position{Path: "(inline)", Line: line}}
				if h.Name != "" {
					hd.Naming = facts.Named
				}
				if h.Terminated {
					thread += 0x100
					hd.Object = thread
					b.ThreadTerminated(thread)
				}
				pb.AddHandle(hd)
				value += 4
			}
		}
		if p.HandleCount != nil {
			c := *p.HandleCount
			pb.P.HandleCount = &c
		} else {
			c := int64(total)
			pb.P.HandleCount = &c
		}
		line++
	}
	log := facts.NewSourceLog("(inline)", "test")
	log.Lines = facts.LineCounts{Total: line, Parsed: line}
	b.AddSource(log)
	return b.Snapshot(), nil
}

// memory builds the memory facts a case states.
func (m *memorySpec) memory() (*facts.Memory, error) {
	pos := facts.Position{Path: "(inline)", Line: 1}
	b := facts.NewBuilder()
	if m.PhysicalKB != nil || m.AvailableKB != nil || m.CommitKB != nil || m.CommitLimitKB != nil ||
		m.NonPagedPoolKB != nil || m.NonPagedPoolMaxKB != nil || m.PagedPoolKB != nil || m.PagedPoolMaxKB != nil ||
		m.FreeSystemPTEs != nil || m.PoolFailures != nil {
		v := b.VM(pos)
		v.PhysicalKB, v.AvailableKB, v.CommitKB, v.CommitLimitKB = m.PhysicalKB, m.AvailableKB, m.CommitKB, m.CommitLimitKB
		v.NonPagedPoolKB, v.NonPagedPoolMaxKB = m.NonPagedPoolKB, m.NonPagedPoolMaxKB
		v.PagedPoolKB, v.PagedPoolMaxKB, v.FreeSystemPTEs = m.PagedPoolKB, m.PagedPoolMaxKB, m.FreeSystemPTEs
		if m.PoolFailures != nil {
			v.PoolFailures = *m.PoolFailures
		}
	}
	if len(m.PoolTags) > 0 {
		u := b.PoolUsage()
		var total facts.PoolTotals
		for _, t := range m.PoolTags {
			if t.Tag == "" || len(t.Tag) > 4 {
				return nil, fmt.Errorf("memory: pool tag %q: a tag has one to four characters", t.Tag)
			}
			if t.NonPagedAllocs < 0 || t.NonPagedBytes < 0 || t.PagedAllocs < 0 || t.PagedBytes < 0 {
				return nil, fmt.Errorf("memory: pool tag %s: counts cannot be negative", t.Tag)
			}
			u.AddTag(facts.PoolTag{Tag: t.Tag, NonPagedAllocs: t.NonPagedAllocs, NonPagedBytes: t.NonPagedBytes,
				PagedAllocs: t.PagedAllocs, PagedBytes: t.PagedBytes, Description: t.Description, Binary: t.Binary, Source: pos})
			total.NonPagedAllocs += t.NonPagedAllocs
			total.NonPagedBytes += t.NonPagedBytes
			total.PagedAllocs += t.PagedAllocs
			total.PagedBytes += t.PagedBytes
		}
		totalRow := m.PoolTotalRow == nil || *m.PoolTotalRow
		u.AddTotals(total, totalRow)
		u.AddListing(facts.PoolListing{Command: "!poolused", Sort: facts.PoolSortTag, Rows: int64(len(m.PoolTags)), TotalRow: totalRow, Source: pos})
	}
	return b.Snapshot().Memory, nil
}

// runSeries builds each step's snapshot and runs the rules over the last
// with the growth across the steps.
func runSeries(ctx context.Context, set *rules.Set, steps []seriesStep) (*engine.Report, error) {
	if len(steps) < 2 {
		return nil, fmt.Errorf("a series needs at least two steps")
	}
	var snaps []*facts.Snapshot
	var times []time.Time
	for i, st := range steps {
		snap, err := inline(st.Processes)
		if err == nil && st.Memory != nil {
			snap.Memory, err = st.Memory.memory()
		}
		if err != nil {
			return nil, fmt.Errorf("series step %d: %w", i+1, err)
		}
		var at time.Time
		if st.At != "" {
			if at, err = time.Parse(time.RFC3339, st.At); err != nil {
				return nil, fmt.Errorf("series step %d: at %q is not RFC 3339 (2026-11-27T10:00:00Z)", i+1, st.At)
			}
		}
		snaps = append(snaps, snap)
		times = append(times, at)
	}
	s, err := facts.NewSeries(snaps, times)
	if err != nil {
		return nil, err
	}
	return engine.RunSeries(ctx, set, s, engine.Options{})
}
