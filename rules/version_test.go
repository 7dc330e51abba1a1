package rules

import "testing"

func TestRequiresVersion(t *testing.T) {
	defer func(v string) { Version = v }(Version)
	Version = "0.2.0-dev"
	for _, tc := range []struct {
		requires string
		ok       bool
	}{
		{"0.1", true}, {"0.2", true}, {"0.2.0", true}, {"v0.2.0", true}, {"0", true},
		{"0.2.1", false}, {"0.10", false}, {"1", false},
	} {
		src := "requires: " + tc.requires + "\nrules: []\n"
		_, err := Load([]Source{{Path: "r.yaml", Data: []byte(src)}})
		if (err == nil) != tc.ok {
			t.Errorf("requires %s with leakdiag %s: error %v, want ok=%v", tc.requires, Version, err, tc.ok)
		}
	}
}
