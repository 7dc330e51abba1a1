package reporters

import (
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// Reports speak of what the capture holds: handles on Windows, file
// descriptors on Linux (a snapshot leakdiag collect took from /proc, lsof
// or lsfd output), and name where the capture came from.

// linuxCapture reports whether the sources are Linux captures.
func linuxCapture(sources []facts.Source) bool {
	for _, s := range sources {
		if s.Format == "procfs" || s.Format == "lsof" || s.Format == "lsfd" || s.Format == "procfd" {
			return true
		}
	}
	return false
}

// unit is what a report counts: "handle" or "file descriptor", with its
// plural and its title-case form for headings.
type unit struct{ One, Many, Title string }

var (
	handleUnit = unit{"handle", "handles", "Handles"}
	fdUnit     = unit{"file descriptor", "file descriptors", "File descriptors"}
)

func unitOf(sources []facts.Source) unit {
	if linuxCapture(sources) {
		return fdUnit
	}
	return handleUnit
}

// Count writes n of the unit: "1 handle", "12,895 file descriptors".
func (u unit) Count(n int64) string {
	if n == 1 {
		return "1 " + u.One
	}
	return facts.FormatCount(n) + " " + u.Many
}

// sourceKind names where a source's facts came from, for report headers.
func sourceKind(format string) string {
	switch format {
	case "procfs":
		return "leakdiag collect, from /proc"
	case "lsof":
		return "lsof output"
	case "lsfd":
		return "lsfd output"
	case "procfd":
		return "a listing of /proc/PID/fd"
	case "kd":
		return "kd/WinDbg/cdb output"
	case "handle":
		return "Sysinternals Handle output"
	case "minidump":
		return "user-mode minidump"
	case "snapshot":
		return "leakdiag snapshot"
	}
	return format
}

// sourceKinds names the kinds of the sources, each once: "leakdiag
// collect, from /proc", "lsof output; user-mode minidump".
func sourceKinds(sources []facts.Source) string {
	var kinds []string
	seen := map[string]bool{}
	for _, s := range sources {
		if k := sourceKind(s.Format); !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	return strings.Join(kinds, "; ")
}

// captureTitle names a report's capture in a batch: its files, and the
// machine where the capture says: a file of several machines (Get-Process
// with PSComputerName, a Prometheus range query of a fleet) is a report
// per machine, which the path alone would not tell apart.
func captureTitle(r *engine.Report) string {
	if h := r.Summary.Host; h != "" {
		return capturePaths(r) + " (host " + h + ")"
	}
	return capturePaths(r)
}

// capturePaths names a report's capture by its files.
func capturePaths(r *engine.Report) string {
	var paths []string
	for _, s := range r.Summary.Sources {
		paths = append(paths, s.Path)
	}
	if len(paths) == 0 {
		return "(no source)"
	}
	return strings.Join(paths, ", ")
}
