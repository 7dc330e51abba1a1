package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/internal/corpus"
)

// verdictExceptions are captures of the corpus whose verdict this test
// does not take from VERDICTS.tsv, each with the reason. None today: every
// capture the table does not list is expected to stay quiet.
var verdictExceptions = map[string]string{}

// sourceLeak reads a diagnosis of a SOURCES.tsv that states a leak,
// "leak: synergyd.exe pid 4076 holds ...": the process named first.
var sourceLeak = regexp.MustCompile(`^leak: (\S+\.exe) pid (\d+)\b`)

// readSourceVerdicts adds to verdicts the leaks the SOURCES.tsv of a
// corpus folder states (column "diagnosis"), for captures VERDICTS.tsv
// does not list: the process must be the top finding's, by image and pid.
func readSourceVerdicts(t *testing.T, corpusDir string, verdicts map[string]verdict) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*", "SOURCES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		col := slices.Index(strings.Split(lines[0], "\t"), "diagnosis")
		if col < 0 {
			continue
		}
		dir := filepath.Base(filepath.Dir(path))
		for _, line := range lines[1:] {
			cols := strings.Split(line, "\t")
			if len(cols) <= col {
				continue
			}
			m := sourceLeak.FindStringSubmatch(cols[col])
			rel := dir + "/" + cols[0]
			if _, listed := verdicts[rel]; m == nil || listed {
				continue
			}
			verdicts[rel] = verdict{why: cols[col], patterns: []*regexp.Regexp{
				regexp.MustCompile(`(?i)` + regexp.QuoteMeta(m[1])), regexp.MustCompile(`\b` + m[2] + `\b`),
			}}
		}
	}
}

// verdict is one row of VERDICTS.tsv: quiet, or the patterns the
// highest-ranked finding of severity warning or error must all match.
type verdict struct {
	quiet    bool
	patterns []*regexp.Regexp
	why      string
}

// readVerdicts reads VERDICTS.tsv: path, expect, why; # comments.
func readVerdicts(t *testing.T, path string) map[string]verdict {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]verdict{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" || strings.HasPrefix(text, "path\t") {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) < 2 {
			t.Fatalf("%s:%d: want path, expect and why, got %q", path, line, text)
		}
		v := verdict{quiet: cols[1] == "quiet"}
		if len(cols) > 2 {
			v.why = cols[2]
		}
		if !v.quiet {
			for _, p := range strings.Split(cols[1], " ; ") {
				re, err := regexp.Compile(strings.TrimSpace(p))
				if err != nil {
					t.Fatalf("%s:%d: pattern %q: %v", path, line, p, err)
				}
				v.patterns = append(v.patterns, re)
			}
		}
		out[cols[0]] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusCaptures lists the captures of the corpus relative to it: every
// file but its notes (.tsv, .md).
func corpusCaptures(t *testing.T, corpusDir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(corpusDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".tsv", ".md":
			return nil
		}
		rel, err := filepath.Rel(corpusDir, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestCorpusVerdicts runs analyze on every capture of the shared corpus
// and checks its verdict: the one VERDICTS.tsv lists, or quiet (no finding
// of severity warning or error) for a capture it does not list.
func TestCorpusVerdicts(t *testing.T) {
	corpusDir := filepath.Dir(corpus.Path(t, "VERDICTS.tsv"))
	verdicts := readVerdicts(t, filepath.Join(corpusDir, "VERDICTS.tsv"))
	readSourceVerdicts(t, corpusDir, verdicts)
	captures := corpusCaptures(t, corpusDir)
	seen := map[string]bool{}
	for _, rel := range captures {
		t.Run(rel, func(t *testing.T) {
			seen[rel] = true
			want, listed := verdicts[rel]
			if why, ok := verdictExceptions[rel]; ok {
				t.Skip(why)
			}
			code, stdout, stderr := runCLI(t, "analyze", "--fail-on", "never", "--format", "json", filepath.Join(corpusDir, rel))
			if code != 0 {
				t.Fatalf("analyze exited %d: %s", code, stderr)
			}
			top, all := topWarning(t, stdout)
			switch {
			case !listed || want.quiet:
				if top != nil {
					t.Errorf("want quiet (no finding of warning or above), got %s", describe(top))
				}
			case top == nil:
				t.Errorf("want a warning or error matching %v (%s), got none; findings: %s", want.patterns, want.why, all)
			default:
				text, _ := json.Marshal(top)
				for _, re := range want.patterns {
					if !re.Match(text) {
						t.Errorf("top finding %s does not match %q (%s)", describe(top), re, want.why)
					}
				}
			}
		})
	}
	for rel := range verdicts {
		if !seen[rel] {
			t.Errorf("VERDICTS.tsv lists %s, which is not a capture of the corpus read here", rel)
		}
	}
}

// topWarning returns the highest-ranked finding of severity warning or
// error of a JSON report, or nil, and a summary of every finding.
func topWarning(t *testing.T, report string) (map[string]any, string) {
	t.Helper()
	var r struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(report), &r); err != nil {
		t.Fatalf("the JSON report does not parse: %v", err)
	}
	var all []string
	var top map[string]any
	for _, f := range r.Findings {
		all = append(all, describe(f))
		if s := f["severity"]; top == nil && (s == "warning" || s == "error") {
			top = f
		}
	}
	return top, "[" + strings.Join(all, "; ") + "]"
}

func describe(f map[string]any) string {
	return f["rule_id"].(string) + " " + f["severity"].(string) + ": " + f["message"].(string)
}
