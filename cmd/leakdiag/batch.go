package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/rules"
	"github.com/leakdiag/leakdiag/severity"
)

// errCaptures marks a batch in which some captures could not be read: exit
// 2, after the others are reported.
type errCaptures struct{ n int }

func (e errCaptures) Error() string {
	return fmt.Sprintf("%s could not be analysed (see the report)", facts.Plural(e.n, "capture"))
}

// parallel runs f(0..n-1), jobs at a time.
func parallel(jobs, n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func nonNilSnaps(snaps []*facts.Snapshot) []*facts.Snapshot {
	var out []*facts.Snapshot
	for _, s := range snaps {
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// analyseBatch analyses each capture on its own, jobs at a time, and writes
// the batch's reports. Reports keep the captures' order whatever order the
// workers finish in.
//
// Captures that are one machine over time (seriesReason: --series, the
// same host, or no host and the same processes) are analysed as a series
// instead, unless one of them is a series itself (a counter log): then
// each is analysed on its own, a counter log as its series.
func analyseBatch(cmd *cobra.Command, captures [][]string, part *shardPart, skipped []engine.SkippedFile, jobs int, set *rules.Set,
	readOpts dumpreader.Options, opts engine.Options, outs outputs, failOn severity.FailOn,
	sf *seriesFlags, runSeries func(*facts.Series) (*engine.Report, error), showProgress bool) error {
	snaps := make([]*facts.Snapshot, len(captures))
	errs := make([]error, len(captures))
	var bar *progress
	if showProgress {
		bar = newProgress(cmd.ErrOrStderr(), len(captures))
	}
	// inFile[i] is the series capture i holds itself (a counter log),
	// nil for a capture of one time.
	inFile := make([][]*facts.Snapshot, len(captures))
	parallel(jobs, len(captures), func(i int) {
		if len(captures[i]) > 1 {
			snaps[i], errs[i] = dumpreader.ReadFiles(captures[i], readOpts)
		} else if all, err := dumpreader.ReadSeries(captures[i], readOpts); err != nil {
			errs[i] = err
		} else {
			snaps[i] = all[len(all)-1]
			if len(all) > 1 {
				inFile[i] = all
			}
			if hosts := seriesByHost(all); len(hosts) > 1 {
				snaps[i], inFile[i], errs[i] = nil, nil, fmt.Errorf("%s holds the series of %d hosts: analyse it on its own", captures[i][0], len(hosts))
			}
		}
		bar.done()
	})
	bar.finish()
	if err := cmd.Context().Err(); err != nil {
		return err
	}
	series := 0
	for _, s := range inFile {
		if s != nil {
			series++
		}
	}
	if why := seriesReason(sf, snaps); why != "" && series == 0 {
		names := make([]string, len(captures))
		for i, c := range captures {
			if errs[i] != nil {
				return errs[i]
			}
			names[i] = c[0]
		}
		return analyseSeries(cmd, snaps, names, "", why, skipped, sf, runSeries, outs, failOn)
	}
	for _, o := range outs {
		if f, _ := reporters.Lookup(o.format); !f.Batch {
			return fmt.Errorf("--format %s reports one capture; with %d captures run once per capture", o.format, len(captures))
		}
	}
	reports := make([]*engine.Report, len(captures))
	parallel(jobs, len(captures), func(i int) {
		switch {
		case errs[i] != nil:
		case inFile[i] != nil:
			// A capture that is a series itself: its growth.
			var s *facts.Series
			if s, errs[i] = newSeries(inFile[i], nil, nil, captures[i][0]); errs[i] == nil {
				s.Why = seriesFileReason(inFile[i])
				reports[i], errs[i] = runSeries(s)
			}
			inFile[i] = nil
		default:
			reports[i], errs[i] = engine.Run(cmd.Context(), set, snaps[i], opts)
		}
		snaps[i] = nil
	})
	if err := cmd.Context().Err(); err != nil {
		return err
	}
	var failed []engine.CaptureError
	for i, err := range errs {
		if err != nil {
			failed = append(failed, engine.CaptureError{Path: strings.Join(captures[i], ", "), Error: err.Error()})
		}
	}
	batch := engine.NewBatch(reports, failed, skipped)
	batch.Shard = part.record(reports, errs)
	if err := outs.writeBatch(cmd.OutOrStdout(), batch); err != nil {
		return err
	}
	if len(failed) > 0 {
		return errors.Join(errCaptures{len(failed)}, ruleFailures(batch.Reports...))
	}
	return batchExit(batch, failOn)
}

// batchExit is the exit of a batch whose captures were all read: rules
// that failed to evaluate (exit 2), else findings at or above --fail-on
// (exit 1).
func batchExit(batch *engine.Batch, failOn severity.FailOn) error {
	if err := ruleFailures(batch.Reports...); err != nil {
		return err
	}
	n := 0
	for _, r := range batch.Reports {
		n += failing(r, failOn)
	}
	if n > 0 {
		return errFindings{n}
	}
	return nil
}
