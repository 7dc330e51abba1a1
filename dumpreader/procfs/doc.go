// Package procfs collects live snapshots of Linux processes and their file
// descriptors from procfs (/proc), as facts: the Linux counterpart of a
// Windows handle capture, where the handle is a file descriptor.
//
// # What is read
//
// For each process, /proc/PID gives its identity and limits:
//
//   - exe (a link): Process.Path, and Image, its base name; comm from stat
//     when the link cannot be read (kernel threads, zombies, or a process
//     of another user without privileges).
//   - stat: comm, ppid, start time (with btime from /proc/stat it becomes
//     Process.CreateTime, which tells a process from a later one that
//     reused its pid) and the kernel-thread flag.
//   - cmdline: Process.Cmdline, NULs turned to spaces.
//   - limits: Process.FDLimit, the soft "Max open files".
//   - fd/N (links) and fdinfo/N: each descriptor's kind and name, and
//     whether it is inherited across exec (no O_CLOEXEC), which sets
//     facts.AttrInherit on its facts.Handle. A descriptor's handle value is
//     fd*4: the Builder takes the low two bits of a value as Windows tag
//     bits, and would count descriptors 0 to 3 as one handle.
//   - net/{tcp,tcp6,udp,udp6,unix,netlink,raw,raw6,packet}: what a
//     socket:[inode] link is. The tables are read once per network
//     namespace (keyed by the ns/net link) and read again, once per process
//     and a few times per namespace, when a socket is not in them (it was
//     created since).
//
// The descriptor kinds (facts type names) are TCP, TCP6, UDP, UDP6, UNIX,
// netlink and socket (raw and packet sockets, named by family, and
// sockets found in no table, named socket:[inode]), pipe, eventfd,
// eventpoll, timerfd, signalfd, inotify, anon_inode (other anonymous
// inodes, named by kind: [io_uring]), namespace, file, directory, device
// and other. Kinds and names are those the lsof reader of package
// dumpreader gives, so one set of rules reads both. Process.SocketStates
// counts TCP and TCP6 sockets by the kernel's state name;
// Process.DeletedFDs the descriptors whose link ends in " (deleted)"
// (regular files, memfds aside), and Process.DeletedBytes the sizes of
// those files, each once by device and inode, from a stat through the
// descriptor. Process.UnidentifiedSockets stays 0: it is what lsof shows
// of a socket no table lists, which is named socket:[inode] here.
//
// # Races and permissions
//
// procfs is read while the processes run. A process may exit between two
// reads (ENOENT, ESRCH), and another user's process may not be readable
// (EACCES). Neither is fatal: each becomes a diagnostic naming the pid and
// what failed, with a stable code (CodeVanished, CodeDenied,
// CodeExeUnreadable, CodeReadError, CodeMalformed), and the scan goes on. A
// descriptor closed between the listing of fd/ and the reading of its link
// is simply not counted. Once a process's descriptors are read, its stat
// is read again: if it is gone, has become a zombie, or has another start
// time (a new process with its pid), the process exited during the scan,
// and it is kept with what was read, its handle count unknown, and a
// CodeVanished diagnostic, rather than recorded as complete. Only an unreadable root, or a pid asked for that
// does not exist, is an error.
//
// # Memory
//
// Descriptors are read in batches and folded into the facts.Builder one at
// a time, so memory grows with the distinct names a process holds, not
// with its descriptors; socket tables are held once per network namespace.
package procfs
