package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/severity"
)

// seriesFlags are --series and --at: several captures of one machine
// over time, and when each was taken.
type seriesFlags struct {
	on bool
	// off: --series=false, the captures are not one machine over time
	// whatever they show.
	off bool
	at  []string // FILE=TIME
}

func (s *seriesFlags) flags(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&s.on, "series", false, "the captures are one machine over time: report growth (implied when every capture names the same host, or none names one and they show the same processes; --series=false: never)")
	cmd.Flags().StringArrayVar(&s.at, "at", nil, "FILE=TIME: when FILE was captured (RFC 3339, or 2006-01-02 15:04 in UTC), where the capture does not say (repeatable)")
}

// check reads whether --series was set to false, and refuses --at with
// it.
func (s *seriesFlags) check(cmd *cobra.Command) error {
	s.off = cmd.Flags().Changed("series") && !s.on
	if s.off && len(s.at) > 0 {
		return fmt.Errorf("--at gives the times of a series, and --series=false says the captures are none")
	}
	return nil
}

// times parses --at for the captures named by paths, in their order.
func (s *seriesFlags) times(paths []string) ([]time.Time, error) {
	given := map[string]time.Time{}
	for _, a := range s.at {
		file, when, ok := strings.Cut(a, "=")
		if !ok || file == "" {
			return nil, fmt.Errorf("--at %q: want FILE=TIME", a)
		}
		t, err := parseAt(when)
		if err != nil {
			return nil, fmt.Errorf("--at %q: %v", a, err)
		}
		given[file] = t
	}
	out := make([]time.Time, len(paths))
	for i, p := range paths {
		if t, ok := given[p]; ok {
			out[i] = t
			delete(given, p)
		}
	}
	for file := range given {
		return nil, fmt.Errorf("--at %s: not one of the captures", file)
	}
	return out, nil
}

func parseAt(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not RFC 3339 (2026-11-27T10:00:00Z) nor 2006-01-02 15:04 (UTC)", s)
}

// sameHost: every capture names its machine, and it is the same one.
func sameHost(snaps []*facts.Snapshot) bool {
	if len(snaps) < 2 {
		return false
	}
	for _, s := range snaps {
		if s.Host == "" || !strings.EqualFold(s.Host, snaps[0].Host) {
			return false
		}
	}
	return true
}

// seriesReason says why a batch's captures are one machine over time, or
// "" when they are not (or --series=false says so): --series or --at say
// so; every capture names the same host; or none names one and they show
// the same processes (facts.SameProcesses). Captures that could not be
// read (nil) make no series but by the flags.
func seriesReason(sf *seriesFlags, snaps []*facts.Snapshot) string {
	switch {
	case sf.off:
		return ""
	case sf.on:
		return "--series says so"
	case len(sf.at) > 0:
		return "--at gives their times"
	case len(nonNilSnaps(snaps)) < len(snaps):
		return ""
	case sameHost(snaps):
		return "they name the same host, " + snaps[0].Host
	}
	if n, ok := facts.SameProcesses(snaps); ok {
		return fmt.Sprintf("they name no host and show the same %d processes", n)
	}
	return ""
}

// seriesFileReason says why the snapshots of one file are a series: the
// samples of a counter log, the runs of a command pasted before and after
// a test, or a series file.
func seriesFileReason(snaps []*facts.Snapshot) string {
	if src := snaps[0].Sources; len(src) == 1 {
		if noun := dumpreader.SeriesNoun(dumpreader.Format(src[0].Format)); noun != "" {
			return "they are the samples of one " + noun + " (" + src[0].Path + ")"
		}
		if noun := dumpreader.EarlierNoun(dumpreader.Format(src[0].Format)); noun != "" {
			return "they are the " + noun + " that " + src[0].Path + " holds, pasted one after another (before and after)"
		}
	}
	return "they are one series file, as leakdiag collect --count writes"
}

// newSeries makes the series of snaps, read from the files names (one
// each), or all from the series file from. Its errors name the files: the
// sources a snapshot names (/proc, for every snapshot collect writes) do
// not tell its captures apart.
func newSeries(snaps []*facts.Snapshot, times []time.Time, names []string, from string) (*facts.Series, error) {
	s, err := facts.NewSeries(snaps, times)
	switch {
	case err == nil:
		return s, nil
	case from != "":
		return nil, fmt.Errorf("series file %s: %w", from, err)
	}
	// Name the files whose captures are at one time, as NewSeries
	// compares them.
	at := map[time.Time]string{}
	for i, snap := range snaps {
		t, ok := time.Time{}, false
		if i < len(times) && !times[i].IsZero() {
			t, ok = times[i], true
		} else {
			t, ok = facts.ParseCaptureTime(snap.CapturedAt)
		}
		if !ok || i >= len(names) || names[i] == "" {
			continue
		}
		if first, dup := at[t]; dup {
			return nil, fmt.Errorf("%s and %s: %w", first, names[i], err)
		}
		at[t] = names[i]
	}
	return nil, err
}

// analyseSeries runs the rules over the last capture of a series with the
// growth across it known, and writes the report, which names the files
// skipped as no captures. from is the series file that holds the
// captures, "" when they are the files names.
func analyseSeries(cmd *cobra.Command, snaps []*facts.Snapshot, names []string, from, why string, skipped []engine.SkippedFile, sf *seriesFlags,
	run func(*facts.Series) (*engine.Report, error), outs outputs, failOn severity.FailOn) error {
	times, err := sf.times(names)
	if err != nil {
		return err
	}
	s, err := newSeries(snaps, times, names, from)
	if err != nil {
		return err
	}
	s.Why = why
	report, err := run(s)
	if err != nil {
		return err
	}
	report.Summary.Skipped = skipped
	if err := outs.write(cmd.OutOrStdout(), report); err != nil {
		return err
	}
	if err := ruleFailures(report); err != nil {
		return err
	}
	if n := failing(report, failOn); n > 0 {
		return errFindings{n}
	}
	return nil
}

// seriesByHost splits the snapshots of one file into the runs of one host
// each: a query_range response of several hosts holds their series one
// after another.
func seriesByHost(snaps []*facts.Snapshot) [][]*facts.Snapshot {
	var out [][]*facts.Snapshot
	for i, s := range snaps {
		if i == 0 || !strings.EqualFold(s.Host, snaps[i-1].Host) {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], s)
	}
	return out
}

// analyseHosts analyses the series of each host of one file (a
// query_range response of several hosts) on its own, and writes them as
// a batch: a report per host.
func analyseHosts(cmd *cobra.Command, hosts [][]*facts.Snapshot, from string, skipped []engine.SkippedFile,
	runOne func(*facts.Snapshot) (*engine.Report, error), runSeries func(*facts.Series) (*engine.Report, error), outs outputs, failOn severity.FailOn) error {
	for _, o := range outs {
		if f, _ := reporters.Lookup(o.format); !f.Batch {
			return fmt.Errorf("--format %s reports one capture; %s holds %d hosts' series: select one host in the query", o.format, from, len(hosts))
		}
	}
	reports := make([]*engine.Report, 0, len(hosts))
	for _, snaps := range hosts {
		var r *engine.Report
		var err error
		if len(snaps) == 1 {
			r, err = runOne(snaps[0])
		} else {
			var s *facts.Series
			if s, err = newSeries(snaps, nil, nil, from); err == nil {
				s.Why = fmt.Sprintf("they are host %s's samples in %s", snaps[0].Host, from)
				r, err = runSeries(s)
			}
		}
		if err != nil {
			return fmt.Errorf("host %s: %w", snaps[0].Host, err)
		}
		reports = append(reports, r)
	}
	batch := engine.NewBatch(reports, nil, skipped)
	if err := outs.writeBatch(cmd.OutOrStdout(), batch); err != nil {
		return err
	}
	return batchExit(batch, failOn)
}
