package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/internal/corpus"
	"github.com/leakdiag/leakdiag/rules"
)

// damage is one way a paste is damaged on its way through an e-mail, a
// web page, a GitHub issue or a forum: a function of the capture's text.
type damage struct {
	name string
	fn   func(string) string
}

// damages are the transformations TestVerdictSurvivesDamage applies, one
// at a time, most common in real pastes first.
var damages = []damage{
	{"quoted", quote},
	{"quoted-twice", func(s string) string { return quote(quote(s)) }},
	{"quoted-mail", func(s string) string { return eachLine(s, func(l string) string { return ">> " + l }) }},
	{"indented-4", func(s string) string { return eachLine(s, func(l string) string { return "    " + l }) }},
	{"fenced", fence},
	{"pre", func(s string) string { return "<pre>\n" + strings.TrimSuffix(s, "\n") + "\n</pre>\n" }},
	{"pre-source", preSource},
	{"crlf", crlf},
	{"html-escaped", htmlEscape},
	{"nbsp-runs", nbspRuns},
	{"trailing-blanks", func(s string) string { return eachLine(s, func(l string) string { return l + "   " }) }},
	{"tabs-expanded", expandTabs},
	{"blanks-collapsed", func(s string) string { return blankRun.ReplaceAllString(s, " ") }},
	{"double-spaced", doubleSpace},
	{"prose-around", func(s string) string {
		return "Here is the output:\n\n" + strings.TrimSuffix(s, "\n") + "\n\nThanks!\n"
	}},
	{"left-stripped", func(s string) string { return eachLine(s, func(l string) string { return strings.TrimLeft(l, " \t") }) }},
	// Two at once, as they come together: a reply quoting an issue's
	// code block; a Windows mail client's reply; a page's source.
	{"quoted-fenced", func(s string) string { return quote(fence(s)) }},
	{"quoted-crlf", func(s string) string { return crlf(quote(s)) }},
	{"pre-source-nbsp", func(s string) string {
		return "<pre>" + nbspRuns(htmlEscape(strings.TrimSuffix(s, "\n"))) + "</pre>\n"
	}},
	{"double-spaced-crlf", func(s string) string { return crlf(doubleSpace(s)) }},
}

// quote writes "> " before every line, as a mail's reply or markdown's
// blockquote does.
func quote(s string) string { return eachLine(s, func(l string) string { return "> " + l }) }

// fence puts a markdown code fence around s.
func fence(s string) string { return "```\n" + strings.TrimSuffix(s, "\n") + "\n```\n" }

// preSource is s in a <pre> block as the page's source holds it, escaped.
func preSource(s string) string {
	return "<pre>" + htmlEscape(strings.TrimSuffix(s, "\n")) + "</pre>\n"
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// doubleSpace writes a blank line after every line.
func doubleSpace(s string) string { return eachLine(s, func(l string) string { return l + "\n" }) }

var blankRun = regexp.MustCompile(`[ \t]+`)

// eachLine applies f to every line of s (the last one too when s does
// not end in a newline); the line's end, CRs before its LF included, is
// kept as it was.
func eachLine(s string, f func(string) string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l == "" {
			continue
		}
		body := strings.TrimRight(l, "\r\n")
		b.WriteString(f(body))
		b.WriteString(l[len(body):])
	}
	return b.String()
}

// htmlEscape escapes the text as a page's source shows it.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// nbspRuns writes every run of two or more spaces as &nbsp; but for its
// last space, as editors that keep a table's alignment in HTML do.
var spaceRun = regexp.MustCompile(`  +`)

func nbspRuns(s string) string {
	return spaceRun.ReplaceAllStringFunc(s, func(r string) string {
		return strings.Repeat("&nbsp;", len(r)-1) + " "
	})
}

// expandTabs replaces every tab with the spaces up to the next multiple
// of eight columns.
func expandTabs(s string) string {
	return eachLine(s, func(l string) string {
		if !strings.Contains(l, "\t") {
			return l
		}
		var b strings.Builder
		col := 0
		for _, r := range l {
			if r == '\t' {
				n := 8 - col%8
				b.WriteString(strings.Repeat(" ", n))
				col += n
				continue
			}
			b.WriteRune(r)
			col++
		}
		return b.String()
	})
}

// damageExclusions are the (capture, damage) pairs whose damage destroys
// what the verdict rests on, each with the reason. The key is
// "capture|damage", the capture as named in the test.
var damageExclusions = map[string]string{
	// Classic Mac line ends (CR alone): a paste mixing them with the LF
	// lines the damage adds is read as LF text with CRs inside its lines;
	// no browser or mail program leaves such a mix (a textarea turns CRs
	// into LFs).
	// Tab-separated tables with empty cells and cells holding spaces
	// ("NT AUTHORITY\LOCAL SERVICE", "98,304 K", "User name"): tabs
	// expanded to 8-column stops, or every blank collapsed, leave no
	// boundary between cells that anything can recover.
	"testdata/handleexe/v5-vt-tab-every-handle-user-share-flags.txt|tabs-expanded":       tabCellsLost,
	"testdata/handleexe/v5-vt-tab-every-handle-user-share-flags.txt|blanks-collapsed":    tabCellsLost,
	"testdata/procexp/damaged-markdown-paste-find-results-dll-pane.txt|tabs-expanded":    tabCellsLost,
	"testdata/procexp/damaged-markdown-paste-find-results-dll-pane.txt|blanks-collapsed": tabCellsLost,
	"testdata/procexp/save-list-and-handle-pane-tree-indent.txt|tabs-expanded":           tabCellsLost,
	"testdata/procexp/save-list-and-handle-pane-tree-indent.txt|blanks-collapsed":        tabCellsLost,
	"testdata/taskmgr/details-copy-tabs-spoolsv-51234.txt|tabs-expanded":                 tabCellsLost,
	"testdata/taskmgr/details-copy-tabs-spoolsv-51234.txt|blanks-collapsed":              tabCellsLost,
	// A fixed-width table whose first column is a command line (blanks
	// inside, empty for System): with every run of blanks collapsed, no
	// position says where the command line ends and the count begins.
	"testdata/wmic/get-commandline-svchost-service-winmgmt.txt|blanks-collapsed": fixedCellsLost,
}

const (
	tabCellsLost   = "tab-separated cells with blanks inside and empty cells: their boundaries are gone"
	fixedCellsLost = "fixed-width cells with blanks inside and empty cells: their positions are gone"
)

// damageDirs are the project's folders of captures the test damages; the
// series folders (fleet, prometheus) and minidumps are not pastes.
var damageDirs = []string{"kd", "handleexe", "getprocess", "examples", "lsof", "wmic", "procexp", "procfd", "poolmon", "taskmgr", "sysinformer", "volatility", "osquery", "findzombie", "fdleak"}

// damageCapture is a capture the test damages.
type damageCapture struct {
	name string // "testdata/kd/x.txt" or "corpus/kd/x.txt"
	text string
}

// damageCaptures lists the text captures of testdata (every file but the
// goldens, notes and binary ones) and, when present, of the shared corpus.
func damageCaptures(t *testing.T) []damageCapture {
	t.Helper()
	var out []damageCapture
	add := func(name, path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.IndexByte(data, 0) >= 0 || len(data) > 1<<20 {
			return // binary, or too large to damage fifteen ways quickly
		}
		out = append(out, damageCapture{name: name, text: string(data)})
	}
	for _, dir := range damageDirs {
		paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			base := filepath.Base(p)
			if strings.Contains(base, ".golden") || strings.HasSuffix(base, ".md") || strings.HasSuffix(base, ".gz") || strings.HasSuffix(base, ".dmp") {
				continue
			}
			if fi, err := os.Stat(p); err != nil || fi.IsDir() {
				continue
			}
			add("testdata/"+dir+"/"+base, p)
		}
	}
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "corpus", "VERDICTS.tsv")); err == nil {
		corpusDir := filepath.Dir(corpus.Path(t, "VERDICTS.tsv"))
		for _, rel := range corpusCaptures(t, corpusDir) {
			add("corpus/"+rel, filepath.Join(corpusDir, rel))
		}
	} else {
		t.Logf("shared corpus absent: damaging the project's own captures only")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// damageVerdict is the verdict of a capture: its top finding of severity
// warning or error by rule, process and pid, or "quiet".
func damageVerdict(set *rules.Set, name, text string) (string, error) {
	snap, err := dumpreader.Read(strings.NewReader(text), filepath.Base(name), dumpreader.Options{Workers: 1})
	if err != nil {
		return "", err
	}
	report, err := engine.Run(context.Background(), set, snap, engine.Options{Workers: 1})
	if err != nil {
		return "", err
	}
	for _, f := range report.Findings {
		if f.Severity.String() != "warning" && f.Severity.String() != "error" {
			continue
		}
		if f.Process == nil {
			return f.RuleID + " (capture)", nil
		}
		return fmt.Sprintf("%s %s pid %d", f.RuleID, f.Process.Image, f.Process.PID), nil
	}
	return "quiet", nil
}

// TestVerdictSurvivesDamage damages every capture of testdata and of the
// shared corpus the ways real pastes are damaged, one way at a time, and
// checks that the verdict (the top finding's rule, process and pid, or
// quiet) is the one the undamaged capture gets.
func TestVerdictSurvivesDamage(t *testing.T) {
	set, err := (&ruleFlags{}).load()
	if err != nil {
		t.Fatal(err)
	}
	captures := damageCaptures(t)
	used := map[string]bool{}
	leaks, quiet := 0, 0
	for _, c := range captures {
		want, err := damageVerdict(set, c.name, c.text)
		if err != nil {
			continue // a capture of no known format, or a series: not this test's
		}
		if want == "quiet" {
			quiet++
		} else {
			leaks++
		}
		t.Run(c.name, func(t *testing.T) {
			for _, d := range damages {
				key := c.name + "|" + d.name
				damaged := d.fn(c.text)
				if damaged == c.text {
					continue
				}
				got, err := damageVerdict(set, c.name, damaged)
				if why, ok := damageExclusions[key]; ok {
					used[key] = true
					if err == nil && got == want {
						t.Errorf("%s: verdict survives, but the pair is excluded (%s): drop the exclusion", d.name, why)
					}
					continue
				}
				switch {
				case err != nil:
					t.Errorf("%s: %v, want %s", d.name, err, want)
				case got != want:
					t.Errorf("%s: verdict %s, want %s", d.name, got, want)
				}
			}
		})
	}
	t.Logf("%d captures with a verdict and %d quiet ones, %d damages each", leaks, quiet, len(damages))
	if leaks == 0 {
		t.Error("no capture has a finding of warning or error: the test checks nothing")
	}
	for key := range damageExclusions {
		if !used[key] && !strings.HasPrefix(key, "corpus/") {
			t.Errorf("exclusion %q names no capture and damage of this test", key)
		}
	}
}
