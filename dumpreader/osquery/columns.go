package osquery

import (
	"strconv"
	"time"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// maxColumns bounds the columns of a table: osquery's processes table
// has about forty.
const maxColumns = 128

// processColumns are the columns of osquery's processes table that other
// tables rarely name so; a header with pid and one of them is the
// processes table, which detection weighs.
var processColumns = map[string]bool{
	"handle_count": true, "on_disk": true, "resident_size": true, "total_size": true,
	"wired_size": true, "elevated_token": true, "disk_bytes_read": true, "disk_bytes_written": true,
	"pgroup": true, "cmdline": true, "start_time": true, "user_time": true, "system_time": true,
	"parent": true, "percent_processor_time": true, "secure_process": true, "protection_type": true,
	"virtual_process": true, "elapsed_time": true, "cwd": true, "threads": true, "nice": true,
}

// isIdentifier tells a column name: lower case letters, digits and '_',
// a letter first.
func isIdentifier(s string) bool {
	if len(s) == 0 || len(s) > 64 || !scan.IsLower(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !scan.IsLower(c) && !scan.IsDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

// process folds a row, its values by column, into the snapshot, and
// reports whether it named a process.
func (q *reader) process(rec map[string]string, at int64) bool {
	pid, err := strconv.ParseUint(rec["pid"], 10, 32)
	if err != nil {
		q.log.Diag(at, facts.SevWarning, facts.CodeMissing, "row without a pid (%q): not read", rec["pid"])
		return false
	}
	pos := q.pos(at)
	pb := q.b.ProcessByPID(pid, pos)
	pb.SetImage(rec["name"], pos)
	if s := rec["handle_count"]; s != "" {
		// osquery gives -1 where it could not read the count.
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
			pb.P.HandleCount = &n
		} else if err != nil {
			q.log.Diag(at, facts.SevWarning, facts.CodeMissing, "handle_count %q of pid %d is not a number", s, pid)
		}
	}
	if s := rec["parent"]; s != "" {
		if ppid, err := strconv.ParseUint(s, 10, 32); err == nil {
			pb.P.PPID = ppid
		}
	}
	if s := rec["path"]; s != "" && pb.P.Path == "" {
		pb.P.Path = s
	}
	if s := rec["cmdline"]; s != "" && pb.P.Cmdline == "" {
		pb.P.Cmdline = s
	}
	if s := rec["start_time"]; s != "" && pb.P.CreateTime == "" {
		// Seconds since 1970, -1 where osquery could not read it.
		if t, err := strconv.ParseInt(s, 10, 64); err == nil && t > 0 && t < 1<<40 {
			pb.P.CreateTime = time.Unix(t, 0).UTC().Format(time.RFC3339)
		}
	}
	q.rows++
	q.ev.rows++
	return true
}
