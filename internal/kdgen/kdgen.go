// Package kdgen writes large synthetic kernel debugger captures: the text a
// kd or WinDbg session prints for `!process 0 0` followed by `!handle 0 3
// <process>` for every process, in the Windows 10 x64 layout.
//
// The captures exist to test and benchmark leakdiag's reader on inputs far
// larger than any real capture at hand. They are deterministic for a seed,
// written as a stream in constant memory (only the process list and a few
// thousand object names are held, never the handles), and described by the
// Stats that Write returns, so a test can check every figure a reader
// derives against what was actually written.
//
// A capture looks like this, handle after handle:
//
//	0: kd> !process 0 0
//	**** NT ACTIVE PROCESS DUMP ****
//	PROCESS ffffc38e2c0dc080
//	    SessionId: 1  Cid: 08fc    Peb: da309be000  ParentCid: 156c
//	    DirBase: 1bc32002  ObjectTable: ffffa08f5ad26540  HandleCount: 2041.
//	    Image: IrpTrackerClient.exe
//
//	0: kd> !handle 0 3 ffffc38e2c0dc080
//
//	PROCESS ffffc38e2c0dc080
//	...
//	Handle table at ffffa08f5ad26540 with 2041 entries in use
//
//	0004: Object: ffffc38e2ff236b0  GrantedAccess: 0012019f Entry: ffffa08f5b1ff010
//	Object: ffffc38e2ff236b0  Type: (ffffc38e2c0fcf00) File
//	    ObjectHeader: ffffc38e2ff23680 (new version)
//	        HandleCount: 2  PointerCount: 65536
//	        Directory Object: 00000000  Name: \Windows\System32\en-US\foo.dll.mui {HarddiskVolume4}
//
// Object names come from a fixed pool of a few thousand realistic names
// (files, registry keys, named events, ALPC ports...), drawn with a skewed
// distribution, so names repeat as they do on a real machine and a reader
// that keeps one entry per distinct name stays small however many handles
// the capture holds.
package kdgen

import (
	"bufio"
	"fmt"
	"io"
)

// SessionNone is the ProcessStats.Session of a process whose SessionId the
// capture prints as "none" (System and a few early system processes).
const SessionNone = -1

// Config describes the capture to write.
type Config struct {
	// Processes is the number of processes, System included. It must be at
	// least 1. Cids keep to four hex digits up to about 5,000 processes.
	Processes int
	// Handles is the total number of handles across all processes. Every
	// process holds at least one, so it must be at least Processes.
	Handles int64
	// Seed selects the capture: the same Config writes the same bytes.
	Seed int64
	// Leaks are the leaking processes, if any. Each holds its Share of
	// Handles, almost all of them to the leaked object (see Leak).
	Leaks []Leak
}

// Leak describes one leaking process. The process holds Share of
// Config.Handles; all but a small working set (a tenth of them, at most
// about 800) are handles of type Type, to objects named Name or to
// anonymous objects when Name is empty. The leaked handles are spread
// through the process's handle table, as a leak that grows over time
// interleaves with normal activity. Leakers appear in the capture in the
// order of Config.Leaks.
type Leak struct {
	// PID is the leaking process's Cid, a non-zero multiple of 4 other than
	// 4 (System). Zero lets Write pick one.
	PID uint32
	// Image is the process's image name; empty picks a vendor agent name.
	Image string
	// Share is the fraction of Config.Handles this process holds, in (0, 1).
	Share float64
	// Type is the object type of the leaked handles; empty means "Event".
	// A type outside the usual Windows set is written as given.
	Type string
	// Name is the name of the leaked object, printed as the debugger would
	// ("\ProgramData\Agent\trace.log {HarddiskVolume4}" for a File,
	// "\REGISTRY\MACHINE\..." for a Key, a leaf name for a named Event).
	// Empty means anonymous objects: the classic unnamed Event leak. For a
	// File or Key every leaked handle is a separate object with that name
	// (the file opened again and again); for other types all leaked
	// handles refer to one object (the same named object opened again and
	// again), whose HandleCount says so.
	Name string
	// Distinct gives every leaked handle a name of its own: Name (or a
	// default per type when Name is empty) with the handle's sequence
	// number before any device suffix, as a leak that opens a new file per
	// request or a new registry key per session does. Each is a separate
	// object.
	Distinct bool
}

// DefaultLeaks returns n (at least 0) leaks sharing share of the handles
// equally, cycling through the shapes a handle leak usually takes: anonymous
// Events, one file opened over and over, one registry key opened over and
// over, and one named Section duplicated over and over.
func DefaultLeaks(n int, share float64) []Leak {
	shapes := []Leak{
		{Type: "Event"},
		{Type: "File", Name: `\ProgramData\Contoso\Agent\Logs\agent-trace.etl {HarddiskVolume4}`},
		{Type: "Key", Name: `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Policies`},
		{Type: "Section", Name: "ContosoAgentSharedState"},
	}
	leaks := make([]Leak, n)
	for i := range leaks {
		leaks[i] = shapes[i%len(shapes)]
		leaks[i].Share = share / float64(n)
	}
	return leaks
}

// Stats describes a capture Write wrote.
type Stats struct {
	// Bytes and Lines are the size of the capture; every line, the last
	// included, ends with "\n".
	Bytes int64
	Lines int64
	// Processes and Handles are the numbers of processes and handles
	// written.
	Processes int
	Handles   int64
	// ByType counts handles per object type ("Event", "ALPC Port"); types
	// with no handle are absent.
	ByType map[string]int64
	// Named counts handles printed with a "Directory Object: ... Name:"
	// line and Unnamed those printed without one.
	Named   int64
	Unnamed int64
	// DistinctNames is the number of distinct (type, name) pairs in the
	// whole capture.
	DistinctNames int
	// PerProcess describes each process, in the order written.
	PerProcess []ProcessStats
}

// ProcessStats describes one process of a capture.
type ProcessStats struct {
	// Address is the EPROCESS address and ObjectTable the handle table's.
	Address     uint64
	ObjectTable uint64
	PID         uint32
	PPID        uint32
	// Session is the session id, or SessionNone.
	Session int
	Image   string
	// Handles is the number of handles written, which is also the
	// HandleCount and the "entries in use" the capture prints.
	Handles int64
	// ByType, Named and Unnamed are as in Stats, for this process.
	ByType  map[string]int64
	Named   int64
	Unnamed int64
	// DistinctNames is the number of distinct (type, name) pairs among
	// this process's named handles.
	DistinctNames int
	// Leaked is the number of handles of the process's leak (see Leak), 0
	// for a process that does not leak.
	Leaked int64
}

// Write writes the capture cfg describes to w and returns its Stats. It
// buffers its output and holds memory in proportion to the number of
// processes, never to the number of handles. The error is a Config error
// (before anything is written) or w's first write error.
func Write(w io.Writer, cfg Config) (Stats, error) {
	g, err := newGen(cfg)
	if err != nil {
		return Stats{}, err
	}
	g.bw = bufio.NewWriterSize(w, 256<<10)
	g.run()
	if g.err == nil {
		g.err = g.bw.Flush()
	}
	if g.err != nil {
		return g.stats, fmt.Errorf("kdgen: writing the capture: %w", g.err)
	}
	return g.stats, nil
}
