package proctable

import (
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Record is what one row or block says about one process.
type Record struct {
	PID uint64
	// Image is the image as facts hold it (see ImageName), "" if not shown.
	Image   string
	Handles *int64
	Session *int64
	Threads *int64
	// NonPaged is the nonpaged pool charged to the process, in bytes.
	NonPaged *int64
	// Created is the creation time in RFC 3339, "" if not shown or not
	// placeable in time.
	Created string
	Path    string
	// Cmdline is the command line, "" if not shown.
	Cmdline string
	// Services are the services the process hosts, nil if not shown
	// (or shown as none: N/A); ServicesOpen says their list ended in a
	// comma, to go on on a line the capture may not have.
	Services     []string
	ServicesOpen bool
	// Cut says the row's path or command line was cut to its column's
	// width (Truncated), and not read.
	Cut  bool
	Host string
	Line int64
}

// Sink turns records into processes of a facts.Builder, one per pid.
//
// A capture often holds the output of several commands (Get-Process,
// then Get-Process -Id $PID; a sorted list, then the top rows again):
// all are read as one capture of one machine, and a pid shown again with
// the same image (and creation time, where given) is the same process,
// whose handle count is the one of its latest row, the latest moment
// the capture shows. A pid shown with another image or creation time is
// reported (the pid was reused between the commands, or the outputs are
// of two machines) and read as the process first shown.
type Sink struct {
	b   *facts.Builder
	log *facts.SourceLog

	procs map[uint64]*sinkProc
	// again counts the records of pids shown before, again the first
	// line of them; changed counts the processes whose count changed.
	again, againLine, changed int64
	host                      string
	hostLine                  int64
	otherHost                 bool
	// split, when set, makes the Builder of each other machine's rows,
	// whose Sinks are others, in the order first shown, and byHost, by
	// the host's name in lower case (hosts.go).
	split  func() *facts.Builder
	others []*Sink
	byHost map[string]*Sink
	// hostsSaid, shared by the Sinks of a loop's tables, says the
	// machines were named once already (a table per sample names the
	// same ones).
	hostsSaid *bool
	// more holds the services of pids that lines after their rows list
	// (a tasklist /svc list wrapped), given to them by Finish; open, the
	// pids whose list ended in a comma with no line after it: cut short
	// (| findstr), they name no service.
	more map[uint64][]string
	open map[uint64]bool
}

// MoreServices adds the services a line lists to those of the process of
// pid's row, as the line goes on with that row's list.
func (s *Sink) MoreServices(pid uint64, line string) {
	if s.more == nil {
		s.more = map[uint64][]string{}
	}
	s.more[pid] = appendServices(s.more[pid], ServiceList(line))
	s.noteOpen(pid, listGoesOn(line))
}

// noteOpen records whether pid's list of services, as far as read, ends
// in a comma.
func (s *Sink) noteOpen(pid uint64, open bool) {
	if s.open == nil {
		s.open = map[uint64]bool{}
	}
	s.open[pid] = open
}

type sinkProc struct {
	pb       *facts.ProcessBuilder
	line     int64
	created  string
	conflict bool
	// first is the handle count of the first row that gave one, rows
	// the rows that showed the process.
	first *int64
	rows  int64
}

// NewSink returns a Sink adding to b and reporting to log.
func NewSink(b *facts.Builder, log *facts.SourceLog) *Sink {
	return &Sink{b: b, log: log, procs: map[uint64]*sinkProc{}}
}

// Add adds the process r describes.
func (s *Sink) Add(r Record) {
	if s.host != "" && r.Host != "" && !strings.EqualFold(r.Host, s.host) {
		if o := s.hostSink(r.Host); o != nil {
			o.Add(r)
			return
		}
	}
	s.noteHost(r)
	pos := facts.Position{Path: s.log.Path, Line: r.Line}
	p := s.procs[r.PID]
	if p == nil {
		p = &sinkProc{pb: s.b.ProcessByPID(r.PID, pos), line: r.Line, created: r.Created, first: r.Handles, rows: 1}
		s.procs[r.PID] = p
		// What another piece of the capture (read with --merge) said of
		// the process stays where this row says nothing: a tasklist
		// table has no handle count to replace Get-Process's.
		pb := p.pb
		pb.SetImage(r.Image, pos)
		setIf(&pb.P.HandleCount, r.Handles)
		setIf(&pb.P.Session, r.Session)
		if r.Threads != nil {
			pb.ReportThreadCount(*r.Threads)
		}
		setIf(&pb.P.CreateTime, r.Created)
		setIf(&pb.P.Path, r.Path)
		setIf(&pb.P.Cmdline, r.Cmdline)
		setIf(&pb.P.PoolNonpagedBytes, r.NonPaged)
		if r.Services != nil {
			pb.P.Services = r.Services
			s.noteOpen(r.PID, r.ServicesOpen)
		}
		return
	}
	s.again++
	if s.againLine == 0 {
		s.againLine = r.Line
	}
	pb := p.pb
	other := (r.Image != "" && pb.P.Image != "" && !sameImage(r.Image, pb.P.Image)) ||
		(r.Created != "" && p.created != "" && r.Created != p.created)
	if other {
		if !p.conflict {
			p.conflict = true
			s.log.Diag(r.Line, facts.SevWarning, scan.CodePIDImage,
				"pid %d is shown as %s here and as %s at line %d (the pid was reused between the commands, or the outputs are of two machines): read as the process first shown",
				r.PID, describe(r.Image, r.Created), describe(pb.P.Image, p.created), p.line)
		}
		return
	}
	p.rows++
	if pb.P.Image == "" {
		pb.SetImage(r.Image, pos)
	}
	if p.first == nil {
		p.first = r.Handles
	}
	if r.Handles != nil {
		if pb.P.HandleCount != nil && *pb.P.HandleCount != *r.Handles {
			s.changed++
		}
		pb.P.HandleCount = r.Handles
	}
	if r.Session != nil {
		pb.P.Session = r.Session
	}
	if r.Threads != nil {
		pb.ReportThreadCount(*r.Threads)
	}
	if r.NonPaged != nil {
		pb.P.PoolNonpagedBytes = r.NonPaged
	}
	if pb.P.Path == "" {
		pb.P.Path = r.Path
	}
	if pb.P.Cmdline == "" {
		pb.P.Cmdline = r.Cmdline
	}
	if pb.P.Services == nil && r.Services != nil {
		pb.P.Services = r.Services
		s.noteOpen(r.PID, r.ServicesOpen)
	}
	if pb.P.CreateTime == "" {
		pb.P.CreateTime = r.Created
		p.created = r.Created
	}
}

// mostChanged returns the process whose handle count changed most
// between its first row and its latest, and its pid; nil when none
// changed. Ties go to the lower pid, so the diagnostic is the same on
// every run.
func (s *Sink) mostChanged() (*sinkProc, uint64) {
	var best *sinkProc
	var bestPID uint64
	var bestDelta int64
	for pid, p := range s.procs {
		if p.first == nil || p.pb.P.HandleCount == nil || p.conflict {
			continue
		}
		d := *p.pb.P.HandleCount - *p.first
		if d < 0 {
			d = -d
		}
		if d > bestDelta || d == bestDelta && d > 0 && pid < bestPID {
			best, bestPID, bestDelta = p, pid, d
		}
	}
	return best, bestPID
}

// images returns the images of the processes added, as ImageKey gives
// them.
func (s *Sink) images() map[string]bool {
	out := make(map[string]bool, len(s.procs))
	for _, p := range s.procs {
		if p.pb.P.Image != "" {
			out[ImageKey(p.pb.P.Image)] = true
		}
	}
	return out
}

// sameImage compares images as Windows compares file names, a missing
// ".exe" aside (wmic's csrss.exe is Get-Process's csrss).
func sameImage(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	return strings.TrimSuffix(a, ".exe") == strings.TrimSuffix(b, ".exe")
}

func describe(image, created string) string {
	if image == "" {
		image = "(no image)"
	}
	if created != "" {
		return image + " created " + created
	}
	return image
}

// noteHost gives the builder the machine the rows name, and reports rows
// of another machine once.
func (s *Sink) noteHost(r Record) {
	if r.Host == "" {
		return
	}
	if s.host == "" {
		s.host, s.hostLine = r.Host, r.Line
		s.b.SetHost(r.Host, "", "")
		return
	}
	if !strings.EqualFold(r.Host, s.host) && !s.otherHost {
		s.otherHost = true
		s.log.Diag(r.Line, facts.SevWarning, CodeOtherHost,
			"this row is of machine %s, those before of %s (line %d): the rows are read as one machine's, processes of one pid merged", r.Host, s.host, s.hostLine)
	}
}

// CodeOtherHost: the capture holds rows of two machines, read as one.
const CodeOtherHost = "other-host"

// CodeHosts: the capture holds rows of several machines, read as a
// capture per machine.
const CodeHosts = "hosts"

// Finish reports what only the whole capture shows.
func (s *Sink) Finish() {
	for _, o := range s.others {
		o.Finish()
	}
	for pid, services := range s.more {
		if p := s.procs[pid]; p != nil {
			p.pb.P.Services = appendServices(p.pb.P.Services, services)
		}
	}
	for pid, open := range s.open {
		if p := s.procs[pid]; p != nil && open {
			p.pb.P.Services = nil // a list cut short: which of them runs is unknown
		}
	}
	if len(s.others) > 0 && (s.hostsSaid == nil || !*s.hostsSaid) {
		if s.hostsSaid != nil {
			*s.hostsSaid = true
		}
		names := make([]string, 0, min(len(s.others), 5))
		for _, o := range s.others[:min(len(s.others), 5)] {
			names = append(names, o.host)
		}
		more := ""
		if len(s.others) > 5 {
			more = ", ..."
		}
		s.log.Diag(s.others[0].hostLine, facts.SevInfo, CodeHosts,
			"the rows are of %d machines (a PSComputerName, CSName or ComputerName column): read as a capture per machine, %s's (line %d) and %s%s, whose processes never merge by pid",
			len(s.others)+1, s.host, s.hostLine, strings.Join(names, ", "), more)
	}
	s.zeroColumn()
	if s.again > 0 {
		msg := "%d row(s) show a process shown before (several commands pasted, or one run in a loop): each process is read once, with the handle count of its latest row"
		args := []any{s.again}
		if s.changed > 0 {
			msg += "; %d count(s) changed between the rows"
			args = append(args, s.changed)
			if p, pid := s.mostChanged(); p != nil {
				msg += ", the most %s (pid %d)'s: from %d (line %d) to %d in the latest of its %d rows"
				args = append(args, p.pb.P.Image, pid, *p.first, p.line, *p.pb.P.HandleCount, p.rows)
			}
			msg += " (to read the change as growth, save each run in a file of its own and analyze the files together)"
		}
		s.log.Diag(s.againLine, facts.SevInfo, facts.CodeDuplicate, msg, args...)
	}
}

// setIf sets *dst to v unless v is the zero value (nil, ""): a value
// the row does not give.
func setIf[T comparable](dst *T, v T) {
	var zero T
	if v != zero {
		*dst = v
	}
}
