package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// ciLogs are the ways a CI job's log wraps a kd session's lines: the raw
// log of GitHub Actions or Azure Pipelines, GitLab's with its stream
// marker, and a Go test suite's `go test -json` that logged them.
var ciLogs = []damage{
	{"github-actions-log", func(s string) string {
		return eachLine(s, func(l string) string { return "2026-03-04T10:21:31.1234567Z " + l })
	}},
	{"gitlab-log", func(s string) string {
		return eachLine(s, func(l string) string { return "2026-03-04T10:21:31.123456Z 00O " + l })
	}},
	{"go-test-json", func(s string) string {
		return eachLine(s, func(l string) string {
			out, _ := json.Marshal(l + "\n")
			return `{"Time":"2026-03-04T10:21:31.12Z","Action":"output","Package":"contoso/e2e","Test":"TestLeaks","Output":` + string(out) + `}`
		})
	}},
}

// TestKDVerdictSurvivesCILog wraps every kd capture of testdata and of
// the shared corpus the ways a CI job's log wraps a session it ran, and
// checks that the verdict is the one the capture gets as it is.
func TestKDVerdictSurvivesCILog(t *testing.T) {
	set, err := (&ruleFlags{}).load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range damageCaptures(t) {
		if !strings.Contains(c.name, "/kd/") {
			continue
		}
		want, err := damageVerdict(set, c.name, c.text)
		if err != nil {
			continue
		}
		n++
		for _, d := range ciLogs {
			got, err := damageVerdict(set, c.name, d.fn(c.text))
			switch {
			case err != nil:
				t.Errorf("%s|%s: %v, want %s", c.name, d.name, err, want)
			case got != want:
				t.Errorf("%s|%s: verdict %s, want %s", c.name, d.name, got, want)
			}
		}
	}
	t.Logf("%d kd captures, %d logs each", n, len(ciLogs))
	if n == 0 {
		t.Error("no kd capture read: the test checks nothing")
	}
}
