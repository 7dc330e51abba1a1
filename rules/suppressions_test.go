package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/rules"
)

func TestLoadSuppressions(t *testing.T) {
	src := `suppressions:
  - fingerprint: v1:0123456789abcdef0123456789abcdef
    reason: by design
  - rule: LD000?
    image: 'STORE.EXE'
    reason: Exchange
    expires: 2027-03-31
`
	sups, err := rules.LoadSuppressions("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(sups) != 2 || sups[0].Fingerprint == "" || sups[1].Rule == nil || sups[1].Image == nil {
		t.Fatalf("got %+v", sups)
	}
	if got := sups[1].Pos.String(); got != "s.yaml:4:5" {
		t.Errorf("second entry at %s, want s.yaml:4:5", got)
	}
	s := sups[1]
	if !s.Rule.Match("LD0002") || s.Rule.Match("LD0010") || !s.Image.Match("store.exe") {
		t.Error("rule/image globs match wrongly")
	}
	// The entry holds through the day written and not after.
	if !s.Active(time.Date(2027, 3, 31, 23, 59, 0, 0, time.UTC)) || s.Active(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("expiry is not the end of 2027-03-31")
	}
	if !sups[0].Active(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("an entry without expires expired")
	}
}

func TestLoadSuppressionsErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"suppressions:\n  - rule: LD0001\n", "s.yaml:2:5: a suppression needs a reason"},
		{"suppressions:\n  - reason: x\n", "s.yaml:2:5: a suppression needs a fingerprint, or a rule and/or image glob"},
		{"suppressions:\n  - fingerprint: v1:0123456789abcdef0123456789abcdef\n    rule: X\n    reason: x\n", "not both"},
		{"suppressions:\n  - rule: X\n    reason: x\n    expire: 2027-01-01\n", `s.yaml:4:5: unknown key "expire" in suppression (did you mean "expires"?)`},
		{"suppressions:\n  - rule: '**'\n    reason: x\n", "s.yaml:2:11: pattern \"**\" has no literal text"},
		{"suppressions:\n  - rule: X\n    reason: x\n    expires: 31/03/2027\n", "s.yaml:4:14: expires \"31/03/2027\" is not a date"},
		{"suppression: []\n", `unknown key "suppression"`},
		{"suppressions: {}\n", "suppressions must be a list"},
		{"suppressions:\n  - rule: X\n\treason: x\n", "s.yaml:"},
	} {
		_, err := rules.LoadSuppressions("s.yaml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
	if sups, err := rules.LoadSuppressions("s.yaml", nil); err != nil || len(sups) != 0 {
		t.Errorf("empty file: %v, %v", sups, err)
	}
}
