package prometheus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Bounds on a query_range response read: the series, and the samples of
// all of them together. A response past them is refused: narrow the
// query or widen its step.
const (
	MaxSeries  = 100_000
	MaxSamples = 5_000_000
	// MaxHosts bounds the hosts of a response: a series each.
	MaxHosts = 1000
)

// MaxPoints is the most sample times of a response kept as snapshots,
// and MaxProcessPoints bounds the times kept times the processes, as a
// counter log's are (see counterlog): evenly spread, the first and the
// last among them.
const (
	MaxPoints        = scan.MaxSeriesPoints
	MaxProcessPoints = scan.MaxSeriesProcessPoints
)

// pair is one [timestamp, "value"] of a series.
type pair struct {
	ms int64
	v  float64
}

func (p *pair) UnmarshalJSON(b []byte) error {
	// [1700000000.123,"42"]: read by hand, as a day of a thousand
	// processes has hundreds of thousands of them.
	t := bytes.TrimSpace(b)
	if len(t) < 2 || t[0] != '[' || t[len(t)-1] != ']' {
		return fmt.Errorf("sample %.40s: want [time, \"value\"]", b)
	}
	ts, v, ok := bytes.Cut(t[1:len(t)-1], []byte{','})
	if !ok {
		return fmt.Errorf("sample %.40s: want [time, \"value\"]", b)
	}
	sec, err := strconv.ParseFloat(string(bytes.TrimSpace(ts)), 64)
	if err != nil {
		return fmt.Errorf("sample time %.40s: %w", ts, err)
	}
	v = bytes.TrimSpace(v)
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return fmt.Errorf("sample value %.40s: want a quoted number", v)
	}
	if p.v, err = strconv.ParseFloat(string(v[1:len(v)-1]), 64); err != nil {
		return fmt.Errorf("sample value %.40s: %w", v, err)
	}
	p.ms = int64(sec*1000 + 0.5)
	return nil
}

type rangeSeries struct {
	Metric map[string]string `json:"metric"`
	Values []pair            `json:"values"`
	// Value is the one sample of a vector (an instant query).
	Value *pair `json:"value"`
}

// rangeProc is one process of a response: its identity and samples.
type rangeProc struct {
	host            string // the instance label
	pid             uint64
	image, instance string
	handles, priv   []pair
	pool            []pair
}

// lineCounter counts the lines of what is read through it.
type lineCounter struct {
	r     io.Reader
	lines int64
	last  byte
	n     int64
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.lines += int64(bytes.Count(p[:n], []byte{'\n'}))
	if n > 0 {
		c.last = p[n-1]
		c.n += int64(n)
	}
	return n, err
}

func (c *lineCounter) total() int64 {
	if c.n > 0 && c.last != '\n' {
		return c.lines + 1
	}
	return c.lines
}

// ReadRange reads the JSON of a query_range response (GET
// /api/v1/query_range) of the metrics Read reads (or of an instant
// query, GET /api/v1/query: a vector, a sample per process): a snapshot per sample
// time, oldest first, of each host its instance labels name (a series
// each, the hosts in name order, the host without an instance label
// first), at most MaxHosts. The document's lines are all parsed, or,
// when it breaks off, those after the break unrecognized; the
// diagnostics go with every host's last snapshot.
func ReadRange(log *facts.SourceLog, r io.Reader) ([]*facts.Snapshot, error) {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	lc := &lineCounter{r: r}
	procs, order, hosts, err := decodeRange(log, lc)
	io.Copy(io.Discard, lc) // the lines after the document, counted
	total := lc.total()
	log.Lines.Total = total
	if err != nil {
		if len(order) == 0 {
			return nil, err
		}
		at := min(max(lc.lines-1, 1), total)
		log.Lines.Parsed, log.Lines.Unrecognized = at, total-at
		log.Diag(at, facts.SevWarning, facts.CodeTruncated, "the response breaks off (%v): the series before are read", err)
		for l := at + 1; l <= total; l++ {
			log.Diag(l, facts.SevWarning, facts.CodeUnrecognized, "unrecognized line: after the break of the response at line %d", at)
		}
	} else {
		log.Lines.Parsed = total
	}
	if len(hosts) > MaxHosts {
		return nil, fmt.Errorf("a query_range response of %d hosts, more than %d: select fewer in the query, windows_process_handles{instance=~\"web0.*\"}", len(hosts), MaxHosts)
	}
	names := make([]string, 0, len(hosts))
	for h := range hosts {
		names = append(names, h)
	}
	sort.Strings(names)
	budget := &rangeBudget{processes: len(order), hosts: max(len(names), 1)}
	var out []*facts.Snapshot
	for _, h := range names {
		var mine []string
		for _, key := range order {
			if procs[key].host == h {
				mine = append(mine, key)
			}
		}
		out = append(out, rangeSnapshots(log, hostOf(h), procs, mine, budget)...)
	}
	if len(out) == 0 {
		out = rangeSnapshots(log, "", procs, nil, budget)
	}
	return out, nil
}

// decodeRange reads the response, a series at a time.
func decodeRange(log *facts.SourceLog, r io.Reader) (map[string]*rangeProc, []string, map[string]bool, error) {
	dec := json.NewDecoder(r)
	procs, hosts := map[string]*rangeProc{}, map[string]bool{}
	var order []string
	samples, series, other := 0, 0, 0
	if err := expectDelim(dec, '{'); err != nil {
		return nil, nil, nil, err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return procs, order, hosts, err
		}
		switch key {
		case "status":
			var st string
			if err := dec.Decode(&st); err != nil {
				return procs, order, hosts, err
			}
			if st != "success" {
				return nil, nil, nil, fmt.Errorf("the response's status is %q, not success", st)
			}
		case "data":
			if err := expectDelim(dec, '{'); err != nil {
				return procs, order, hosts, err
			}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return procs, order, hosts, err
				}
				switch k {
				case "resultType":
					var rt string
					if err := dec.Decode(&rt); err != nil {
						return procs, order, hosts, err
					}
					if rt != "matrix" && rt != "vector" {
						return nil, nil, nil, fmt.Errorf("result type %q: a query_range response is a matrix (an instant query's, a vector)", rt)
					}
				case "result":
					if err := expectDelim(dec, '['); err != nil {
						return procs, order, hosts, err
					}
					for dec.More() {
						var s rangeSeries
						if err := dec.Decode(&s); err != nil {
							return procs, order, hosts, err
						}
						if s.Value != nil {
							s.Values = append(s.Values, *s.Value)
						}
						series++
						samples += len(s.Values)
						if series > MaxSeries || samples > MaxSamples {
							return nil, nil, nil, fmt.Errorf("more than %d series or %d samples: narrow the query or widen its step", MaxSeries, MaxSamples)
						}
						if !addSeries(procs, &order, hosts, s) {
							other++
						}
					}
					if _, err := dec.Token(); err != nil {
						return procs, order, hosts, err
					}
				default:
					var skip json.RawMessage
					if err := dec.Decode(&skip); err != nil {
						return procs, order, hosts, err
					}
				}
			}
			if _, err := dec.Token(); err != nil {
				return procs, order, hosts, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return procs, order, hosts, err
			}
		}
	}
	if other > 0 {
		log.Diag(1, facts.SevInfo, CodeOtherMetrics, "%s of metrics that are not of process handles not read", facts.Plural(other, "series"))
	}
	return procs, order, hosts, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return errors.New("not a Prometheus query_range response")
	}
	return nil
}

// addSeries files a series under its process; false for a series of a
// metric not read.
func addSeries(procs map[string]*rangeProc, order *[]string, hosts map[string]bool, s rangeSeries) bool {
	labels := make([]string, 0, 2*len(s.Metric))
	for k, v := range s.Metric {
		labels = append(labels, k, v)
	}
	name := s.Metric["__name__"]
	m, known := metrics[name]
	if !known && name == "" {
		// An aggregation drops the name: the labels tell what it was.
		switch {
		case s.Metric["process_id"] != "" || s.Metric["process"] != "":
			m, known = metric{handles, byPID}, true
		case s.Metric["groupname"] != "":
			m, known = metric{handles, byGroup}, true
		}
	}
	if !known || m.q == fdLimit || (m.q == poolBytes && s.Metric["pool"] != "nonpaged") {
		return false
	}
	pid, image, instance, ok := identity(m, labels)
	if !ok {
		return true
	}
	hosts[s.Metric["instance"]] = true
	key := s.Metric["instance"] + "\x00" + strconv.FormatUint(pid, 10) + "\x00" + instance
	p := procs[key]
	if p == nil {
		p = &rangeProc{host: s.Metric["instance"], pid: pid, image: image, instance: instance}
		procs[key] = p
		*order = append(*order, key)
	}
	vals := s.Values
	sort.SliceStable(vals, func(i, j int) bool { return vals[i].ms < vals[j].ms })
	switch m.q {
	case handles:
		p.handles = append(p.handles, vals...)
	case privateBytes:
		p.priv = append(p.priv, vals...)
	case poolBytes:
		p.pool = append(p.pool, vals...)
	}
	return true
}

// rangeBudget is what the times kept of each host's series depend on:
// the response's processes and hosts (scan.HostSeriesPoints), and
// whether the thinning was said already (once for all hosts).
type rangeBudget struct {
	processes, hosts int
	thinnedSaid      bool
}

// rangeSnapshots makes a snapshot of each sample time kept of a host's
// processes, order.
func rangeSnapshots(log *facts.SourceLog, host string, procs map[string]*rangeProc, order []string, budget *rangeBudget) []*facts.Snapshot {
	seen := map[int64]bool{}
	var times []int64
	for _, key := range order {
		for _, v := range procs[key].handles {
			if !seen[v.ms] {
				seen[v.ms] = true
				times = append(times, v.ms)
			}
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	keep := scan.HostSeriesPoints(budget.processes, budget.hosts)
	if len(times) > keep {
		if !budget.thinnedSaid {
			budget.thinnedSaid = true
			if budget.hosts > 1 {
				log.Diag(1, facts.SevInfo, CodeThinned, "%s in the first host's series; at most %d kept of each of the %d hosts' series, evenly spread (the first and the last among them)", facts.Plural(len(times), "sample time"), keep, budget.hosts)
			} else {
				log.Diag(1, facts.SevInfo, CodeThinned, "%s; %d of them kept, evenly spread (the first and the last among them), for the series", facts.Plural(len(times), "sample time"), keep)
			}
		}
		kept := make([]int64, keep)
		for i := range kept {
			kept[i] = times[i*(len(times)-1)/(keep-1)]
		}
		times = kept
	}
	if len(times) == 0 {
		return []*facts.Snapshot{{SchemaVersion: facts.SchemaVersion, Host: host, Sources: []facts.Source{}, Processes: []*facts.Process{}, Diagnostics: []facts.Diagnostic{}}}
	}
	out := make([]*facts.Snapshot, len(times))
	for i, t := range times {
		snap := &facts.Snapshot{SchemaVersion: facts.SchemaVersion, Host: host, CapturedAt: time.UnixMilli(t).UTC().Format(time.RFC3339Nano),
			Sources: []facts.Source{}, Processes: []*facts.Process{}, Diagnostics: []facts.Diagnostic{}}
		for _, key := range order {
			rp := procs[key]
			h, ok := valueAt(rp.handles, t)
			if !ok {
				continue
			}
			p := &facts.Process{PID: rp.pid, Image: rp.image, Instance: rp.instance, HandleCount: &h,
				ByType: noCounts, UnnamedByType: noCounts, TopNames: []facts.NameCount{}, OpenStacks: []facts.Stack{},
				Source: facts.Position{Path: log.Path, Line: 1}}
			if v, ok := valueAt(rp.priv, t); ok {
				p.PrivateBytes = &v
			}
			if v, ok := valueAt(rp.pool, t); ok {
				p.PoolNonpagedBytes = &v
			}
			snap.Processes = append(snap.Processes, p)
		}
		facts.SortProcesses(snap.Processes)
		out[i] = snap
	}
	return out
}

// noCounts is the empty map of counts by type every process shares:
// nothing writes to a snapshot's processes once read.
var noCounts = map[string]int64{}

// valueAt finds the value at ms in vals (sorted by time).
func valueAt(vals []pair, ms int64) (int64, bool) {
	i := sort.Search(len(vals), func(i int) bool { return vals[i].ms >= ms })
	if i == len(vals) || vals[i].ms != ms {
		return 0, false
	}
	return count(vals[i].v)
}
