package rules

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/leakdiag/leakdiag/internal/version"
)

// Version, when set, is the leakdiag version a rule file's
// `requires: 0.2` is checked against; empty (the default) means the
// binary's, from package version (a development build counts as
// version.Devel). Tests set it.
var Version string

// currentVersion is Version, or the binary's when it is empty: read when
// a file has a requires:, not at every start.
func currentVersion() string {
	if Version != "" {
		return Version
	}
	return version.Get().Number()
}

// parseVersion reads "MAJOR[.MINOR[.PATCH]]" with an optional "-suffix"
// (which counts as the release it precedes: a development build of 0.2.0
// satisfies "requires: 0.2.0").
func parseVersion(s string) ([3]int, bool) {
	var v [3]int
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexByte(s, '-'); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

func versionLess(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// requires checks a file's `requires:` against Version.
func (d *decoder) requires(_, v *yaml.Node) {
	want, ok := parseVersion(d.str(v, ""))
	if v.Kind != yaml.ScalarNode {
		return // reported by str
	}
	if !ok {
		d.errorf(v, "", CodeBadValue, "requires %q is not a version (MAJOR.MINOR or MAJOR.MINOR.PATCH)", v.Value)
		return
	}
	current := currentVersion()
	have, ok := parseVersion(current)
	if ok && versionLess(have, want) {
		d.errorf(v, "", CodeVersion, "this file requires leakdiag %s or later; this is leakdiag %s: upgrade leakdiag, or ask the file's author for one that suits it", v.Value, current)
	}
}
