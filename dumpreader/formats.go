package dumpreader

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/counterlog"
	"github.com/leakdiag/leakdiag/dumpreader/drmemory"
	"github.com/leakdiag/leakdiag/dumpreader/eventlog"
	"github.com/leakdiag/leakdiag/dumpreader/findzombie"
	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/handleexe"
	"github.com/leakdiag/leakdiag/dumpreader/kd"
	"github.com/leakdiag/leakdiag/dumpreader/lsfd"
	"github.com/leakdiag/leakdiag/dumpreader/lsof"
	"github.com/leakdiag/leakdiag/dumpreader/osquery"
	"github.com/leakdiag/leakdiag/dumpreader/poolmon"
	"github.com/leakdiag/leakdiag/dumpreader/procexp"
	"github.com/leakdiag/leakdiag/dumpreader/procfd"
	"github.com/leakdiag/leakdiag/dumpreader/prometheus"
	"github.com/leakdiag/leakdiag/dumpreader/pslist"
	"github.com/leakdiag/leakdiag/dumpreader/sysinformer"
	"github.com/leakdiag/leakdiag/dumpreader/tasklist"
	"github.com/leakdiag/leakdiag/dumpreader/taskmgr"
	"github.com/leakdiag/leakdiag/dumpreader/volatility"
	"github.com/leakdiag/leakdiag/dumpreader/wmic"
	"github.com/leakdiag/leakdiag/facts"
)

// Format names a kind of capture.
type Format string

// Formats besides those of the format packages.
const (
	// FormatKD is kd/WinDbg/cdb text (package kd).
	FormatKD Format = kd.Name
	// FormatHandle is Sysinternals Handle's output (package handleexe).
	FormatHandle Format = handleexe.Name
	// FormatLsof is lsof output (package lsof).
	FormatLsof Format = lsof.Name
	// FormatLsfd is util-linux lsfd's output (package lsfd).
	FormatLsfd Format = lsfd.Name
	// FormatProcFD is a listing of /proc/PID/fd, ls -l of a Linux
	// process's descriptors (package procfd).
	FormatProcFD Format = procfd.Name
	// FormatProcexp is Process Explorer's saved text (package procexp).
	FormatProcexp Format = procexp.Name
	// FormatSysinformer is System Informer / Process Hacker copies
	// (package sysinformer).
	FormatSysinformer Format = sysinformer.Name
	// FormatOsquery is osqueryi's output of the processes table (package
	// osquery).
	FormatOsquery Format = osquery.Name
	// FormatFindZombie is FindZombieHandles' output (package findzombie).
	FormatFindZombie Format = findzombie.Name
	// FormatDrMemory is Dr. Memory's report of a program's handle leaks
	// (package drmemory).
	FormatDrMemory Format = drmemory.Name
	// FormatPsList is Sysinternals PsList's process table (package
	// pslist).
	FormatPsList Format = pslist.Name
	// FormatPoolmon is PoolMon's display of kernel pool by tag (package
	// poolmon).
	FormatPoolmon Format = poolmon.Name
	// FormatEventLog is the Windows System event log as pasted, read for
	// its events of pool running out (package eventlog).
	FormatEventLog Format = eventlog.Name
	// FormatGetProcess is PowerShell's Get-Process family (package
	// getprocess).
	FormatGetProcess Format = getprocess.Name
	// FormatWMIC is wmic's process lists (package wmic).
	FormatWMIC Format = wmic.Name
	// FormatTaskMgr is a copy of Task Manager's Details tab (package
	// taskmgr).
	FormatTaskMgr Format = taskmgr.Name
	// FormatTaskList is tasklist's output, processes without handle
	// counts (package tasklist).
	FormatTaskList Format = tasklist.Name
	// FormatCounterLog is a performance counter log: typeperf and relog
	// CSV (package counterlog). It is a series.
	FormatCounterLog Format = counterlog.Name
	// FormatPrometheus is Prometheus exposition text of process handle
	// metrics (package prometheus); FormatPrometheusRange the JSON of a
	// query_range response of them, a series.
	FormatPrometheus      Format = prometheus.Name
	FormatPrometheusRange Format = prometheus.NameRange
	// FormatVolatility is Volatility 2 and 3 and Rekall text output of
	// process lists and handle listings (package volatility).
	FormatVolatility Format = volatility.Name
	// FormatSnapshot is leakdiag's own snapshot JSON (facts.WriteJSON).
	FormatSnapshot Format = "snapshot"
)

// format is a row of the table of formats: what detection, reading, the
// list of formats and the CLI's help know of one format.
type format struct {
	name Format
	// magic, for a binary format, is how its files begin.
	magic string
	// sniff, for a text format, tells it from the head of a capture
	// decoded to UTF-8; cut says the head is the start of something
	// longer, whose last line may be incomplete.
	sniff func(text []byte, cut bool) bool
	// nul says the format's text may hold NULs (lsof -F0): it is sniffed
	// before text with NULs is taken for binary.
	nul bool
	// json says the format is JSON: its sniff is asked of text that
	// begins with "{" and is no snapshot JSON, and only of such text.
	json bool
	// loose says the sniff accepts much (any line the reader parses): it
	// is tried after the stricter ones.
	loose bool
	// read reads a text capture into b, accounting for every line in
	// log. The binary formats and snapshot JSON are read by readInto.
	read func(b *facts.Builder, log *facts.SourceLog, r io.Reader) error
	// readSeries, instead of read, reads a text capture that is a series
	// (a counter log: a sample per row, each a capture of one host at its
	// time) into a snapshot per capture, oldest first, accounting for
	// every line in log; the snapshots get log's source, and the last
	// its diagnostics. A capture of several hosts (a query_range
	// response) gives each host's series one after another, each the
	// last of its host with the diagnostics. Such a capture is read on
	// its own, as a series file is. A format with both read and
	// readSeries (Get-Process, whose file may hold one table or a loop's
	// many) is read with readSeries when its file is read on its own,
	// with read when it is a piece of a capture of several files.
	readSeries func(log *facts.SourceLog, r io.Reader) ([]*facts.Snapshot, error)
	// noun names a capture of a series format in reports: "counter log".
	noun string
	// earlier names what of a capture of the format, read on its own,
	// makes it a series (facts.Builder.Earlier): "runs of Handle's type
	// summary".
	earlier string
	// readWith, where set, is read with workers parsing beside it (see
	// Options.Workers), chunk the size of their pieces.
	readWith func(b *facts.Builder, log *facts.SourceLog, r io.Reader, workers, chunk int) error
	// utf16 names what writes captures of the format in UTF-16, for the
	// diagnostic that says the text was decoded.
	utf16 string
}

// formats is the one list of the formats leakdiag reads, in the order
// Formats gives them. Detection takes binary magics first, then
// snapshot JSON, then the text formats from the strictest sniff to the
// loosest (see Detect).
var formats = []format{
	{
		name: FormatKD, sniff: kd.Sniff, loose: true, read: kd.Read,
		readWith: func(b *facts.Builder, log *facts.SourceLog, r io.Reader, workers, chunk int) error {
			return kd.ReadWith(b, log, r, scan.Parallel{Workers: workers, ChunkSize: chunk})
		},
		utf16: "WinDbg's .logopen /u",
	},
	{
		name: FormatHandle, sniff: func(text []byte, _ bool) bool { return handleexe.Sniff(text) },
		read: handleexe.Read,
		readWith: func(b *facts.Builder, log *facts.SourceLog, r io.Reader, workers, chunk int) error {
			return handleexe.ReadWith(b, log, r, scan.Parallel{Workers: workers, ChunkSize: chunk})
		},
		utf16: "PowerShell's >",
		// `handle -s -p` run again, before and after a test.
		earlier: "runs of Handle's type summary",
	},
	{
		// Before lsof: lsfd's rows read like lsof's rows without a
		// header, which lsof's sniff takes; lsfd's wants its own header.
		name: FormatLsfd, sniff: func(text []byte, _ bool) bool { return lsfd.Sniff(text) },
		read: lsfd.Read,
	},
	{
		name: FormatLsof, sniff: func(text []byte, _ bool) bool { return lsof.Sniff(text) }, nul: true,
		read: lsof.Read,
		readWith: func(b *facts.Builder, log *facts.SourceLog, r io.Reader, workers, chunk int) error {
			return lsof.ReadWith(b, log, r, scan.Parallel{Workers: workers, ChunkSize: chunk})
		},
		utf16: "PowerShell's >",
	},
	{
		name: FormatProcFD, sniff: func(text []byte, _ bool) bool { return procfd.Sniff(text) },
		read: procfd.Read,
	},
	{
		name: FormatProcexp, sniff: func(text []byte, _ bool) bool { return procexp.Sniff(text) },
		read: procexp.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatSysinformer, sniff: func(text []byte, _ bool) bool { return sysinformer.Sniff(text) },
		read: sysinformer.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatOsquery, sniff: func(text []byte, _ bool) bool { return osquery.Sniff(text) },
		read: osquery.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatFindZombie, sniff: func(text []byte, _ bool) bool { return findzombie.Sniff(text) },
		read: findzombie.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatDrMemory, sniff: func(text []byte, _ bool) bool { return drmemory.Sniff(text) },
		read: drmemory.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatPsList, sniff: func(text []byte, _ bool) bool { return pslist.Sniff(text) },
		read: pslist.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatPoolmon, sniff: func(text []byte, _ bool) bool { return poolmon.Sniff(text) },
		read: poolmon.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatEventLog, sniff: func(text []byte, _ bool) bool { return eventlog.Sniff(text) },
		read: eventlog.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatVolatility, sniff: func(text []byte, _ bool) bool { return volatility.Sniff(text) },
		read: volatility.Read, utf16: "PowerShell's >",
	},
	{
		// wmic before getprocess: its tables are PowerShell's without the
		// dashes, and a CSV of Win32_Process properties reads as either.
		name: FormatWMIC, sniff: func(text []byte, _ bool) bool { return wmic.Sniff(text) },
		read: wmic.Read, utf16: "wmic's redirected output",
		// wmic in a loop, pasted as one file: a series when it is read
		// on its own.
		readSeries: wmic.ReadSeries, noun: "wmic loop",
	},
	{
		name: FormatGetProcess, sniff: func(text []byte, _ bool) bool { return getprocess.Sniff(text) },
		read: getprocess.Read, utf16: "PowerShell's >",
		// Get-Process in a loop, pasted as one file: a series when it is
		// read on its own.
		readSeries: getprocess.ReadSeries, noun: "Get-Process loop",
	},
	{
		name: FormatTaskMgr, sniff: func(text []byte, _ bool) bool { return taskmgr.Sniff(text) },
		read: taskmgr.Read,
	},
	{
		// After the readers that give handle counts: a capture of theirs
		// with tasklist's output pasted beside it is theirs.
		name: FormatTaskList, sniff: func(text []byte, _ bool) bool { return tasklist.Sniff(text) },
		read: tasklist.Read, utf16: "cmd's redirected output",
	},
	{
		name: FormatCounterLog, sniff: func(text []byte, _ bool) bool { return counterlog.Sniff(text) },
		readSeries: counterlog.Read, noun: "counter log", utf16: "PowerShell's >",
	},
	{
		name: FormatPrometheus, sniff: func(text []byte, _ bool) bool { return prometheus.Sniff(text) },
		read: prometheus.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatPrometheusRange, sniff: func(text []byte, _ bool) bool { return prometheus.SniffRange(text) }, json: true,
		readSeries: prometheus.ReadRange, noun: "Prometheus query_range response", utf16: "PowerShell's >",
	},
	{name: FormatMinidump, magic: "MDMP"},
	{name: FormatSnapshot},
}

// Formats lists the formats leakdiag reads, for --input-format.
func Formats() []Format {
	out := make([]Format, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}

// lookup returns the row of the format named name, nil if there is none.
func lookup(name Format) *format {
	for i := range formats {
		if formats[i].name == name {
			return &formats[i]
		}
	}
	return nil
}

// EarlierNoun names what of a capture of a format, read on its own, makes
// it a series of the processes it shows before and after ("runs of
// Handle's type summary"); "" for formats without.
func EarlierNoun(name Format) string {
	if f := lookup(name); f != nil {
		return f.earlier
	}
	return ""
}

// SeriesNoun names a capture of a format whose captures are series (a
// file of it holds several captures of one host over time): "counter
// log"; "" for other formats.
func SeriesNoun(name Format) string {
	if f := lookup(name); f != nil && f.readSeries != nil {
		return f.noun
	}
	return ""
}
