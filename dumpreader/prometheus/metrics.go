package prometheus

import (
	"net"
	"strings"
)

// What a metric gives of a process.
type quantity uint8

const (
	handles quantity = iota
	privateBytes
	poolBytes // with pool="nonpaged"; paged pool is not read
	fdLimit
)

// Who a metric is about: a process by pid (windows_exporter), a group
// of processes by name (process-exporter), or the scraped process
// itself.
type subject uint8

const (
	byPID subject = iota
	byGroup
	self
)

type metric struct {
	q quantity
	s subject
}

// metrics are the metrics read, by name.
var metrics = map[string]metric{
	"windows_process_handles":              {handles, byPID},
	"wmi_process_handles":                  {handles, byPID},
	"windows_process_private_bytes":        {privateBytes, byPID},
	"wmi_process_private_bytes":            {privateBytes, byPID},
	"windows_process_pool_bytes":           {poolBytes, byPID},
	"wmi_process_pool_bytes":               {poolBytes, byPID},
	"namedprocess_namegroup_open_filedesc": {handles, byGroup},
	"process_open_fds":                     {handles, self},
	"process_max_fds":                      {fdLimit, self},
}

// label returns the value of the label key among labels (pairs).
func label(labels []string, key string) string {
	for i := 0; i+1 < len(labels); i += 2 {
		if labels[i] == key {
			return labels[i+1]
		}
	}
	return ""
}

// hostOf is the host of an instance label: "web01:9182" is web01.
func hostOf(instance string) string {
	if h, _, err := net.SplitHostPort(instance); err == nil {
		return h
	}
	return instance
}

// imageOf is the image of a windows_exporter process label: perfmon's
// instance name, without the .exe.
func imageOf(name string) string {
	lower := strings.ToLower(name)
	switch {
	case name == "", strings.HasSuffix(lower, ".exe"):
		return name
	case lower == "system", lower == "registry", lower == "secure system", lower == "memory compression", lower == "idle", lower == "_total":
		return name
	}
	return name + ".exe"
}

// identity is who a sample of m with labels is about: a pid (0 when
// none), an image and an instance name, and whether it is a process at
// all (windows_exporter's _Total and Idle are not).
func identity(m metric, labels []string) (pid uint64, image, instance string, ok bool) {
	switch m.s {
	case byPID:
		name := label(labels, "process")
		if l := strings.ToLower(name); l == "_total" || l == "idle" {
			return 0, "", "", false
		}
		pid = parseUint(label(labels, "process_id"))
		return pid, imageOf(name), name, name != "" || pid != 0
	case byGroup:
		g := label(labels, "groupname")
		return 0, g, g, g != ""
	}
	job := label(labels, "job")
	if job == "" {
		job = "scraped process"
	}
	return 0, job, job, true
}

func parseUint(s string) uint64 {
	var n uint64
	if s == "" || len(s) > 12 {
		return 0
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		n = n*10 + uint64(s[i]-'0')
	}
	return n
}
