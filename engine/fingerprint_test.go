package engine_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/engine"
)

const fingerprintRule = `rules:
  - id: F0001
    title: Many handles
    when: process.handles > 100
`

// TestFingerprintIgnoresWhereAndHowMany: the same leak in a later capture
// (another pid, more handles, other line numbers, an image spelt in
// another case) keeps its fingerprint; another image, type or rule does
// not.
func TestFingerprintIgnoresWhereAndHowMany(t *testing.T) {
	set := load(t, fingerprintRule)
	fp := func(p proc) string {
		t.Helper()
		rep := run(t, set, build(t, 10000, p), engine.Options{})
		if len(rep.Findings) != 1 {
			t.Fatalf("%d findings, want 1", len(rep.Findings))
		}
		f := rep.Findings[0].Fingerprint
		if len(f) != len("v1:")+32 {
			t.Fatalf("fingerprint %q is not v1: and 32 hex digits", f)
		}
		return f
	}
	base := fp(proc{addr: "ffff1", pid: 500, image: "agent.exe", line: 10, handles: []hs{{"Event", "", 150}}})
	same := []proc{
		{addr: "ffff2", pid: 9000, image: "agent.exe", line: 10, handles: []hs{{"Event", "", 150}}},
		{addr: "ffff1", pid: 500, image: "AGENT.EXE", line: 10, handles: []hs{{"Event", "", 150}}},
		{addr: "ffff1", pid: 500, image: "agent.exe", line: 4321, handles: []hs{{"Event", "", 900}, {"File", "", 3}}},
	}
	for i, p := range same {
		if got := fp(p); got != base {
			t.Errorf("same leak %d: fingerprint %s, want %s", i, got, base)
		}
	}
	other := []proc{
		{addr: "ffff1", pid: 500, image: "other.exe", line: 10, handles: []hs{{"Event", "", 150}}},
		{addr: "ffff1", pid: 500, image: "agent.exe", line: 10, handles: []hs{{"Key", "", 150}}},
	}
	for i, p := range other {
		if got := fp(p); got == base {
			t.Errorf("other leak %d has the base fingerprint %s", i, got)
		}
	}
	other2 := load(t, `rules:
  - id: F0002
    title: Many handles
    when: process.handles > 100
`)
	rep := run(t, other2, build(t, 10000, proc{addr: "ffff1", pid: 500, image: "agent.exe", line: 10, handles: []hs{{"Event", "", 150}}}), engine.Options{})
	if rep.Findings[0].Fingerprint == base {
		t.Error("another rule gives the same fingerprint")
	}
}
