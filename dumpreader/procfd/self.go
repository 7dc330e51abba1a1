package procfd

import (
	"bytes"
	"path"
)

// /proc/self is the directory of the process that reads it: `ls -l
// /proc/self/fd` lists the descriptors of ls itself, not the shell's ($$)
// nor another's. Its listing is the process the command names (ls, by
// image), apart from the shell's and from rows no command names; the
// limits `cat /proc/self/limits` shows are cat's, which it inherited
// from the shell as ls did, so they go with that listing. A capture
// that lists both the shell's $$ and /proc/self (a container's shell,
// then `docker exec ... ls -l /proc/self/fd`) shows two processes.

// isSelfFD reports whether a command line lists /proc/self/fd (or
// /proc/thread-self/fd).
func isSelfFD(cmd []byte) bool {
	return bytes.Contains(cmd, []byte("/proc/self/fd")) || bytes.Contains(cmd, []byte("/proc/thread-self/fd"))
}

// listerImage is the image of the process a listing command runs: ls for
// ls, /bin/ls and ll (the alias for ls -alF).
func listerImage(name string) string {
	if name == "ll" {
		return "ls"
	}
	return path.Base(name)
}
