// Package pslist reads the output of Sysinternals PsList (pslist,
// pslist64), the console process lister administrators run locally or
// against a remote machine (pslist \\server), into facts: each process's
// pid, image and handle count (the Hnd column) and thread count (Thd).
//
// Its default table, "Name Pid Pri Thd Hnd Priv CPU Time Elapsed Time",
// names images without their ".exe" as Get-Process does; -t lays it out
// as a tree (indented names). The memory table of -m and -x has no handle
// count: its processes are read, their counts unknown and said so. The
// banner and the "Process information for HOST:" line are known and not
// read; neither are the thread tables -d and -x print under a process.
// With -x the next process's row follows its predecessor's threads
// without a header of its own: it is read as a row of the table above
// (proctable's Nested tables).
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read.
package pslist
