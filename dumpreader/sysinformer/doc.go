// Package sysinformer reads what users copy out of System Informer
// (formerly Process Hacker) into facts: a process's Statistics tab
// copied as "Name, value" or "Name<TAB>value" lines under the tab's
// group names (CPU, Memory, I/O, Other: "Handles, 458", "Peak handles,
// 458", "GDI handles", "USER handles"), the main window's process tree
// copied with its heading (Name, PID, ..., Handles) and a process's
// Handles tab (Type, Name, Handle), with its heading or as bare rows.
//
// A Statistics or Handles copy does not name its process: it is the
// process of the copy, with no pid or image unless the paste keeps the
// properties window's title ("simplewall.exe (1234) Properties").
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read.
package sysinformer
