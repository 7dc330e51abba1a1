package rules

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// FuzzLoadRules loads one rule file, as a customer or another team may
// write it, and evaluates what loads over a process and a capture. The
// properties: no panic; a file that does not load gives an ErrorList,
// every error with a position in the file; an evaluation error is an
// ordinary error; and each input takes bounded time. Seeded from
// testdata and the default rules:
//
//	go test ./rules -run '^$' -fuzz FuzzLoadRules -fuzztime 10s
func FuzzLoadRules(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"testdata/*.yaml", "testdata/bad/*.yaml", "../rules.d/*.yaml"} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, paths...)
	}
	if len(seeds) < 50 {
		f.Fatalf("only %d seed files", len(seeds))
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	proc := &facts.ProcessFacts{
		PID: 4, Image: "agent.exe", Handles: 20_000, HandleCount: 20_000,
		ByType:   map[string]int64{"Event": 15_000, "Key": 5_000},
		TopNames: []facts.NameFacts{{Name: `\REGISTRY\MACHINE\SOFTWARE\Contoso`, Type: "Key", Count: 5_000}},
	}
	snap := &facts.SnapshotFacts{ProcessCount: 1, TotalHandles: 20_000}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		set, err := Load([]Source{{Path: "fuzz.yaml", Data: data}})
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Load returned %T %q, not an ErrorList", err, err)
			}
			for _, e := range list {
				if e.Pos.File != "fuzz.yaml" || e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Errorf("error without a place in the file: %v", e)
				}
			}
		} else {
			for _, r := range set.Enabled() {
				var p *facts.ProcessFacts
				if r.Scope == ScopeProcess {
					p = proc
				}
				_ = evaluate(r, p)
				_, _ = r.Render(snap, p)
			}
		}
		// Rules are bounded by their budgets, not by the fuzzer's patience
		// (the bound catches an evaluation without one, which would run
		// for minutes, not a busy machine: under the race detector the
		// same work is several times slower).
		if d := time.Since(start); d > raceSlowdown*2*time.Second {
			t.Errorf("loading and evaluating took %v", d)
		}
	})
}

// FuzzLoadSuppressions decodes a suppressions file: no panic, and a file
// that does not decode gives an ErrorList with positions in the file.
func FuzzLoadSuppressions(f *testing.F) {
	f.Add([]byte("suppressions:\n  - fingerprint: v1:0123456789abcdef0123456789abcdef\n    reason: r\n"))
	f.Add([]byte("suppressions:\n  - {rule: 'LD000*', image: 'backup*.exe', reason: r, expires: 2027-03-31}\n"))
	f.Add([]byte("suppressions: [{rule: '', reason: ''}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := LoadSuppressions("fuzz.yaml", data)
		if err == nil {
			return
		}
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("LoadSuppressions returned %T %q, not an ErrorList", err, err)
		}
		for _, e := range list {
			if e.Pos.File != "fuzz.yaml" || e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Errorf("error without a place in the file: %v", e)
			}
		}
	})
}
