package main

import (
	"testing"
	"testing/fstest"
)

// TestCgroupMemLimit reads the limits of cgroup v2, v1 and hybrid
// hierarchies as /proc and /sys show them, ancestors' included.
func TestCgroupMemLimit(t *testing.T) {
	const (
		v2Mount = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
		v1Mount = "35 25 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory\n" +
			"36 25 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,cpu,cpuacct\n"
		hybrid = "34 25 0:29 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw\n"
		ext4   = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	)
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	cases := []struct {
		name  string
		files fstest.MapFS
		want  int64
		ok    bool
	}{
		{"v2 container (cgroup namespace)", fstest.MapFS{
			"proc/self/cgroup":          file("0::/\n"),
			"proc/self/mountinfo":       file(ext4 + v2Mount),
			"sys/fs/cgroup/memory.max":  file("1073741824\n"),
			"sys/fs/cgroup/memory.high": file("max\n"),
		}, 1 << 30, true},
		{"v2 leaf without limit, a parent with one", fstest.MapFS{
			"proc/self/cgroup":    file("0::/kubepods.slice/pod1.slice/cri-abc.scope\n"),
			"proc/self/mountinfo": file(ext4 + v2Mount),
			"sys/fs/cgroup/kubepods.slice/pod1.slice/cri-abc.scope/memory.max": file("max\n"),
			"sys/fs/cgroup/kubepods.slice/pod1.slice/memory.max":               file("536870912\n"),
			"sys/fs/cgroup/kubepods.slice/memory.max":                          file("8589934592\n"),
		}, 512 << 20, true},
		{"v2 memory.high below memory.max", fstest.MapFS{
			"proc/self/cgroup":          file("0::/\n"),
			"proc/self/mountinfo":       file(ext4 + v2Mount),
			"sys/fs/cgroup/memory.max":  file("1073741824\n"),
			"sys/fs/cgroup/memory.high": file("805306368\n"),
		}, 768 << 20, true},
		{"v2 without limit", fstest.MapFS{
			"proc/self/cgroup":         file("0::/user.slice\n"),
			"proc/self/mountinfo":      file(ext4 + v2Mount),
			"sys/fs/cgroup/memory.max": file("max\n"),
		}, 0, false},
		{"v1 memory controller", fstest.MapFS{
			"proc/self/cgroup":    file("5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n1:name=systemd:/docker/abc\n"),
			"proc/self/mountinfo": file(ext4 + v1Mount),
			"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": file("2147483648\n"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes":            file("9223372036854771712\n"),
		}, 2 << 30, true},
		{"v1 without limit", fstest.MapFS{
			"proc/self/cgroup":                           file("4:memory:/\n"),
			"proc/self/mountinfo":                        file(ext4 + v1Mount),
			"sys/fs/cgroup/memory/memory.limit_in_bytes": file("9223372036854771712\n"),
		}, 0, false},
		{"hybrid: v1 limit, v2 none", fstest.MapFS{
			"proc/self/cgroup":                               file("4:memory:/job\n0::/job\n"),
			"proc/self/mountinfo":                            file(ext4 + v1Mount + hybrid),
			"sys/fs/cgroup/memory/job/memory.limit_in_bytes": file("805306368\n"),
			"sys/fs/cgroup/unified/job/memory.max":           file("max\n"),
		}, 768 << 20, true},
		{"mount point with an escaped space", fstest.MapFS{
			"proc/self/cgroup":            file("0::/\n"),
			"proc/self/mountinfo":         file(`30 23 0:26 / /sys/fs/my\040cgroup rw - cgroup2 cgroup2 rw` + "\n"),
			"sys/fs/my cgroup/memory.max": file("268435456"),
		}, 256 << 20, true},
		{"v1 mount of the container's own cgroup", fstest.MapFS{
			"proc/self/cgroup":                           file("4:memory:/docker/abc\n"),
			"proc/self/mountinfo":                        file(ext4 + "35 25 0:30 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes": file("1073741824\n"),
		}, 1 << 30, true},
		{"not Linux: no /proc", fstest.MapFS{}, 0, false},
		{"garbage", fstest.MapFS{
			"proc/self/cgroup":         file("0::/\n"),
			"proc/self/mountinfo":      file("x y - \n" + v2Mount),
			"sys/fs/cgroup/memory.max": file("lots\n"),
		}, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := cgroupMemLimit(c.files)
			if got != c.want || ok != c.ok {
				t.Errorf("cgroupMemLimit = %d, %v; want %d, %v", got, ok, c.want, c.ok)
			}
		})
	}
}
