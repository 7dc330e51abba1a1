package main

import (
	"fmt"
	"os"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/rules"
)

// loadBaseline reads --baseline: the fingerprints of an earlier JSON report.
func loadBaseline(path string) (map[string]bool, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	set, err := engine.ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: %w", path, err)
	}
	return set, nil
}

// loadSuppressions reads each --suppressions file; problems in them are
// invalid configuration, like invalid rules (exit 3).
func loadSuppressions(paths []string) ([]*rules.Suppression, error) {
	var all []*rules.Suppression
	for _, p := range paths {
		src, err := rules.ReadPath(p)
		if err != nil {
			return nil, err
		}
		sups, err := rules.LoadSuppressions(p, src)
		if err != nil {
			return nil, errRules{err: err, what: "suppressions"}
		}
		all = append(all, sups...)
	}
	return all, nil
}
