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

// pidlessRecord returns rec, a record block that named no pid (hasPID
// false), as a row without a pid for Pidless: when it has enough known
// properties (enough), a handle count and an image, the image taken
// from its Path where no Name is shown (a Format-List pasted from its
// Handles line on). ok is false for any other block.
func pidlessRecord(rec Record, hasPID, enough bool) (Record, bool) {
	if hasPID || !enough || rec.Handles == nil {
		return rec, false
	}
	if rec.Image == "" {
		base := rec.Path
		if i := strings.LastIndexAny(base, `\/`); i >= 0 {
			base = base[i+1:]
		}
		rec.Image = base
	}
	return rec, rec.Image != ""
}

// maxByImage bounds the pidless rows kept until the capture's end.
const maxByImage = 4096

// Pidless gathers the rows of tables without a pid column until the
// capture's end, when Finish reads those whose image is shown once. The
// zero value is ready to use.
type Pidless struct {
	rows  []Record
	n     int64
	first int64
}

// Note keeps rec, a row of a table without pids read at line rec.Line.
func (p *Pidless) Note(rec Record) {
	p.n++
	if p.first == 0 {
		p.first = rec.Line
	}
	if len(p.rows) < maxByImage {
		p.rows = append(p.rows, rec)
	}
}

// Finish adds to b the process of each image shown in one row only and
// not in withPID (images of processes read with a pid, as ImageKey gives
// them), and reports to log the rows read and not.
func (p *Pidless) Finish(b *facts.Builder, log *facts.SourceLog, withPID map[string]bool) {
	if p.n == 0 {
		return
	}
	rows := map[string]int{}
	for _, rec := range p.rows {
		rows[ImageKey(rec.Image)]++
	}
	var read int64
	for _, rec := range p.rows {
		k := ImageKey(rec.Image)
		if rows[k] != 1 || withPID[k] {
			continue
		}
		pb := b.ProcessByImage(rec.Image, facts.Position{Path: log.Path, Line: rec.Line})
		pb.P.HandleCount, pb.P.Session, pb.P.PoolNonpagedBytes = rec.Handles, rec.Session, rec.NonPaged
		if pb.P.Path == "" {
			pb.P.Path = rec.Path
		}
		if pb.P.Cmdline == "" {
			pb.P.Cmdline = rec.Cmdline
		}
		if pb.P.Services == nil {
			pb.P.Services = rec.Services
		}
		if rec.Threads != nil {
			pb.ReportThreadCount(*rec.Threads)
		}
		read++
	}
	if read == p.n {
		log.Diag(p.first, facts.SevInfo, facts.CodeMissing,
			"%d row(s) or list record(s) without a pid, this one first: each image is shown once, and each is read as the process of its image, without a pid", p.n)
		return
	}
	log.Diag(p.first, facts.SevWarning, facts.CodeMissing,
		"%d row(s) or list record(s) without a pid, this one first: %d read as the process of their image, shown once; %d not, their image shown in several rows or with a pid elsewhere, so that nothing tells their processes apart (show the pid too: Id, ProcessId, PID)",
		p.n, read, p.n-read)
}

// ImageKey is how images are compared: as Windows compares file names,
// a missing ".exe" aside (see sameImage).
func ImageKey(image string) string {
	return strings.TrimSuffix(strings.ToLower(image), ".exe")
}
