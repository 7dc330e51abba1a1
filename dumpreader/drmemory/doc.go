// Package drmemory reads what Dr. Memory (the DynamoRIO memory checker)
// reports of a Windows program's handle leaks into facts: the program
// (its image from `Running "..."`, its pid from the log directory the
// report names, DrMemory-IMAGE.PID.NNN), and each "HANDLE LEAK" error,
// the handles it counts ("KERNEL handle 0x70 and 2 similar handle(s)")
// with the stack that opened them, as open stacks of the process.
//
// Dr. Memory checks handles with -check_handle_leaks (on by default in
// its full mode) and reports, when the program exits, each handle it saw
// opened and never closed. Both forms of its report are read: the console
// output, every line after "~~Dr.M~~" (or "~~PID~~"), and results.txt, the
// same errors without the prefix. Its other errors (heap leaks,
// unaddressable accesses, GDI usage errors) and the handle leaks of GDI and
// USER objects, which are no kernel handles, are known and not read; the
// summary's count of handle leak errors ("21 unique, 21 total handle
// leak(s)") stands when the capture lists fewer of them.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read.
package drmemory
