package facts

import "github.com/leakdiag/leakdiag/severity"

// SchemaVersion is the version of the snapshot JSON form this package writes
// and reads.
const SchemaVersion = 1

// Snapshot is one capture of one machine. See the package documentation.
type Snapshot struct {
	SchemaVersion int    `json:"schema_version"`
	Host          string `json:"host,omitempty"`
	OSVersion     string `json:"os_version,omitempty"`
	// CapturedAt is the time the capture says it was taken, as printed
	// (the debugger's "Debug session time"), or empty.
	CapturedAt string `json:"captured_at,omitempty"`
	// TypeTotals are system-wide handle counts by type as a summary over
	// all processes states them (Sysinternals `handle -s`), or nil.
	TypeTotals map[string]int64 `json:"type_totals,omitempty"`
	// TypeTotalsPartial: the summary was cut short (no total line), so a
	// type TypeTotals does not list has an unknown count, not none.
	TypeTotalsPartial bool `json:"type_totals_partial,omitempty"`
	// Memory is what `!vm` and `!poolused` say, or nil.
	Memory      *Memory      `json:"memory,omitempty"`
	Sources     []Source     `json:"sources"`
	Processes   []*Process   `json:"processes"`
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Source is one file read into a snapshot.
type Source struct {
	Path   string     `json:"path"`
	Format string     `json:"format"`
	Lines  LineCounts `json:"lines"`
	// Bytes accounts for every byte of a binary source (a minidump); nil
	// for text, whose lines account for it.
	Bytes *ByteCounts `json:"bytes,omitempty"`
	// Lacks names what the source's format cannot give, in the order of
	// the Lacks* constants: a Get-Process table has handle counts but no
	// types, names or stacks, so a rule that needs types has nothing to
	// read there rather than zero of each. Empty for formats that list
	// handles.
	Lacks []string `json:"lacks,omitempty"`
}

// What a source's format cannot give (Source.Lacks).
const (
	// LacksTypes: no object type per handle or per process.
	LacksTypes = "types"
	// LacksNames: no object names.
	LacksNames = "names"
	// LacksStacks: no stacks of the code that opened handles.
	LacksStacks = "stacks"
)

// ByteCounts accounts for every byte of a binary source: Parsed + Skipped
// + Other == Total.
type ByteCounts struct {
	Total int64 `json:"total"`
	// Parsed were read and understood: headers, the streams leakdiag
	// decodes and what they point to.
	Parsed int64 `json:"parsed"`
	// Skipped are in parts leakdiag does not read, by part (a minidump's
	// memory lists, say) in SkippedBy.
	Skipped   int64            `json:"skipped"`
	SkippedBy map[string]int64 `json:"skipped_by,omitempty"`
	// Other are in no part: data the parts point to that leakdiag has no
	// use for (memory contents, thread contexts), padding.
	Other int64 `json:"other"`
}

// LineCounts accounts for every line of a text source: Parsed + Ignored +
// Unrecognized == Total.
type LineCounts struct {
	Total        int64 `json:"total"`
	Parsed       int64 `json:"parsed"`
	Ignored      int64 `json:"ignored"`
	Unrecognized int64 `json:"unrecognized"`
}

// Position is a place in a source file: a line (from 1) of a text
// capture, or a byte offset into a binary one (a minidump), whose Line is
// 0.
type Position struct {
	Path   string `json:"path"`
	Line   int64  `json:"line"`
	Offset int64  `json:"offset,omitempty"`
}

// Process is what a capture says about one process. See the package
// documentation for the meaning of each figure.
type Process struct {
	PID  uint64 `json:"pid"`
	PPID uint64 `json:"ppid"`
	// Session is nil when the capture says "none" or does not say.
	Session *int64 `json:"session"`
	Image   string `json:"image"`
	// Address is the kernel address of the process object (EPROCESS) as
	// lowercase hex without a backtick, or empty in user-mode captures.
	Address     string `json:"address,omitempty"`
	ObjectTable string `json:"object_table,omitempty"`
	// Path is the executable's full path and Cmdline its command line,
	// where the capture gives them (minidumps, Linux snapshots, wmic and
	// Get-CimInstance tables, Process Explorer and System Informer): the
	// engine names what a host process (svchost.exe, java...) runs from it.
	Path    string `json:"path,omitempty"`
	Cmdline string `json:"cmdline,omitempty"`
	// Services are the Windows services the process hosts, where the
	// capture lists them (tasklist /svc): a svchost.exe's name what it
	// runs. Nil when the capture does not say, or says none.
	Services []string `json:"services,omitempty"`
	// CreateTime is when the process was created (RFC 3339, UTC), where
	// the capture says: with the pid and image it tells a process from a
	// later one that reused its pid.
	CreateTime string `json:"create_time,omitempty"`
	// FDLimit is the most file descriptors the process may hold (its soft
	// RLIMIT_NOFILE), on Linux; nil elsewhere.
	FDLimit *int64 `json:"fd_limit,omitempty"`
	// SocketStates counts the process's TCP sockets by state
	// (ESTABLISHED, CLOSE_WAIT, ...), on Linux; nil elsewhere.
	SocketStates map[string]int64 `json:"socket_states,omitempty"`
	// UnidentifiedSockets counts the sockets lsof shows as "can't identify
	// protocol": the connection is gone (half closed) but the process never
	// closed its fd. Linux only.
	UnidentifiedSockets int64 `json:"unidentified_sockets,omitempty"`
	// DeletedFDs counts the fds open to files that have been deleted
	// (program text and memory maps aside), and DeletedBytes the sizes of
	// those files, each file once: disk space nobody can see or free until
	// the process closes them. Linux only.
	DeletedFDs   int64 `json:"deleted_fds,omitempty"`
	DeletedBytes int64 `json:"deleted_bytes,omitempty"`
	// Instance is the name a performance counter log or a metric gives
	// the process (svchost#1, perfmon's instance name), where that is how
	// the capture names it. Run counts the times the instance vanished
	// from the log and came back before this process, where the capture
	// gives no pid: a restart is another process. In a series, processes
	// without a pid are matched by image, instance and run.
	Instance string `json:"instance,omitempty"`
	Run      int64  `json:"run,omitempty"`
	// PrivateBytes is the process's private committed memory and
	// PoolNonpagedBytes the nonpaged pool charged to it, where the capture
	// gives them (a counter log's Private Bytes and Pool Nonpaged Bytes);
	// nil otherwise.
	PrivateBytes      *int64 `json:"private_bytes,omitempty"`
	PoolNonpagedBytes *int64 `json:"pool_nonpaged_bytes,omitempty"`

	HandleCount  *int64 `json:"handle_count"`
	TableEntries *int64 `json:"table_entries"`
	// PeakHandles is the most handles the process has held since it
	// started, where the capture says (System Informer's Statistics tab),
	// or at least the highest descriptor number plus one where lsof or a
	// listing of /proc/PID/fd shows descriptors of 10,000 and more, or
	// a count of 10,000 and more of those a filter kept (ls -l
	// /proc/PID/fd | grep socket | wc -l): a count far below it was higher before, one equal to it is at its
	// highest yet. nil elsewhere.
	PeakHandles   *int64 `json:"peak_handles,omitempty"`
	HandlesParsed int64  `json:"handles_parsed"`

	// ByType counts handles by type. It and UnnamedByType are read, never
	// written, once the process is built: processes without counts share
	// one empty map.
	ByType         map[string]int64 `json:"by_type"`
	TypeCountsFrom string           `json:"type_counts_from"`
	// TypesPartial: ByType is known to leave types out (the debugger's
	// type summary was cut short, before its total): a type it does not
	// list has an unknown count, not none. See TypeCount.
	TypesPartial  bool    `json:"types_partial,omitempty"`
	DominantType  string  `json:"dominant_type"`
	DominantShare float64 `json:"dominant_share"`

	// DistinctNames counts the distinct (type, name) pairs among named
	// handles: exactly up to NameTableLimit of them, an estimate past it
	// (DistinctNamesEstimated; relative standard error DistinctNamesError).
	DistinctNames          int64            `json:"distinct_names"`
	DistinctNamesEstimated bool             `json:"distinct_names_estimated,omitempty"`
	Unnamed                int64            `json:"unnamed"`
	UnnamedByType          map[string]int64 `json:"unnamed_by_type"`
	Untyped                int64            `json:"untyped"`
	// TopNames are the names held most, most first (at most
	// TopNamesLimit); past NameTableLimit distinct names a count may be
	// short of the true one, by at most its Error (see NameTableLimit).
	TopNames []NameCount `json:"top_names"`
	// TopFolder is the folder most of the named handles are under, where
	// it says more than TopNames: a leak of a new file or key each time
	// holds each name once (see Folder). nil otherwise, and for a process
	// of fewer than 1,024 distinct names.
	TopFolder *Folder `json:"top_folder,omitempty"`

	Threads                  int64 `json:"threads"`
	TerminatedThreads        int64 `json:"terminated_threads"`
	Exited                   bool  `json:"exited"`
	Frozen                   bool  `json:"frozen"`
	HandlesToExitedProcesses int64 `json:"handles_to_exited_processes"`
	HandlesToExitedThreads   int64 `json:"handles_to_exited_threads"`
	// HeldBy counts, for an exited process, the handles to it the capture
	// shows other processes holding: 0 when its holder is not in the
	// capture.
	HeldBy int64 `json:"held_by,omitempty"`
	// ZombiesHeld is the number of exited processes a zombie-counting
	// tool (FindZombieHandles) says this process keeps alive with its
	// handles, and ZombieImages their images, most held first (at most
	// TopNamesLimit; type "Process"). The zombies are not processes of the
	// snapshot: the tool names their images, not their pids.
	ZombiesHeld  int64       `json:"zombies_held,omitempty"`
	ZombieImages []NameCount `json:"zombie_images,omitempty"`
	// Inheritable counts the handles marked (Inherit) in a kd handle dump,
	// or the fds without close-on-exec on Linux: a child process started
	// with inheritance gets a copy of each.
	Inheritable int64 `json:"inheritable,omitempty"`

	// OpenStacks are the stacks that opened handles still open, from
	// `!htrace`, most handles first (at most StackLimit); OpenTraced
	// counts the open handles they cover. TracedOpens, TracedCloses and
	// TracedBadReferences count the trace's entries of each kind.
	OpenStacks          []Stack `json:"open_stacks"`
	OpenTraced          int64   `json:"open_traced"`
	TracedOpens         int64   `json:"traced_opens"`
	TracedCloses        int64   `json:"traced_closes"`
	TracedBadReferences int64   `json:"traced_bad_references"`
	// OpenSinceSnapshot counts the handles `!htrace -diff` lists as opened
	// since its snapshot and still open, each handle once, with or without
	// a stack (a paste may elide the frames), or the count its footer
	// states when the capture shows fewer entries than that.
	OpenSinceSnapshot int64 `json:"open_since_snapshot,omitempty"`
	// ReportedLeaks counts the handles a leak checker run with the
	// process (Dr. Memory's HANDLE LEAK errors, each with its "similar
	// handles") reports opened and never closed when the process exited;
	// their stacks are among OpenStacks.
	ReportedLeaks int64 `json:"reported_leaks,omitempty"`

	// VerifierStops are the Application Verifier stops that report a
	// leaked handle of the process.
	VerifierStops []VerifierStop `json:"verifier_stops,omitempty"`

	// Modules are the modules loaded in the process, where the capture
	// lists them (a minidump): the candidates for the component behind a
	// leak, and what resolves trace addresses to module!+offset.
	Modules []Module `json:"modules,omitempty"`

	Source Position `json:"source"`
}

// Module is a module loaded in a process.
type Module struct {
	// Name is the file name (contosohook.dll), Path the full path.
	Name string `json:"name"`
	Path string `json:"path,omitempty"`
	// Base is the load address as hex ("0x7ffb2c470000"), Size its size.
	Base string `json:"base"`
	Size uint64 `json:"size"`
	// Timestamp is the PE link time (RFC 3339), Version the file version
	// ("10.0.19041.1"), where known.
	Timestamp string `json:"timestamp,omitempty"`
	Version   string `json:"version,omitempty"`
}

// Where ByType comes from (Process.TypeCountsFrom).
const (
	// CountsFromHandles: every count was made from the handles shown.
	CountsFromHandles = "handles"
	// CountsFromSummary: some counts are the debugger's own type summary.
	CountsFromSummary = "summary"
)

// NameCount is one object name a process holds handles to.
type NameCount struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Count int64  `json:"count"`
	// Error bounds how far the handles to the name may exceed Count: 0,
	// the count is exact, but for a process of more than NameTableLimit
	// distinct names, whose counts are a Space-Saving summary's: Count is
	// the handles counted since the name last entered the summary, never
	// more than the true count, which is at most Count+Error.
	Error int64 `json:"error,omitempty"`
	// First is where the first handle to this name appears: evidence a
	// report can quote.
	First Position `json:"first"`
}

// Severity grades a diagnostic, as findings are graded.
type Severity = severity.Level

// Diagnostic severities.
const (
	// SevError: input that could not be read at all (a bad encoding, a line
	// too long to hold).
	SevError = severity.Error
	// SevWarning: data lost or inconsistent (an unrecognized line, a table
	// that reports more entries than the capture shows for no stated reason,
	// a block cut short).
	SevWarning = severity.Warning
	// SevInfo: a fact about the capture worth knowing (a partial dump the
	// command asked for, an author's elision, other commands ignored).
	SevInfo = severity.Info
)

// Diagnostic is something a reader reports about its input.
type Diagnostic struct {
	Path string `json:"path"`
	Line int64  `json:"line"`
	// Offset is the byte offset in a binary capture (Line is 0 there).
	Offset   int64    `json:"offset,omitempty"`
	Severity Severity `json:"severity"`
	// Code is a stable identifier for the kind of diagnostic.
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Diagnostic codes.
const (
	CodeUnrecognized   = "unrecognized-line"
	CodeCountMismatch  = "count-mismatch"
	CodeTruncated      = "truncated-block"
	CodeNoProcess      = "handle-without-process"
	CodeElision        = "elision"
	CodeDuplicate      = "duplicate-handle"
	CodeIgnoredCommand = "ignored-command"
	CodeLongLine       = "long-line"
	CodeEncoding       = "encoding"
	CodeMoreOmitted    = "more-diagnostics"
	CodeMissing        = "missing-value"
	CodeRepaired       = "repaired"
	// CodeWrapped: the output of a command another command ran and passed
	// through (`!mex.grep ... !handle ...`), read as the inner command's;
	// partial when the outer one filters it.
	CodeWrapped = "wrapped-command"
)
