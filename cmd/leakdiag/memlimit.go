package main

import (
	"bufio"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
)

// A run in a container (a Kubernetes Job, a CI runner with a memory cap)
// is killed when it passes the container's memory limit, which Go's
// collector does not know of: with GOGC=100 the heap may grow to twice
// what is live before a collection, so a capture whose facts take 600 MB
// is killed in a 1 GB container. containerMemLimit gives the collector a
// soft limit of the container's: it then collects more often near it and
// the run completes where what is live fits. A GOMEMLIMIT in the
// environment is the user's choice, and left alone.

// Bounds of the container memory limit.
const (
	// memLimitShare is the share of the container's limit the collector
	// is given, in tenths: the rest is what Go does not count (the
	// binary's pages, the capture's page cache charged to the container).
	memLimitShare = 9
	// minContainerLimit: a container limit below it is left to Go's
	// defaults (the start-up collection alone holds 32 MiB).
	minContainerLimit = 64 << 20
	// maxCgroupFile bounds what is read of each /proc and cgroup file.
	maxCgroupFile = 1 << 20
)

// setContainerMemLimit gives the collector a soft limit of the memory
// limit of the cgroup leakdiag runs in, if it has one, unless the
// environment sets GOMEMLIMIT.
func setContainerMemLimit() {
	if soft, ok := containerSoftLimit(); ok && soft < debug.SetMemoryLimit(-1) {
		debug.SetMemoryLimit(soft)
	}
}

// containerSoftLimit is the soft limit setContainerMemLimit gives: false
// when the environment sets GOMEMLIMIT or the container has no limit.
func containerSoftLimit() (int64, bool) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	limit, ok := cgroupMemLimit(os.DirFS("/"))
	if !ok || limit < minContainerLimit {
		return 0, false
	}
	return limit / 10 * memLimitShare, true
}

// cgroupMemLimit returns the memory limit of the cgroups the process is
// in, the lowest of its cgroup's and its ancestors' (cgroup v2's
// memory.max and memory.high, v1's memory.limit_in_bytes), read from
// fsys rooted at the file system's root; false when there is none or it
// cannot be told.
func cgroupMemLimit(fsys fs.FS) (int64, bool) {
	groups, err := readSmall(fsys, "proc/self/cgroup")
	if err != nil {
		return 0, false
	}
	mounts, err := readSmall(fsys, "proc/self/mountinfo")
	if err != nil {
		return 0, false
	}
	v1, v2, hasV1, hasV2 := ownCgroups(groups)
	best, found := int64(0), false
	for _, m := range cgroupMounts(mounts) {
		var own string
		var files []string
		switch {
		case m.v2 && hasV2:
			// memory.high throttles the cgroup's processes past it:
			// as much a limit to stay under as memory.max's kill.
			own, files = v2, []string{"memory.max", "memory.high"}
		case !m.v2 && hasV1:
			own, files = v1, []string{"memory.limit_in_bytes"}
		default:
			continue
		}
		if limit, ok := walkLimits(fsys, m, own, files); ok && (!found || limit < best) {
			best, found = limit, true
		}
	}
	return best, found
}

// ownCgroups reads /proc/self/cgroup: the process's cgroup v1 memory
// controller's path and its cgroup v2 path.
func ownCgroups(text []byte) (v1, v2 string, hasV1, hasV2 bool) {
	for line := range bytes.SplitSeq(text, []byte("\n")) {
		id, rest, ok := strings.Cut(string(line), ":")
		if !ok {
			continue
		}
		controllers, p, ok := strings.Cut(rest, ":")
		if !ok || !strings.HasPrefix(p, "/") {
			continue
		}
		switch {
		case id == "0" && controllers == "":
			v2, hasV2 = p, true
		case hasController(controllers, "memory"):
			v1, hasV1 = p, true
		}
	}
	return v1, v2, hasV1, hasV2
}

// hasController reports whether a comma-separated list names c.
func hasController(list, c string) bool {
	for name := range strings.SplitSeq(list, ",") {
		if name == c {
			return true
		}
	}
	return false
}

// cgroupMount is a mounted cgroup hierarchy: the cgroup path at its root
// and where it is mounted (a path below the file system's root, without
// its leading slash).
type cgroupMount struct {
	root, at string
	v2       bool
}

// cgroupMounts reads /proc/self/mountinfo for the cgroup v2 hierarchy and
// the cgroup v1 hierarchy of the memory controller.
func cgroupMounts(text []byte) []cgroupMount {
	var out []cgroupMount
	for line := range bytes.SplitSeq(text, []byte("\n")) {
		f := strings.Fields(string(line))
		sep := -1
		for i := 6; i < len(f); i++ {
			if f[i] == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || sep+3 >= len(f) {
			continue
		}
		m := cgroupMount{root: unescapeMount(f[3]), at: strings.TrimPrefix(path.Clean(unescapeMount(f[4])), "/")}
		switch fstype := f[sep+1]; {
		case fstype == "cgroup2":
			m.v2 = true
		case fstype == "cgroup" && hasController(f[sep+3], "memory"):
		default:
			continue
		}
		out = append(out, m)
	}
	return out
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// walkLimits reads files in the cgroup own of mount m and in each of its
// ancestors up to the mount's root, and returns the lowest limit set.
func walkLimits(fsys fs.FS, m cgroupMount, own string, files []string) (int64, bool) {
	rel, root := path.Clean(own), path.Clean(m.root)
	if root != "/" {
		var ok bool
		rel, ok = strings.CutPrefix(rel, root)
		if !ok || (rel != "" && !strings.HasPrefix(rel, "/")) {
			rel = "" // outside the mount's root (a cgroup namespace): its root
		}
	}
	// dir stays below at: own and rel are cleaned, so hold no "..".
	at := m.at
	if at == "" {
		at = "." // a hierarchy mounted at the root
	}
	dir := path.Join(at, rel)
	best, found := int64(0), false
	for {
		for _, file := range files {
			if limit, ok := readLimit(fsys, path.Join(dir, file), m.v2); ok && (!found || limit < best) {
				best, found = limit, true
			}
		}
		if len(dir) <= len(at) {
			break
		}
		dir = path.Dir(dir)
	}
	return best, found
}

// readLimit reads a memory limit file: a number of bytes, v2's "max" or
// v1's page-rounded largest value for none.
func readLimit(fsys fs.FS, name string, v2 bool) (int64, bool) {
	text, err := readSmall(fsys, name)
	if err != nil {
		return 0, false
	}
	s := strings.TrimSpace(string(text))
	if v2 && s == "max" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n >= 1<<62 {
		return 0, false // v1 says none with 9223372036854771712
	}
	return n, true
}

// readSmall reads a file of fsys, at most maxCgroupFile bytes of it.
func readSmall(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(bufio.NewReader(io.LimitReader(f, maxCgroupFile)))
	return buf.Bytes(), err
}
