package proctable

import (
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// A table of several machines' processes (Invoke-Command -ComputerName a,
// b { Get-Process }, its PSComputerName column; Win32_Process's CSName)
// names the machine of each row. One machine's pids say nothing of
// another's: read as one capture, pid 4242 of one host and pid 4242 of
// the other would be one process. A Reader told to SplitHosts reads the
// rows of each machine into a Builder of its own, a capture per host;
// one that is not keeps one capture and says so (Sink.noteHost).

// MaxHosts bounds the machines a capture is split into: the rows of
// machines past them are read with the first machine's, as a Reader
// that does not split reads them all, and the diagnostic says so.
const MaxHosts = 1000

// SplitHosts makes r read the rows of each machine a table names into a
// Builder of its own that newBuilder makes (the first machine's rows
// into r's Builder, or the point's of a series); HostBuilders returns
// them. Call it before reading.
func (r *Reader) SplitHosts(newBuilder func() *facts.Builder) {
	r.hostBuilder = newBuilder
	r.sink.split = newBuilder
	r.sink.hostsSaid = &r.hostsSaid
}

// newSink returns the Sink of a point's Builder b, splitting hosts as
// r does.
func (r *Reader) newSink(b *facts.Builder) *Sink {
	s := NewSink(b, r.log)
	s.split, s.hostsSaid = r.hostBuilder, &r.hostsSaid
	return s
}

// hosts is the number of machines whose rows s has read, 1 for none.
func (s *Sink) hosts() int { return 1 + len(s.others) }

// HostBuilders returns the Builders of the point's machines after the
// first, in the order the capture first shows them; nil when its rows
// name one machine or none, or the Reader does not split hosts.
func (p Point) HostBuilders() []*facts.Builder {
	if p.sink == nil {
		return nil
	}
	out := make([]*facts.Builder, len(p.sink.others))
	for i, o := range p.sink.others {
		out[i] = o.b
	}
	return out
}

// hostSink returns the Sink of the rows of host, a machine other than
// the first, or nil when s does not split hosts or has MaxHosts.
func (s *Sink) hostSink(host string) *Sink {
	if s.split == nil {
		return nil
	}
	key := strings.ToLower(host)
	if o, ok := s.byHost[key]; ok {
		return o
	}
	if len(s.others)+1 >= MaxHosts {
		return nil
	}
	if s.byHost == nil {
		s.byHost = map[string]*Sink{}
	}
	o := NewSink(s.split(), s.log)
	s.byHost[key] = o
	s.others = append(s.others, o)
	return o
}
