package engine

import (
	"time"

	"github.com/leakdiag/leakdiag/rules"
)

// SuppressionStatus says what became of one suppression entry in a run.
type SuppressionStatus struct {
	Defined     string `json:"defined"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Rule        string `json:"rule,omitempty"`
	Image       string `json:"image,omitempty"`
	Reason      string `json:"reason"`
	// Expires is the last day the entry holds (YYYY-MM-DD), if it ends.
	Expires string `json:"expires,omitempty"`
	// Status is "active" (it hid findings), "unused" (it matched none:
	// the leak is gone, or the entry is wrong) or "expired" (past its
	// date: the findings it matches are reported again).
	Status  string `json:"status"`
	Matched int    `json:"matched"`
}

// filterStages are the stages that drop findings after evaluation, in
// order: a finding a baseline holds is counted as baselined, not as
// suppressed. They run before ranks are numbered and --top cuts, so
// neither counts hidden findings.
var filterStages = []func(*Report, *Options){
	(*Report).dropBaselined,
	(*Report).suppress,
}

// filter runs filterStages.
func (rep *Report) filter(opts *Options) {
	for _, stage := range filterStages {
		stage(rep, opts)
	}
}

// dropBaselined drops the findings an earlier report already holds
// (Options.Baseline), counting them.
func (rep *Report) dropBaselined(opts *Options) {
	if len(opts.Baseline) == 0 {
		return
	}
	kept := rep.Findings[:0]
	for _, f := range rep.Findings {
		if opts.Baseline[f.Fingerprint] {
			rep.Summary.Baselined++
			continue
		}
		kept = append(kept, f)
	}
	rep.Findings = kept
}

// suppress drops the findings an active suppression accepts and says what
// each suppression did.
func (rep *Report) suppress(opts *Options) {
	sups := make([]SuppressionStatus, len(opts.Suppressions))
	for i, s := range opts.Suppressions {
		sups[i] = SuppressionStatus{
			Defined: s.Pos.String(), Fingerprint: s.Fingerprint, Rule: s.RuleGlob, Image: s.ImageGlob,
			Reason: s.Reason, Status: "unused",
		}
		if !s.Expires.IsZero() {
			sups[i].Expires = s.Expires.AddDate(0, 0, -1).Format(time.DateOnly)
			if !s.Active(opts.Now) {
				sups[i].Status = "expired"
			}
		}
	}
	kept := rep.Findings[:0]
	for _, f := range rep.Findings {
		if i := suppressedBy(&f, opts.Suppressions, opts.Now); i >= 0 {
			sups[i].Matched++
			sups[i].Status = "active"
			rep.Summary.Suppressed++
			continue
		}
		kept = append(kept, f)
	}
	rep.Findings = kept
	rep.Suppressions = sups
}

// suppressedBy returns the index of the first active suppression matching
// f, or -1.
func suppressedBy(f *Finding, sups []*rules.Suppression, now time.Time) int {
	for i, s := range sups {
		if !s.Active(now) {
			continue
		}
		if s.Fingerprint != "" {
			if s.Fingerprint == f.Fingerprint {
				return i
			}
			continue
		}
		if s.Rule != nil && !s.Rule.Match(f.RuleID) {
			continue
		}
		if s.Image != nil && (f.Process == nil || !s.Image.Match(f.Process.Image)) {
			continue
		}
		return i
	}
	return -1
}
