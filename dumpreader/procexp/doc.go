// Package procexp reads the text Sysinternals Process Explorer saves
// (File > Save, Procexp.txt) into facts: the process list, a
// tab-separated table of the columns shown (Process, PID, Handles...),
// and, when the lower pane shows handles, its handle list (Type, Name,
// and Handle when that column is shown) under a heading naming the
// process ("Process: notepad.exe Pid: 1234"); also the results of its
// Find dialog (Process, PID, Type, Name).
//
// The layout read is the one Process Explorer's documentation and
// users' pastes describe; the project's samples of it
// (testdata/procexp) are synthetic, written from that description, as
// no real saved file was at hand: see docs/capturing.md.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read.
package procexp
