// Package tasklist reads the output of tasklist, the process lister of
// Windows' command prompt, into facts: each process's pid, image and
// session. tasklist prints no handle count in any of its forms, so the
// processes are read with their counts unknown, and a diagnostic says
// which command gives them: a capture of tasklist alone is then a
// capture leakdiag knows and says what it lacks, not an unknown format.
//
// Its tables are read: the default one ("Image Name  PID Session Name
// Session#  Mem Usage" over a line of equals signs), /v's (Status, User
// Name, CPU Time, Window Title added), /svc's and /m's (Services,
// Modules, lists that wrap onto lines indented to the column: those
// lines are the row's), /fo csv's with its header, and /fo list's blocks of "Image
// Name:   x", "PID:   n" lines, with /v's properties too; in English
// and in the translations Windows prints them in where pastes show them
// (Chinese, Japanese, Korean, German, Russian, French, Spanish: see
// vocab.go). Rows without their header (/nh, or filtered by find or
// findstr) are read only after the tasklist command line that printed
// them, which says which table they are: tasklist prints each at fixed
// widths, and the rows are read under the header it would have printed
// (implied.go). Without the command, which column is which is a guess,
// and they are not read.
//
// Other readers take tasklist's output pasted beside their own (a
// ticket's tasklist /v, then wmic process get) as another command's and
// pass over it; this reader is for a capture that is tasklist's only.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read. The reading of headers and rows is shared with the other
// process-list readers (dumpreader/internal/proctable).
package tasklist
