package engine

import (
	"encoding/json"
	"fmt"
	"io"
)

// ReadBaseline reads the fingerprints of the findings in an earlier JSON
// report (leakdiag analyze --format json), for Options.Baseline. A report
// written with --top lists only its top findings; the others would come
// back as new, so a baseline is best written without --top. A batch's JSON
// report serves too: the fingerprints of all its captures' findings.
func ReadBaseline(r io.Reader) (map[string]bool, error) {
	type findings []struct {
		RuleID      string `json:"rule_id"`
		Fingerprint string `json:"fingerprint"`
	}
	var prior struct {
		SchemaVersion *int     `json:"schema_version"`
		Findings      findings `json:"findings"`
		// Reports are there when the report is a batch's.
		Reports []struct {
			Findings findings `json:"findings"`
		} `json:"reports"`
	}
	if err := json.NewDecoder(r).Decode(&prior); err != nil {
		return nil, fmt.Errorf("not a leakdiag JSON report: %w", err)
	}
	if prior.SchemaVersion == nil {
		return nil, fmt.Errorf("not a leakdiag JSON report: no schema_version (write one with analyze --format json)")
	}
	if *prior.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("report schema_version %d; this leakdiag reads %d", *prior.SchemaVersion, SchemaVersion)
	}
	all := []findings{prior.Findings}
	for _, rep := range prior.Reports {
		all = append(all, rep.Findings)
	}
	set := map[string]bool{}
	for _, fs := range all {
		for i, f := range fs {
			if f.Fingerprint == "" {
				return nil, fmt.Errorf("finding %d (%s) has no fingerprint: the report is from a leakdiag without them; write it again", i+1, f.RuleID)
			}
			set[f.Fingerprint] = true
		}
	}
	return set, nil
}
