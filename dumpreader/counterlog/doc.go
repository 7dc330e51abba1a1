// Package counterlog reads performance counter logs: the CSV (or TSV)
// that typeperf -f CSV, relog -f CSV and perfmon's "Save Data As" write,
// the same CSV as typeperf prints it on the console, hard-wrapped at the
// console's width when pasted; and the table PowerShell's Get-Counter
// prints (a timestamp, then each counter path and its value), or its
// samples piped to Format-List (Timestamp and Readings records).
//
// A log is a series: every sample row is a capture of one host (the host
// its counter paths name) at the row's time, so Read returns a snapshot
// per sample, oldest first. Each instance of the Process object
// (\\HOST\Process(NAME#N)\Handle Count) is a process: its image is
// NAME.exe (perfmon drops the extension; System, Registry, Secure System
// and Memory Compression keep their bare names), its pid the instance's
// ID Process counter where the log has one, or the pid in its name where
// every instance is named NAME_PID (perfmon's ProcessNameFormat 2). Without ID Process, processes
// are told apart by instance name, and an instance that vanishes from the
// log (blank values) and comes back is a restart, another process (its
// Run counts the restarts). The instances _Total and Idle are no
// processes and are not read; nor are counters of other objects
// (processor, network), which a diagnostic notes once, but for the
// Memory object's: Pool Nonpaged Bytes and Pool Paged Bytes (what
// Performance Monitor is set to watch when hunting a pool leak),
// Available Bytes, Committed Bytes and Commit Limit, of the log's host,
// are each sample's memory summary (facts.VM, in KB as !vm gives it).
//
// Per process, Handle Count, Thread Count, ID Process, Private Bytes and
// Pool Nonpaged Bytes are read, under their English, German, French and
// Spanish names (see names.go).
//
// A long log is kept at most MaxPoints samples, fewer for a log of many
// processes (MaxProcessPoints over the processes, at least MinPoints):
// past that, every other kept sample is let go and the stride doubles, so
// the samples kept stay evenly spread, the first and the last among them;
// a diagnostic says so. Every row is still read (a restart is seen in any
// of them), but memory is bounded by the samples kept times the columns
// read, whatever the log's length.
package counterlog

// Name names the format read.
const Name = "counterlog"
