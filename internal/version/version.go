// Package version says which leakdiag this is. It is the one source of
// leakdiag's version: `leakdiag version` and `--version`, the reports that
// name their tool (SARIF's driver.version, the HTML footer) and the
// `requires:` check of rule files all read it.
//
// The version comes from what the Go toolchain records in the binary
// (runtime/debug.ReadBuildInfo): the module version under
// `go install github.com/leakdiag/leakdiag/cmd/leakdiag@v0.2.0`; for a
// build in a checkout (go build, go run), which has none, the commit it
// was built from and that commit's time, as "(devel)".
package version

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Devel is the release this source tree leads to: a development build
// (one without a module version) meets a rule file's `requires:` as this
// version does. Raise it after each release.
const Devel = "0.1.0-dev"

// stamped, when set, is the version, whatever the build information says:
// for packagers who build outside the module system, with
// -ldflags "-X github.com/leakdiag/leakdiag/internal/version.stamped=v0.2.0".
var stamped string

// Info is what the binary says about its build.
type Info struct {
	// Version is the module version (v0.2.0, or a pseudo-version such as
	// v0.2.1-0.20260102100000-a1b2c3d4e5f6 for a commit after v0.2.0);
	// "" for a development build.
	Version string
	// Revision, Time and Modified are the commit a development build was
	// made from, its time (RFC 3339) and whether the checkout had local
	// changes; empty when the toolchain recorded none (-buildvcs=false,
	// no checkout).
	Revision string
	Time     string
	Modified bool
	// Go is the toolchain that built the binary (go1.26.8).
	Go string
}

// Get returns the binary's build information, read once.
func Get() Info { return get() }

var get = sync.OnceValue(func() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuildInfo(bi, stamped)
})

// untagged is a pseudo-version of a module with no release tag at all,
// which Go 1.24 and later stamp on builds in a checkout
// (v0.0.0-20260102100000-a1b2c3d4e5f6): no version, a commit.
// Compiled when first used: its bounded repetitions are most of the
// package's start-up otherwise.
var untagged = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^v0\.0\.0-\d{14}-[0-9a-f]{12}(\+dirty)?$`)
})

// fromBuildInfo reads bi (nil when the binary has none); stamped, when
// set, is the version.
func fromBuildInfo(bi *debug.BuildInfo, stamped string) Info {
	var i Info
	if bi == nil {
		i.Go = runtime.Version()
		i.Version = stamped
		return i
	}
	i.Go = bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			i.Revision = s.Value
		case "vcs.time":
			i.Time = s.Value
		case "vcs.modified":
			i.Modified = s.Value == "true"
		}
	}
	switch v := bi.Main.Version; {
	case stamped != "":
		i.Version = stamped
	case v == "" || v == "(devel)" || untagged().MatchString(v):
		// A build in a checkout: the commit says which.
	default:
		i.Version = v
	}
	return i
}

// String is the version as leakdiag prints it: the module version, or
// "(devel)" with the commit's first 12 digits and time, and ", modified"
// when the checkout had local changes.
func (i Info) String() string {
	if i.Version != "" {
		return i.Version
	}
	parts := []string{"(devel)"}
	if i.Revision != "" {
		parts = append(parts, i.Revision[:min(len(i.Revision), 12)])
	}
	if i.Time != "" {
		parts = append(parts, i.Time)
	}
	s := strings.Join(parts, " ")
	if i.Modified {
		s += ", modified"
	}
	return s
}

// Number is the version a rule file's `requires:` is compared with:
// the module version without its "v" and build metadata (0.2.0), or
// Devel for a development build.
func (i Info) Number() string {
	if i.Version == "" {
		return Devel
	}
	v, _, _ := strings.Cut(strings.TrimPrefix(i.Version, "v"), "+")
	return v
}

// SemVer is the version for tools that compare versions (SARIF's
// driver.version must start with a number): the module version without
// its "v" (0.2.0, 0.2.1-rc.1), or for a development build Devel with the
// commit as build metadata (0.1.0-dev+3f2a1b4c5d6e, .modified when the
// checkout had local changes).
func (i Info) SemVer() string {
	if i.Version != "" {
		return strings.TrimPrefix(i.Version, "v")
	}
	var meta []string
	if i.Revision != "" {
		meta = append(meta, i.Revision[:min(len(i.Revision), 12)])
	}
	if i.Modified {
		meta = append(meta, "modified")
	}
	if len(meta) == 0 {
		return Devel
	}
	return Devel + "+" + strings.Join(meta, ".")
}
