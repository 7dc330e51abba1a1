// Package procfd reads listings of /proc/PID/fd, the directory of a Linux
// process's file descriptors, as people paste them when a process runs
// out of them: `ls -l /proc/1234/fd` (GNU, busybox and toybox layouts,
// with or without the SELinux dot after the mode), `ls -la` with its "."
// and ".." rows, `ls -li` and `ls -ls` with an inode or blocks column
// before the mode, `ls -l /proc/PID/fd/N` one descriptor at a time (the
// pid and fd in the path), `ls -l /proc/*/fd` with a "/proc/PID/fd:"
// heading per process, `find /proc/*/fd -ls` (its rows name the process
// and descriptor in their paths; findls.go), and `ls /proc/PID/fd | wc
// -l`, whose count is the process's descriptor count, as is the count of
// `echo /proc/PID/fd/* | wc -w` where a container has no ls (echocount.go). A listing a page
// flattened onto one line is cut back into its lines (flattened.go).
//
// Each row is one descriptor: the number before " -> " and the link
// after it, which names what the descriptor refers to (unquoted where GNU
// ls quotes it: 'pipe:[775725]'). Kinds and names
// are those leakdiag collect gives the same links (package procfs; both
// read them with package fdlink), without the socket tables a listing
// does not show: a socket is
// "socket" named socket:[inode], a pipe "pipe", an anonymous inode its
// kind (eventfd, eventpoll, timerfd, signalfd, inotify) or "anon_inode"
// named by kind ([pidfd], [io_uring]), a path a file, directory or device
// by its shape; " (deleted)" on a regular file counts it among
// Process.DeletedFDs (no size: the link does not give it). A descriptor's
// handle value is fd*4, as the collector's. A descriptor numbered 10,000
// or more shows the process held at least one more than its number at
// once (the kernel hands out the lowest number free): its peak, which a
// cut listing gives though it gives no count (fdlink.Peak), as a count
// of 10,000 or more of the rows a filter kept does (`| grep socket | wc
// -l`: heldcount.go).
//
// The process is the one the command line names (/proc/1234/fd), or the
// working directory's, as the cds, prompts and pwd before it show it
// (cwd.go: `cd /proc/1234` then `cd fd` then `ll`;
// "root@host:/proc/1234/fd#"; `pwd` printing /proc/1234/fd);
// an `ls -l /proc/1234` gives the image its exe link names; $(pidof NAME) and
// $(pgrep NAME) name it by image, $$ leaves its pid unknown, as a
// listing pasted without its command does (but $$ is the pid an `echo $$`
// before printed: echo.go, and $pid the pid an assignment pid=12345
// before gave it: vars.go); /proc/self/fd is the listing command's own,
// ls by image (self.go). A listing is whole unless the
// command pipes it into something that may leave rows out (grep, head, a
// count; sort and less pass every row on) or an author's elision cuts it:
// only a whole listing, or a `| wc -l` count, gives the process's
// descriptor count; of a process listed or counted twice, the latest. A
// count is less the lines ls prints besides the descriptors, by its
// options: the "total" row of -l (and -g, -n, -o, -s; "总用量",
// "insgesamt" in other locales), the "." and ".." of -a and of -f, which
// implies it. A bare `ls /proc/PID/fd` prints the numbers alone, which
// give a count and no kinds (numbers.go).
//
// Beside a listing people paste what says more of the process: the
// "Max open files" row of `cat /proc/PID/limits` gives its fd limit (the
// soft one), and ps rows (ps ax, axf, aux, -ef, -o pid,args, -p PID -o
// args=, busybox's ps, adb shell ps) the image, command line and parent
// of the pids the capture lists. Limits shown
// without their command are the capture's one process's, and nobody's
// when it lists several.
//
// A session pasted into a script as comments ("# " before every line)
// is read as it stands: its output without the prefix (commented.go).
//
// Its face is the one of every text format of dumpreader: Name, Sniff and
// Read.
package procfd
