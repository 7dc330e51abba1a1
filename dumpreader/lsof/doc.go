// Package lsof reads the output of lsof into facts: the default listing
// (with or without the TID and TASKCMD columns of threads, with its
// header or without, as `lsof | grep X` prints it) and the -F field
// output, NUL-separated (-F0) or not. An fd is a handle, its kind
// (socket, pipe, anon_inode:eventfd, file) its type. Threads' rows repeat
// their process's descriptors and are skipped, but for a process the
// capture shows only through them (threadonly.go); a SIZE/OFF piped
// through numfmt (271M) counts as the bytes it stands for (humansize.go);
// descriptors of 10,000 and more, printed "*310u", are numbered by their
// order (widefd.go) and the highest gives the process's peak; rows whose
// columns an author replaced by "..." are read for what stands where only
// it can stand (elided.go); rows of busybox's lsof pasted beside lsof's own
// are read as the descriptors they list (bbrows.go); rows counted by
// uniq -c are read after the count (uniqc.go), a summary of a column of
// them (awk or cut, then uniq -c) as no count (summary.go), rows without
// a COMMAND (toybox's, blank) from the pid on (blankcmd.go); a command line that
// chains lsof commands with others (;, &&) has each one's count and the
// rows of its last lsof read in turn (chain.go); rows of ps pasted beside
// the listing (ps aux, ps -ef, ps -o pid,args, adb shell ps) give the
// processes it lists their command lines (ps.go), and the program
// pidof names in `lsof -p $(pidof NAME)` the image of a process whose
// command name lsof cut (pidof.go).
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// (does the head of a capture look like lsof output) and Read (stream a
// capture into a facts.Builder, accounting for every line). dumpreader
// keeps the table of formats and decodes UTF-16 before Read is called.
package lsof
