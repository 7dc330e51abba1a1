package version

import (
	"fmt"
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"},
		{Key: "vcs.time", Value: "2026-01-02T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	for _, tc := range []struct {
		name            string
		bi              *debug.BuildInfo
		stamped         string
		version, number string
	}{
		{"go install @v0.2.0", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.2.0"}},
			"", "v0.2.0", "0.2.0"},
		{"a commit after v0.2.0", &debug.BuildInfo{Main: debug.Module{Version: "v0.2.1-0.20260102100000-a1b2c3d4e5f6+dirty"}, Settings: vcs},
			"", "v0.2.1-0.20260102100000-a1b2c3d4e5f6+dirty", "0.2.1-0.20260102100000-a1b2c3d4e5f6"},
		{"go build in a checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			"", "(devel) a1b2c3d4e5f6 2026-01-02T10:00:00Z, modified", Devel},
		{"go build in a checkout with no tag (Go 1.24 and later)", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260102100000-a1b2c3d4e5f6"}, Settings: vcs[:3]},
			"", "(devel) a1b2c3d4e5f6 2026-01-02T10:00:00Z", Devel},
		{"-buildvcs=false", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			"", "(devel)", Devel},
		{"test binary", &debug.BuildInfo{}, "", "(devel)", Devel},
		{"no build information", nil, "", "(devel)", Devel},
		{"stamped by a packager", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			"v0.3.0", "v0.3.0", "0.3.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := fromBuildInfo(tc.bi, tc.stamped)
			if got := i.String(); got != tc.version {
				t.Errorf("String() = %q, want %q", got, tc.version)
			}
			if got := i.Number(); got != tc.number {
				t.Errorf("Number() = %q, want %q", got, tc.number)
			}
		})
	}
}

func TestGet(t *testing.T) {
	i := Get()
	if i.Go == "" || i.String() == "" || i.Number() == "" {
		t.Errorf("Get() = %+v: want a toolchain and a version", i)
	}
}

func ExampleInfo_String() {
	fmt.Println(Info{Version: "v0.2.0"})
	fmt.Println(Info{Revision: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", Time: "2026-01-02T10:00:00Z"})
	// Output:
	// v0.2.0
	// (devel) a1b2c3d4e5f6 2026-01-02T10:00:00Z
}

func TestSemVer(t *testing.T) {
	for _, tc := range []struct {
		in   Info
		want string
	}{
		{Info{Version: "v0.2.0"}, "0.2.0"},
		{Info{Version: "v0.2.1-rc.1"}, "0.2.1-rc.1"},
		{Info{Revision: "3f2a1b4c5d6e7f80", Time: "2026-12-06T21:00:00Z"}, Devel + "+3f2a1b4c5d6e"},
		{Info{Revision: "3f2a1b4c5d6e7f80", Modified: true}, Devel + "+3f2a1b4c5d6e.modified"},
		{Info{}, Devel},
	} {
		if got := tc.in.SemVer(); got != tc.want {
			t.Errorf("%+v.SemVer() = %q, want %q", tc.in, got, tc.want)
		}
	}
}
