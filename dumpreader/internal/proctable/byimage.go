package proctable

import (
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// A table without a pid column (Get-Process | Select-Object
// Name,Handles; a list sorted by handles, its top rows pasted) names each
// process by its image alone. An image shown in one row only, and in no
// row that has a pid, is one process: it is read as the process of that
// image, without a pid (facts.Builder.ProcessByImage), so that its count
// is seen. An image shown in several rows (svchost.exe) names several
// processes nothing tells apart, and a pid made up would be a fact the
// capture does not give: those rows are not read, and a diagnostic says
// to select the Id column too.

// maxByImage bounds the pidless rows kept until the capture's end.
const maxByImage = 4096

// byImage is a row of a table without a pid column.
type byImage struct {
	image   string
	handles *int64
	session *int64
	threads *int64
	line    int64
}

// notePidless keeps rec, a row of a table without pids, until Finish.
func (r *Reader) notePidless(rec Record) {
	r.pidless++
	if r.pidlessLine == 0 {
		r.pidlessLine = r.LineNo
	}
	if len(r.pidlessRows) < maxByImage {
		r.pidlessRows = append(r.pidlessRows, byImage{
			image: rec.Image, handles: rec.Handles, session: rec.Session, threads: rec.Threads, line: r.LineNo,
		})
	}
}

// finishPidless reads the pidless rows whose image is shown once, and
// reports the rows read and not.
func (r *Reader) finishPidless() {
	if r.pidless == 0 {
		return
	}
	rows := map[string]int{}
	for _, row := range r.pidlessRows {
		rows[imageKey(row.image)]++
	}
	withPID := r.sink.images()
	var read int64
	for _, row := range r.pidlessRows {
		k := imageKey(row.image)
		if rows[k] != 1 || withPID[k] {
			continue
		}
		pos := facts.Position{Path: r.log.Path, Line: row.line}
		pb := r.b.ProcessByImage(row.image, pos)
		pb.P.HandleCount, pb.P.Session = row.handles, row.session
		if row.threads != nil {
			pb.ReportThreadCount(*row.threads)
		}
		read++
	}
	if read == r.pidless {
		r.log.Diag(r.pidlessLine, facts.SevInfo, facts.CodeMissing,
			"%d row(s) of a table without a pid column (Id, ProcessId), this one first: each image is shown once, and each row is read as the process of its image, without a pid", r.pidless)
		return
	}
	r.log.Diag(r.pidlessLine, facts.SevWarning, facts.CodeMissing,
		"%d row(s) of a table without a pid column (Id, ProcessId), this one first: %d read as the process of their image, shown once; %d not, their image shown in several rows or with a pid elsewhere, so that nothing tells their processes apart (select the Id column too)",
		r.pidless, read, r.pidless-read)
}

// imageKey is how images are compared: as Windows compares file names,
// a missing ".exe" aside (see sameImage).
func imageKey(image string) string {
	return strings.TrimSuffix(strings.ToLower(image), ".exe")
}
