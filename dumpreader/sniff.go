package dumpreader

import (
	"errors"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"io"
	"os"
)

// Sniff tells what the file at path is before it is read: the Format that
// Detect recognizes in its first bytes, or "" when it recognizes none. A
// gzip file or a zip archive is taken as a capture, whatever it holds
// (compressed is "gzip" or "zip"; format is then ""), as is a file that
// begins like a minidump: reading it says what is wrong with it, if
// anything. So a directory of captures can skip the notes, tables and
// READMEs kept beside them (format and compressed both ""), while a
// capture that is damaged is still read and refused.
func Sniff(path string) (format Format, compressed string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	head := make([]byte, scan.SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", "", err
	}
	head = head[:n]
	switch {
	case isGzip(head):
		return "", "gzip", nil
	case isZip(head):
		return "", "zip", nil
	}
	return Detect(head), "", nil
}
