package engine

import (
	"sort"
	"strings"
	"time"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/severity"
)

// Shard says which part of a sharded batch a report covers (analyze
// --shard K/N): the K-th (from 0) of Count disjoint parts of the Inputs
// files the arguments name, the leakdiag and rules that analysed it, and where each of its
// captures stands in the whole input, so that a merge restores the order
// one analyze over every capture gives.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
	// Leakdiag and Rules are leakdiag's version and a digest of the rule
	// files that ran (RulesVersion): a merge of reports that differ in
	// either mixes two analyses and says so.
	Leakdiag string `json:"leakdiag_version"`
	Rules    string `json:"rules_version"`
	// Inputs is the number of files the arguments name (captures and
	// others), every shard's: the split is of files, by path, before any
	// is read.
	Inputs int `json:"inputs"`
	// Order is the position among them (from 0) of each report, then of
	// each capture that could not be analysed, then of each file skipped
	// as no capture, in the report's order.
	Order []int `json:"order"`
}

// Fleet is the summary of a merge of reports: findings grouped by
// component, rule and image across captures and hosts, with what the
// merge found wrong with its inputs.
type Fleet struct {
	// Reports is the number of reports merged; Shards says which parts
	// of a sharded run they are ("4 of 4 shards"), "" when none was
	// sharded.
	Reports int    `json:"reports"`
	Shards  string `json:"shards,omitempty"`
	// Leakdiag and Rules are the versions the reports give, each once, in
	// the order first seen ("" for a report that gives none).
	Leakdiag []string `json:"leakdiag_versions"`
	Rules    []string `json:"rules_versions"`
	// Captures counts the captures analysed; Hosts the distinct hosts
	// they name (case ignored), a capture that names none counting as a
	// host of its own.
	Captures int `json:"captures"`
	Hosts    int `json:"hosts"`
	// Groups are in order of hosts affected, most first.
	Groups []FleetGroup `json:"groups"`
	// Problems are what is wrong with the inputs: mixed versions,
	// duplicate captures, missing shards. Nothing is dropped for them.
	Problems []string `json:"problems"`
}

// FleetGroup is the findings of one rule on one image attributed to one
// component, across the fleet.
type FleetGroup struct {
	Component string         `json:"component"`
	Vendor    string         `json:"vendor,omitempty"`
	RuleID    string         `json:"rule_id"`
	Title     string         `json:"title"`
	Image     string         `json:"image,omitempty"`
	Severity  severity.Level `json:"severity"`
	Hosts     int            `json:"hosts"`
	Captures  int            `json:"captures"`
	Findings  int            `json:"findings"`
	// WorstScore is the highest score of its findings.
	WorstScore float64 `json:"worst_score"`
	// FirstSeen and LastSeen are the earliest and latest capture times
	// (RFC 3339, UTC) of the captures that give one; "" when none does.
	FirstSeen string `json:"first_seen,omitempty"`
	LastSeen  string `json:"last_seen,omitempty"`
	// CaptureList names the captures behind the group, the first
	// FleetCaptureLimit in path order (whatever order the reports are
	// merged in); MoreCaptures counts the others.
	CaptureList  []string `json:"capture_list"`
	MoreCaptures int      `json:"more_captures"`
}

// FleetCaptureLimit bounds the captures a fleet group names, so that a
// group's size does not grow with the fleet's.
const FleetCaptureLimit = 20

// FleetCapture is what grouping needs of one analysed capture.
type FleetCapture struct {
	// Name is the capture's files, as reports name it.
	Name       string
	Host       string
	CapturedAt string
}

// FleetFinding is what grouping needs of one finding.
type FleetFinding struct {
	RuleID, Title     string
	Severity          severity.Level
	Score             float64
	Component, Vendor string
	Image             string
}

// FleetBuilder groups findings capture by capture, holding the groups and
// the set of hosts but no finding.
type FleetBuilder struct {
	hosts    map[string]bool
	captures int
	groups   map[fleetKey]*fleetGroup
}

type fleetKey struct{ component, vendor, rule, image string }

type fleetGroup struct {
	FleetGroup
	hosts       map[string]bool
	first, last time.Time
}

// NewFleetBuilder returns an empty builder.
func NewFleetBuilder() *FleetBuilder {
	return &FleetBuilder{hosts: map[string]bool{}, groups: map[fleetKey]*fleetGroup{}}
}

// hostKey is the host a capture counts for: its host name, case ignored,
// or the capture itself when it names none.
func hostKey(c FleetCapture) string {
	if c.Host == "" {
		return "\x00" + c.Name
	}
	return strings.ToLower(c.Host)
}

// Add counts one analysed capture and its findings.
func (b *FleetBuilder) Add(c FleetCapture, findings []FleetFinding) {
	b.captures++
	host := hostKey(c)
	b.hosts[host] = true
	at, timed := facts.ParseCaptureTime(c.CapturedAt)
	seen := map[fleetKey]bool{}
	for _, f := range findings {
		k := fleetKey{f.Component, f.Vendor, f.RuleID, f.Image}
		g := b.groups[k]
		if g == nil {
			g = &fleetGroup{FleetGroup: FleetGroup{Component: f.Component, Vendor: f.Vendor, RuleID: f.RuleID, Title: f.Title,
				Image: f.Image, Severity: f.Severity, WorstScore: f.Score, CaptureList: []string{}}, hosts: map[string]bool{}}
			b.groups[k] = g
		}
		g.Findings++
		if f.Severity.Rank() > g.Severity.Rank() {
			g.Severity = f.Severity
		}
		g.WorstScore = max(g.WorstScore, f.Score)
		if seen[k] {
			continue
		}
		seen[k] = true
		g.hosts[host] = true
		g.Captures++
		g.CaptureList = keepFirst(g.CaptureList, c.Name, FleetCaptureLimit)
		g.MoreCaptures = g.Captures - len(g.CaptureList)
		if timed {
			if g.first.IsZero() || at.Before(g.first) {
				g.first = at
			}
			if g.last.IsZero() || at.After(g.last) {
				g.last = at
			}
		}
	}
}

// OneHost returns the host every capture names, when there are at least
// two captures and they all name the same one (case ignored).
func (b *FleetBuilder) OneHost() (string, bool) {
	if b.captures < 2 || len(b.hosts) != 1 {
		return "", false
	}
	for h := range b.hosts {
		return h, !strings.HasPrefix(h, "\x00")
	}
	return "", false
}

// Fleet returns the groups, most hosts first (then most captures, the
// worst severity, worst score, component, rule, image), with the counts of captures and hosts.
// The caller fills in what it knows of the inputs (Reports, Shards,
// versions, Problems).
func (b *FleetBuilder) Fleet() *Fleet {
	f := &Fleet{Captures: b.captures, Hosts: len(b.hosts), Groups: []FleetGroup{}, Leakdiag: []string{}, Rules: []string{}, Problems: []string{}}
	for _, g := range b.groups {
		g.Hosts = len(g.hosts)
		if !g.first.IsZero() {
			g.FirstSeen = g.first.UTC().Format(time.RFC3339)
			g.LastSeen = g.last.UTC().Format(time.RFC3339)
		}
		f.Groups = append(f.Groups, g.FleetGroup)
	}
	sort.Slice(f.Groups, func(i, j int) bool {
		a, c := f.Groups[i], f.Groups[j]
		switch {
		case a.Hosts != c.Hosts:
			return a.Hosts > c.Hosts
		case a.Captures != c.Captures:
			return a.Captures > c.Captures
		case a.Severity.Rank() != c.Severity.Rank():
			return a.Severity.Rank() > c.Severity.Rank()
		case a.WorstScore != c.WorstScore:
			return a.WorstScore > c.WorstScore
		case a.Component != c.Component:
			return a.Component < c.Component
		case a.Vendor != c.Vendor:
			return a.Vendor < c.Vendor
		case a.RuleID != c.RuleID:
			return a.RuleID < c.RuleID
		}
		return a.Image < c.Image
	})
	return f
}

// FleetFindings returns what grouping needs of a report's findings.
func FleetFindings(r *Report) []FleetFinding {
	out := make([]FleetFinding, 0, len(r.Findings))
	for _, f := range r.Findings {
		ff := FleetFinding{RuleID: f.RuleID, Title: f.Title, Severity: f.Severity, Score: f.Score,
			Component: f.Component.Name, Vendor: f.Component.Vendor}
		if f.Process != nil {
			ff.Image = f.Process.Image
		}
		out = append(out, ff)
	}
	return out
}

// keepFirst adds name to list, sorted, and keeps the first n names.
func keepFirst(list []string, name string, n int) []string {
	i := sort.SearchStrings(list, name)
	if i >= n {
		return list
	}
	if len(list) < n {
		list = append(list, "")
	}
	copy(list[i+1:], list[i:])
	list[i] = name
	return list
}
