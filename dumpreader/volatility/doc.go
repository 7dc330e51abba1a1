// Package volatility reads what memory-forensics frameworks print of a
// Windows memory image's processes and handles into facts: Volatility 3's
// windows.pslist, windows.psscan, windows.pstree and windows.handles in
// its text renderer (tab-separated, or with its tabs turned to blanks by a
// paste), Volatility 2's pslist, psscan and handles tables, and Rekall's
// pslist, with the banners, progress lines, log lines and command lines
// around them.
//
// A process list gives each process's pid, parent, image, handle count
// (the EPROCESS's HandleCount), threads and creation time; a handle
// listing gives each handle's value, type, object and name, grouped by
// pid. No listing gives the stacks that opened handles, and a process
// list alone gives no types or names: the source says what it lacks.
//
// An exit time means different things in different plugins. pslist and
// pstree walk the list of active processes: a process there that has
// exited is still linked, its object kept by a reference (a zombie), and
// is read as exited. psscan scans memory for EPROCESS structures, freed
// ones included: a process it alone shows exited may have been gone for
// hours and is no evidence that anything keeps it, so it is not read as
// a process (a diagnostic counts them). Volatility 3's pslist and psscan
// print the same columns: a table whose plugin the capture does not show
// (no command line, no tree) is read the way psscan's is for its exited
// rows.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read.
package volatility
