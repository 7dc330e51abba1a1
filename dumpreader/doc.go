// Package dumpreader turns captures into facts: it detects a capture's
// format from its content and streams it into a facts.Builder, accounting
// for every line as parsed, ignored or unrecognized, and reporting what it
// skipped or found inconsistent as diagnostics with file and line.
//
// The formats read are the rows of one table (formats.go), from which
// Formats, Detect, the reading and the CLI's help all come; each text
// format has a package of its own with the same small face (its Name, a
// Sniff of the head of a capture, a Read into a facts.Builder), and what
// the text readers share (the line loop and its accounting, line kinds,
// cleaning of pasted damage, tokens, diagnostic codes, the sniffing loop)
// lives in internal/scan. Formats read: kd/WinDbg/cdb text (FormatKD,
// package kd, `!vm` and `!poolused` included), Sysinternals Handle output
// (FormatHandle, package handleexe), lsof output (FormatLsof, package
// lsof), listings of /proc/PID/fd pasted from a shell (FormatProcFD,
// package procfd), Windows admin tools' process tables (Process Explorer's saved
// text, FormatProcexp, package procexp; System Informer / Process Hacker
// copies, FormatSysinformer, package sysinformer; osqueryi's processes
// output, FormatOsquery, package osquery), Windows administrators'
// process lists with one handle count per process (FormatGetProcess,
// FormatWMIC, FormatTaskMgr and FormatPsList, packages getprocess, wmic,
// taskmgr and pslist, and tasklist's without one, FormatTaskList, package
// tasklist; all eight share internal/proctable: column roles and vocabularies,
// cells, counts with a locale's digit grouping, fences, prompts and
// elisions), FindZombieHandles' output (FormatFindZombie,
// package findzombie), Dr. Memory's reports of handle leaks
// (FormatDrMemory, package drmemory), PoolMon's display of kernel pool by tag
// (FormatPoolmon, package poolmon), user-mode minidumps (FormatMinidump, read by offsets with the
// minidump package, every byte accounted for) and leakdiag's own
// snapshot JSON (FormatSnapshot, one snapshot or a series file). Any of
// them may come gzip'd or in a zip archive (container.go, with limits on
// what they expand to; a gzip stream or zip entry cut short or damaged
// is read up to the break, with a diagnostic giving its offset, and two
// entries of one name are read as name and name#2). Linux processes are read live by the procfs
// package. Text may be UTF-8 or UTF-16 (with or without a
// byte-order mark, as WinDbg's `.logopen /u` writes it), with LF, CRLF,
// CR CR LF or CR line ends, and damaged the way pasted captures are:
// prompts of every kind, HTML tags and entities, markdown blockquotes,
// bold, escapes, hard breaks and indents, zero-width characters, collapsed
// white space, author elisions, truncation. A damaged capture yields what
// could be read plus diagnostics (one per kind of paste damage undone); it
// never panics.
//
// Memory grows with the number of processes and distinct object names in
// a capture, not with its number of handles, so multi-gigabyte logs read
// in bounded memory.
package dumpreader
