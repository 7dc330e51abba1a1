//go:build !unix

package procfs

import "io/fs"

// fileID identifies the file fi describes; only Unix systems tell its
// device and inode, and only Linux has the procfs read here.
func fileID(fs.FileInfo) (string, bool) { return "", false }
