package main

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/internal/version"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/rules"
)

// TestVersion: `version` and `--version` print the one version, which
// the reports and requires: checks use too.
func TestVersion(t *testing.T) {
	v := version.Get()
	code, out, errOut := runCLI(t, "version")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "leakdiag "+v.String()+"\n") || !strings.Contains(out, v.Go) {
		t.Errorf("version: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	for _, flag := range []string{"--version", "-v"} {
		code, again, _ := runCLI(t, flag)
		if code != 0 || again != out {
			t.Errorf("leakdiag %s: exit %d, prints\n%s\nwant what version prints:\n%s", flag, code, again, out)
		}
	}
	if v.Version == "" && !strings.Contains(out, "requires: count it as "+version.Devel) {
		t.Errorf("a development build's version does not say what requires: take it for:\n%s", out)
	}
	// rules.Version is empty outside tests: requires: is checked against
	// the binary's version.
	_, err := rules.Load([]rules.Source{{Path: "r.yaml", Data: []byte("requires: 999\nrules: []\n")}})
	if err == nil || !strings.Contains(err.Error(), "this is leakdiag "+v.Number()+":") {
		t.Errorf("requires: 999 with rules.Version %q: error %v, want one naming leakdiag %s", rules.Version, err, v.Number())
	}
	outs, err := parseOutputs([]string{"html"}, "", reporters.Options{Version: v.String()}, false)
	if err != nil {
		t.Fatal(err)
	}
	if h, ok := outs[0].rep.(reporters.HTML); !ok || h.Version != v.String() {
		t.Errorf("the HTML reporter is %#v, want one with Version %q", outs[0].rep, v.String())
	}
}
