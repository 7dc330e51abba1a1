// Package lsfd reads the output of util-linux's lsfd, the list of file
// descriptors that is meant to replace lsof on Linux, into facts: its
// default columns (COMMAND PID USER ASSOC MODE or XMODE TYPE SOURCE MNTID
// INODE NAME) and the columns -o picks, as long as PID and ASSOC are
// among them (without TYPE a descriptor's kind is what its NAME shows).
// A row whose ASSOC is a number is a descriptor, a
// handle of the process, its kind (socket, pipe, eventfd, file) the type,
// named as leakdiag's own /proc collector and the lsof reader name them;
// the other rows (cwd, rtd, exe, mem, shm, the ns-* of namespaces) show
// the process, and that it was listed whole, unless its command line
// selects descriptors (-Q, -i) or pipes them through grep or head. A row
// of TYPE ERROR (2.41 on: lsfd could not readlink or stat the descriptor,
// "readlink:EACCES" in SOURCE, the columns after it blank) is a
// descriptor of unknown kind. A command wrapped onto the next line (its
// options go on there) is read whole; the number `lsfd | wc -l` prints
// is said to be no descriptor count, and `time`'s report after it is
// the shell's (count.go); a later command that lists a process again
// repeats its descriptors, which are counted once.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read. Sniff wants lsfd's header: its rows alone (lsfd -n) read like
// lsof's, whose reader takes them.
package lsfd
