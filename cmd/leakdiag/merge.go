package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/version"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/severity"
)

// maxProblems bounds the problems a merge lists one by one.
const maxProblems = 50

// errMergeProblems marks a merge whose inputs have problems (mixed
// versions, duplicate captures, missing shards): exit 2, after the report
// that names them is written.
type errMergeProblems struct{}

func (errMergeProblems) Error() string {
	return "the reports merged have problems, named above and in the report"
}

func newMergeCmd(ui *uiFlags) *cobra.Command {
	var (
		formats []string
		output  string
		failOn  string
	)
	cmd := &cobra.Command{
		Use:   "merge [flags] REPORT...",
		Short: "Merge the reports of a sharded run (or of several batches) into one fleet report",
		Long: `Read batch reports (analyze DIR --format json or --format jsonl, such as the
workers of analyze --shard K/N write) and write one report: the captures'
reports in the order one analyze over every capture gives, and first a
fleet summary that groups the findings by component (and vendor), rule and
image across captures and hosts: how many hosts and captures, the worst
score, when first and last seen, and the captures behind each group.

A directory stands for the .json and .jsonl files under it. Reports of
different leakdiag or rule versions, a capture in two reports, a shard
given twice or missing ("3 of 4 shards") are named in the report and on
standard error, and the merge exits 2 after writing it; nothing is
dropped.

Merge streams: it reads the inputs twice (the summary, then the
reports; markdown three times), holding the groups and one report at a
time, not the findings, for json, jsonl, text and markdown; html, sarif
and junit hold the merged reports. JSON Lines reports are flat: merged into --format jsonl
their lines are copied as they are; the other formats need JSON reports.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above
--fail-on; 2 bad usage, an unreadable report, problems with the inputs,
captures the reports say could not be analysed, or rules that failed to
evaluate in them (after writing the report).`,
		Example: `  # The reports of four workers (analyze --shard K/4 --format json=shard-K.json),
  # as one fleet report: text, and a page for the vendor
  leakdiag merge --format text --format html=fleet.html shard-0.json shard-1.json shard-2.json shard-3.json

  # Every report of a directory, into JSON Lines for a warehouse
  leakdiag merge --format jsonl=fleet.jsonl reports/`,
		Args: argsNeeded(1, -1, "a REPORT: JSON or JSON Lines batch reports, or a directory of them"),
		RunE: func(cmd *cobra.Command, args []string) error {
			fail, err := severity.ParseFailOn(failOn)
			if err != nil {
				return fmt.Errorf("--fail-on %q: want info, warning, error or never", failOn)
			}
			out := cmd.OutOrStdout()
			outs, err := parseOutputs(formats, output, reporters.Options{Color: ui.colorFor(out), FailOn: fail,
				Version: version.Get().String(), VersionNumber: version.Get().SemVer(), Quiet: ui.quiet, Time: time.Now(), Command: commandLine()}, ui.colorFor(io.Discard))
			if err != nil {
				return err
			}
			paths, err := mergeInputs(args)
			if err != nil {
				return err
			}
			done, err := outs.open(paths)
			defer done()
			if err != nil {
				return err
			}
			m, err := readMerge(paths)
			if err != nil {
				return err
			}
			for _, o := range outs {
				if _, ok := o.rep.(reporters.StreamWriter); !m.jsonl || (ok && o.format == "jsonl") {
					continue
				}
				return fmt.Errorf("--format %s: JSON Lines reports are flat and give only --format jsonl: have the workers write --format json for %s", o.format, o.format)
			}
			for _, p := range m.head.Fleet.Problems {
				fmt.Fprintf(cmd.ErrOrStderr(), "leakdiag merge: %s\n", p)
			}
			if err := outs.each(out, func(o reportOutput, w io.Writer) error { return m.write(o, w) }); err != nil {
				return err
			}
			var errs []error
			if len(m.head.Fleet.Problems) > 0 {
				errs = append(errs, errMergeProblems{})
			}
			if n := m.head.Summary.RuleErrors; n > 0 {
				errs = append(errs, fmt.Errorf("%s in the reports merged: their findings are unknown", facts.Plural(n, "rule failure")))
			}
			if n := m.head.Summary.Failed; n > 0 {
				errs = append(errs, errCaptures{n})
			}
			if len(errs) > 0 {
				return errors.Join(errs...)
			}
			if n := m.failing(fail); n > 0 {
				return errFindings{n}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&formats, "format", []string{"text"}, "report format: "+reporters.FormatsText()+`; FORMAT=FILE writes that format to FILE, "-" standard output (repeatable)`)
	fl.StringVarP(&output, "output", "o", "", `write the report given without =FILE to this file instead of standard output ("-": standard output)`)
	fl.StringVar(&failOn, "fail-on", "warning", "exit 1 when a finding is at least this severe: info, warning, error or never")
	cmd.RegisterFlagCompletionFunc("format", reportFormatCompletion)
	return cmd
}

// mergeInputs lists the report files: each argument, or the .json and
// .jsonl files under a directory, in path order.
func mergeInputs(args []string) ([]string, error) {
	var paths []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			paths = append(paths, a)
			continue
		}
		found, err := walkCaptures(a)
		if err != nil {
			return nil, err
		}
		n := len(paths)
		for _, f := range found {
			if ext := filepath.Ext(f); ext == ".json" || ext == ".jsonl" {
				paths = append(paths, f)
			}
		}
		if len(paths) == n {
			return nil, fmt.Errorf("%s: no .json or .jsonl report in the directory", a)
		}
	}
	if len(paths) > maxMergeInputs {
		return nil, fmt.Errorf("%d reports: merge reads at most %d at once (merge the merges)", len(paths), maxMergeInputs)
	}
	return paths, nil
}

// merged is what the first pass learnt: the inputs, the order of the
// captures, and the batch without its reports.
type merged struct {
	inputs []*mergeInput
	jsonl  bool
	// order lists the reports as the merged report gives them.
	order []mergeEntry
	head  *engine.Batch
	// bySev counts the findings by severity, for --fail-on.
	bySev map[string]int
}

// isJSONL tells a JSON Lines report from a JSON one by its first byte
// that is no space: a JSON report is an indented object over lines, a
// JSON Lines one an object per line; the name decides when it says.
func isJSONL(path string) (bool, error) {
	switch filepath.Ext(path) {
	case ".jsonl":
		return true, nil
	case ".json":
		return false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	buf := make([]byte, 64)
	n, _ := io.ReadFull(f, buf)
	s := strings.TrimLeft(string(buf[:n]), " \t\r\n")
	return strings.HasPrefix(s, `{"`), nil
}

// readMerge is the first pass: every input read through, the captures
// counted and grouped, the inputs checked against one another.
func readMerge(paths []string) (*merged, error) {
	m := &merged{head: engine.NewBatch(nil, nil, nil), bySev: map[string]int{}}
	fleet := engine.NewFleetBuilder()
	seen := map[string]string{} // capture -> the input that gave it first
	// The problems are listed up to maxProblems, and the others counted:
	// a merge of a set given twice names every capture a duplicate.
	var problems []string
	more := 0
	problem := func(format string, args ...any) {
		if len(problems) < maxProblems {
			problems = append(problems, fmt.Sprintf(format, args...))
		} else {
			more++
		}
	}
	visit := func(in *mergeInput, name string, c engine.FleetCapture, findings []engine.FleetFinding, add func(*engine.BatchSummary)) {
		if first, dup := seen[name]; dup {
			problem("capture %s is in %s and in %s", name, first, in.path)
		} else {
			seen[name] = in.path
		}
		fleet.Add(c, findings)
		add(&m.head.Summary)
		for _, f := range findings {
			m.bySev[string(f.Severity)]++
		}
	}
	kinds := map[bool]int{}
	for i, p := range paths {
		in := &mergeInput{path: p}
		jl, err := isJSONL(p)
		if err != nil {
			return nil, err
		}
		in.jsonl = jl
		kinds[jl]++
		if jl {
			err = readJSONLInput(in, visit)
		} else {
			err = readJSONInput(in, visit)
		}
		if err != nil {
			return nil, err
		}
		for _, f := range in.failed {
			if first, dup := seen[f.Path]; dup {
				problem("capture %s is in %s and in %s", f.Path, first, in.path)
			} else {
				seen[f.Path] = in.path
			}
		}
		if err := placeEntries(in, i); err != nil {
			return nil, err
		}
		m.inputs = append(m.inputs, in)
	}
	if kinds[true] > 0 && kinds[false] > 0 {
		return nil, fmt.Errorf("%d JSON and %d JSON Lines reports: merge reads reports of one format at a time: name the .json files, or the .jsonl ones", kinds[false], kinds[true])
	}
	m.jsonl = kinds[true] > 0
	f := fleet.Fleet()
	f.Reports = len(paths)
	// What is wrong with the set as a whole comes first.
	var set []string
	set = append(set, m.checkShards(f)...)
	if host, ok := fleet.OneHost(); ok && f.Shards != "" {
		set = append(set, fmt.Sprintf("every capture names host %s: one analyze reads them as a series (one machine over time), and the shards analysed each capture alone: analyse them without --shard", host))
	}
	problems = append(set, problems...)
	m.order, m.head.Failed = m.sortEntries()
	m.head.Skipped = m.skipped()
	s := &m.head.Summary
	s.Failed = len(m.head.Failed)
	s.Skipped = len(m.head.Skipped)
	s.Captures = s.Analysed + s.Failed
	if more > 0 {
		problems = append(problems, fmt.Sprintf("and %d more problems", more))
	}
	f.Problems = append(f.Problems, problems...)
	m.head.Fleet = f
	return m, nil
}

// placeEntries gives each capture of an input its position in the whole
// input, from the report's shard, and checks the shard holds together.
func placeEntries(in *mergeInput, i int) error {
	for j := range in.reports {
		in.reports[j].input = i
	}
	in.fpos = make([]int, len(in.failed))
	for j := range in.fpos {
		in.fpos[j] = -1
	}
	in.spos = make([]int, len(in.skipped))
	for j := range in.spos {
		in.spos[j] = -1
	}
	s := in.shard
	if s == nil {
		return nil
	}
	switch {
	case s.Count < 1 || s.Count > maxShards || s.Index < 0 || s.Index >= s.Count:
		return fmt.Errorf("%s: shard %d/%d is no part of a split", in.path, s.Index, s.Count)
	case s.Inputs < 0 || s.Inputs > maxShardInputs:
		return fmt.Errorf("%s: shard of %d captures: out of range", in.path, s.Inputs)
	case len(s.Order) != len(in.reports)+len(in.failed)+len(in.skipped):
		return fmt.Errorf("%s: shard order lists %d files, and the report has %d", in.path, len(s.Order), len(in.reports)+len(in.failed)+len(in.skipped))
	}
	last := -1
	for j, p := range s.Order {
		if p < 0 || p >= s.Inputs {
			return fmt.Errorf("%s: shard order: position %d is not in the %d captures", in.path, p, s.Inputs)
		}
		if j < len(in.reports) {
			if p <= last {
				return fmt.Errorf("%s: shard order: the reports are not in capture order", in.path)
			}
			last = p
			in.reports[j].pos = p
		} else if j < len(in.reports)+len(in.failed) {
			in.fpos[j-len(in.reports)] = p
		} else {
			in.spos[j-len(in.reports)-len(in.failed)] = p
		}
	}
	return nil
}

// checkShards names what is wrong with the set of shards and versions,
// and fills in the fleet's versions and shards.
func (m *merged) checkShards(f *engine.Fleet) []string {
	var problems []string
	versions := func(get func(*engine.Shard) string) []string {
		var out []string
		where := map[string][]string{}
		for _, in := range m.inputs {
			v := ""
			if in.shard != nil {
				v = get(in.shard)
			}
			if _, ok := where[v]; !ok {
				out = append(out, v)
			}
			where[v] = append(where[v], in.path)
		}
		return out
	}
	f.Leakdiag = nonEmpty(versions(func(s *engine.Shard) string { return s.Leakdiag }))
	f.Rules = nonEmpty(versions(func(s *engine.Shard) string { return s.Rules }))
	if len(f.Leakdiag) > 1 {
		problems = append(problems, "reports of different leakdiag versions: "+strings.Join(f.Leakdiag, ", "))
	}
	if len(f.Rules) > 1 {
		problems = append(problems, "reports of different rules: "+strings.Join(f.Rules, ", "))
	}
	counts := map[int]bool{}
	inputs := map[int]bool{}
	given := map[[2]int]string{}
	sharded := 0
	for _, in := range m.inputs {
		if in.shard == nil {
			continue
		}
		sharded++
		s := in.shard
		counts[s.Count] = true
		inputs[s.Inputs] = true
		k := [2]int{s.Index, s.Count}
		if first, ok := given[k]; ok {
			problems = append(problems, fmt.Sprintf("shard %d/%d is given twice: %s and %s", s.Index, s.Count, first, in.path))
		} else {
			given[k] = in.path
		}
	}
	switch {
	case sharded == 0:
		return problems
	case sharded < len(m.inputs):
		problems = append(problems, fmt.Sprintf("%d of the %d reports are shards of a split and the others are not", sharded, len(m.inputs)))
	}
	if len(counts) > 1 || len(inputs) > 1 {
		problems = append(problems, "the shards are of different splits (other shard counts, or other inputs): their captures' order is not one analyze's")
		f.Shards = fmt.Sprintf("%d shards of different splits", len(given))
		return problems
	}
	var n int
	for c := range counts {
		n = c
	}
	var missing []string
	for k := 0; k < n; k++ {
		if _, ok := given[[2]int{k, n}]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	f.Shards = fmt.Sprintf("%d of %d shards", n-len(missing), n)
	if len(missing) > 0 {
		if len(missing) > 10 {
			missing = append(missing[:10], fmt.Sprintf("and %d more", len(missing)-10))
		}
		problems = append(problems, fmt.Sprintf("%s: missing %s", f.Shards, strings.Join(missing, ", ")))
	}
	return problems
}

func nonEmpty(vs []string) []string {
	out := []string{}
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// sortEntries orders the reports, and the captures that failed: those of
// shards by their position in the whole input, as one analyze gives them,
// then those of reports without a shard in the order given.
func (m *merged) sortEntries() ([]mergeEntry, []engine.CaptureError) {
	var order []mergeEntry
	type failed struct {
		pos, input, i int
		e             engine.CaptureError
	}
	var fs []failed
	for i, in := range m.inputs {
		order = append(order, in.reports...)
		for j, e := range in.failed {
			fs = append(fs, failed{in.fpos[j], i, j, e})
		}
	}
	less := entryLess
	sort.SliceStable(order, func(a, b int) bool {
		return less(order[a].pos, order[a].input, order[b].pos, order[b].input)
	})
	sort.SliceStable(fs, func(a, b int) bool { return less(fs[a].pos, fs[a].input, fs[b].pos, fs[b].input) })
	out := []engine.CaptureError{}
	for _, f := range fs {
		out = append(out, f.e)
	}
	return order, out
}

// skipped is the files the inputs skipped as no captures, each once:
// those of shards in their order among the files the arguments name, then
// those of reports without a shard in the order given (every such report
// of one directory names the same ones).
func (m *merged) skipped() []engine.SkippedFile {
	type entry struct {
		pos, input int
		f          engine.SkippedFile
	}
	var all []entry
	for i, in := range m.inputs {
		for j, f := range in.skipped {
			all = append(all, entry{in.spos[j], i, f})
		}
	}
	sort.SliceStable(all, func(a, b int) bool { return entryLess(all[a].pos, all[a].input, all[b].pos, all[b].input) })
	out := []engine.SkippedFile{}
	seen := map[string]bool{}
	for _, e := range all {
		if !seen[e.f.Path] {
			seen[e.f.Path] = true
			out = append(out, e.f)
		}
	}
	return out
}

// entryLess orders what shards give by its position among the files the
// arguments name, before what reports without a shard give, by input.
func entryLess(p1, i1, p2, i2 int) bool {
	switch {
	case (p1 < 0) != (p2 < 0):
		return p1 >= 0
	case p1 != p2:
		return p1 < p2
	}
	return i1 < i2
}

// failing counts the findings that fail the run.
func (m *merged) failing(fail severity.FailOn) int {
	n := 0
	for sev, c := range m.bySev {
		if fail.Fails(severity.Level(sev)) {
			n += c
		}
	}
	return n
}

// write is the second pass for one output: the reports read again from
// the inputs, one at a time, in the merged order.
func (m *merged) write(o reportOutput, w io.Writer) error {
	if m.jsonl {
		return m.copyJSONL(w)
	}
	next, closeAll, err := m.reports()
	if err != nil {
		return err
	}
	defer func() { closeAll() }()
	if sw, ok := o.rep.(reporters.StreamWriter); ok {
		again := func() (func() (*engine.Report, error), error) {
			closeAll()
			n, c, err := m.reports()
			closeAll = c
			return n, err
		}
		return sw.WriteStream(w, reporters.BatchStream{Head: m.head, Next: next, Again: again})
	}
	// These formats need the whole batch (an index of the captures
	// first, the artifacts of SARIF's one run).
	b := *m.head
	for {
		r, err := next()
		if err != nil {
			return err
		}
		if r == nil {
			break
		}
		b.Reports = append(b.Reports, r)
	}
	return o.rep.(reporters.BatchWriter).WriteBatch(w, &b)
}

// reports reads each JSON input's reports again, in the merged order:
// each input's reports are in its order, so one open decoder an input
// gives them.
func (m *merged) reports() (next func() (*engine.Report, error), closeAll func(), err error) {
	open := make([]*jsonBatch, len(m.inputs))
	closeAll = func() {
		for _, b := range open {
			if b != nil {
				b.close()
			}
		}
	}
	i := 0
	next = func() (*engine.Report, error) {
		if i >= len(m.order) {
			return nil, nil
		}
		e := m.order[i]
		i++
		b := open[e.input]
		if b == nil {
			var err error
			if b, err = openJSONBatch(m.inputs[e.input].path); err != nil {
				return nil, err
			}
			open[e.input] = b
		}
		r, err := b.next()
		if err == nil && r == nil {
			err = fmt.Errorf("%s: fewer reports than at the first reading: the file changed", b.path)
		}
		return r, err
	}
	return next, closeAll, nil
}

// copyJSONL writes the merged JSON Lines report: the head's lines, each
// capture's lines copied from its input as they are, the tail's lines.
func (m *merged) copyJSONL(w io.Writer) error {
	if err := reporters.JSONLHead(w, m.head); err != nil {
		return err
	}
	files := make([]*os.File, len(m.inputs))
	defer func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}()
	for _, e := range m.order {
		f := files[e.input]
		if f == nil {
			var err error
			if f, err = os.Open(m.inputs[e.input].path); err != nil {
				return err
			}
			files[e.input] = f
		}
		if _, err := io.Copy(w, io.NewSectionReader(f, e.start, e.end-e.start)); err != nil {
			return err
		}
	}
	return reporters.JSONLTail(w, m.head)
}
