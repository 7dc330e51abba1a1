//go:build unix

package procfs

import (
	"io/fs"
	"strconv"
	"syscall"
)

// fileID identifies the file fi describes by its device and inode.
func fileID(fi fs.FileInfo) (string, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", false
	}
	return strconv.FormatUint(uint64(st.Dev), 10) + "/" + strconv.FormatUint(st.Ino, 10), true
}
