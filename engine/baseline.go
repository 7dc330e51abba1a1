package engine

import (
	"encoding/json"
	"fmt"
	"io"
)

// ReadBaseline reads the fingerprints of the findings in an earlier JSON
// report (leakdiag analyze --format json), for Options.Baseline. A report
// written with --top lists only its top findings; the others would come
// back as new, so a baseline is best written without --top.
func ReadBaseline(r io.Reader) (map[string]bool, error) {
	var prior struct {
		SchemaVersion *int `json:"schema_version"`
		Findings      []struct {
			RuleID      string `json:"rule_id"`
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
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
	set := make(map[string]bool, len(prior.Findings))
	for i, f := range prior.Findings {
		if f.Fingerprint == "" {
			return nil, fmt.Errorf("finding %d (%s) has no fingerprint: the report is from a leakdiag without them; write it again", i+1, f.RuleID)
		}
		set[f.Fingerprint] = true
	}
	return set, nil
}
