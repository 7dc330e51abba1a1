package prometheus

import (
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Diagnostic codes of the Prometheus readers, besides the facts.Code*
// ones.
const (
	// CodeOtherMetrics: metrics that are not of process handles, not read.
	CodeOtherMetrics = "other-metrics"
	// CodeOtherHosts: samples of other hosts (instance labels) than the
	// one read.
	CodeOtherHosts = "other-hosts"
	// CodeThinned: a query_range response of more sample times than
	// kept; evenly spread ones were kept.
	CodeThinned = "thinned-samples"
)

// expoReader reads exposition text.
type expoReader struct {
	b       *facts.Builder
	log     *facts.SourceLog
	lineNo  int64
	host    string
	hostSet bool
	labels  []string
	// others counts the samples of other metrics, otherFirst the line of
	// the first; skipped those of other hosts.
	others, skipped       int64
	otherFirst, skipFirst int64
	otherHosts            map[string]bool
	latest                int64 // the latest timestamp, ms
	bad                   bool
	// procs counts the processes made, capped the samples past
	// MaxProcesses not read.
	procs, capped int64
	seen          map[string]bool
}

// MaxProcesses bounds the processes of a scrape read: samples of more are
// not read, and a diagnostic says how many.
const MaxProcesses = 1 << 16

// Read reads Prometheus exposition text into b, accounting for every line
// in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	rd := &expoReader{b: b, log: log, otherHosts: map[string]bool{}, seen: map[string]bool{}}
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	var clean scan.Cleaner
	_, _, err := scan.ReadLines(r, log, &rd.lineNo, &clean, func(raw []byte) scan.LineKind {
		return rd.line(string(clean.Clean(raw)))
	})
	if rd.others > 0 {
		log.Diag(rd.otherFirst, facts.SevInfo, CodeOtherMetrics, "%s of metrics that are not of process handles not read", facts.Plural(int(rd.others), "sample"))
	}
	if rd.skipped > 0 {
		log.Diag(rd.skipFirst, facts.SevWarning, CodeOtherHosts, "%s of other hosts (%s) not read: a snapshot is one host's, %s's (the first named)",
			facts.Plural(int(rd.skipped), "sample"), hostList(rd.otherHosts), rd.host)
	}
	at := ""
	if rd.latest > 0 {
		at = time.UnixMilli(rd.latest).UTC().Format(time.RFC3339Nano)
	}
	b.SetHost(rd.host, "", at)
	return err
}

// comment reads a line that starts with '#'. The exposition format
// ignores every comment but HELP, TYPE (and OpenMetrics' UNIT and EOF),
// so a "# -- snip --" or "# ..." left where someone cut the scrape is a
// comment too: it is an elision, said as one, since the processes cut
// are not in the capture. A "#" line of prose words (a markdown heading
// above the paste) is text around it, as before.
func (rd *expoReader) comment(text string) scan.LineKind {
	f := strings.Fields(text)
	if len(f) >= 2 && (f[1] == "HELP" || f[1] == "TYPE" || f[1] == "EOF" || f[1] == "UNIT") {
		return scan.Ignored
	}
	if body := strings.TrimSpace(strings.TrimLeft(text, "#")); body != "" && scan.IsElision([]byte(body)) {
		rd.log.Diag(rd.lineNo, facts.SevInfo, facts.CodeElision, "the capture omits output here (an elision by whoever pasted it)")
		return scan.Ignored
	}
	return scan.Unrecognized
}

func (rd *expoReader) line(text string) scan.LineKind {
	text = strings.TrimSpace(text)
	switch {
	case text == "", strings.HasPrefix(text, "```"):
		return scan.Ignored
	case strings.HasPrefix(text, "#"):
		return rd.comment(text)
	}
	s, ok := parseSample(text, rd.labels)
	if !ok {
		if isFetch(text) {
			return scan.Ignored // the command that fetched the page
		}
		return scan.Unrecognized
	}
	rd.labels = s.labels
	m, known := metrics[s.name]
	if !known {
		if rd.others == 0 {
			rd.otherFirst = rd.lineNo
		}
		rd.others++
		return scan.Ignored
	}
	if inst := label(s.labels, "instance"); !rd.hostSet || hostOf(inst) != rd.host {
		if !rd.hostSet {
			rd.host, rd.hostSet = hostOf(inst), true
		} else {
			if rd.skipped == 0 {
				rd.skipFirst = rd.lineNo
			}
			rd.skipped++
			if len(rd.otherHosts) < 100 {
				rd.otherHosts[hostOf(inst)] = true
			}
			return scan.Parsed
		}
	}
	if m.q == poolBytes && label(s.labels, "pool") != "nonpaged" {
		return scan.Parsed // paged pool: not read
	}
	pid, image, instance, isProc := identity(m, s.labels)
	if !isProc {
		return scan.Parsed // _Total, Idle
	}
	v, ok := count(s.value)
	if !ok {
		if !rd.bad {
			rd.bad = true
			rd.log.Diag(rd.lineNo, facts.SevInfo, facts.CodeMissing, "value %v is no count: not read", s.value)
		}
		return scan.Parsed
	}
	if s.ms > rd.latest {
		rd.latest = s.ms
	}
	pos := facts.Position{Path: rd.log.Path, Line: rd.lineNo}
	key := instance
	if pid != 0 {
		key = strconv.FormatUint(pid, 10)
	}
	if !rd.seen[key] {
		if rd.procs >= MaxProcesses {
			if rd.capped == 0 {
				rd.log.Diag(rd.lineNo, facts.SevWarning, facts.CodeCapped, "more than %d processes: the samples of the others not read", MaxProcesses)
			}
			rd.capped++
			return scan.Parsed
		}
		rd.seen[key] = true
		rd.procs++
	}
	var pb *facts.ProcessBuilder
	if pid != 0 {
		pb = rd.b.ProcessByPID(pid, pos)
	} else {
		pb = rd.b.ProcessByInstance(instance, pos)
	}
	p := pb.P
	if p.Image == "" {
		p.Image = image
	}
	p.Instance = instance
	if pp := parseUint(label(s.labels, "creating_process_id")); pp != 0 {
		p.PPID = pp
	}
	switch m.q {
	case handles:
		p.HandleCount = &v
	case privateBytes:
		p.PrivateBytes = &v
	case poolBytes:
		p.PoolNonpagedBytes = &v
	case fdLimit:
		p.FDLimit = &v
	}
	return scan.Parsed
}

func hostList(hosts map[string]bool) string {
	out := make([]string, 0, len(hosts))
	for h := range hosts {
		if h == "" {
			h = "no instance label"
		}
		out = append(out, h)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// isFetch tells the command line that fetched a scrape, as pasted with
// it: curl, wget, PowerShell's Invoke-WebRequest.
func isFetch(text string) bool {
	lower := strings.ToLower(text)
	for _, cmd := range []string{"curl ", "curl.exe ", "wget ", "wget.exe ", "invoke-webrequest ", "invoke-restmethod ", "iwr ", "irm "} {
		if strings.HasPrefix(lower, cmd) || strings.Contains(lower, "$ "+cmd) || strings.Contains(lower, "> "+cmd) {
			return true
		}
	}
	return false
}
