package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// notCapture is why a file found in a directory is skipped: notes, a
// table, or a capture of a kind leakdiag does not read.
const notCapture = "no format leakdiag reads recognized in it (leakdiag facts --help lists them)"

// capturesOf turns the arguments into captures, each a list of files. One
// file is one capture; several files or a directory are a batch of
// captures, one per file, unless merge says the files are one capture.
//
// A file found by walking a directory in which format detection
// recognizes no format at all (a README, a table of sources, notes) is
// skipped and returned in skipped, so that a folder of captures can be
// analysed as it is kept; sniff false (the format was forced) reads every
// file. A file named on the command line is always read: if it is no
// capture, the reader says so.
func capturesOf(args []string, merge, sniff bool) (captures [][]string, skipped []engine.SkippedFile, batch bool, err error) {
	var files []string
	dir := false
	for _, a := range args {
		if a == "-" {
			files = append(files, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() {
			files = append(files, a) // the reader says what is wrong with it
			continue
		}
		dir = true
		found, err := walkCaptures(a)
		if err != nil {
			return nil, nil, false, err
		}
		kept := found
		if sniff {
			var skip []engine.SkippedFile
			kept, skip = skipNonCaptures(found)
			skipped = append(skipped, skip...)
		}
		switch {
		case len(found) == 0:
			return nil, nil, false, fmt.Errorf("%s: no capture files in the directory", a)
		case len(kept) == 0:
			return nil, nil, false, fmt.Errorf("%s: no capture in the directory: none of its %s is in a format leakdiag reads", a, facts.Plural(len(found), "file"))
		}
		files = append(files, kept...)
	}
	if merge || (len(files) == 1 && !dir) {
		return [][]string{files}, skipped, false, nil
	}
	for _, f := range files {
		if f == "-" {
			return nil, nil, false, errors.New("standard input (-) is one capture: it cannot be part of a batch; use --merge to read it with the other files as one capture")
		}
		captures = append(captures, []string{f})
	}
	return captures, skipped, true, nil
}

// skipNonCaptures splits files found in a directory into those that may
// be captures and those that are not captures at all. A file that cannot
// be opened, or that looks like a capture (a minidump header, a gzip or
// zip container), is kept: reading it reports what is wrong.
func skipNonCaptures(files []string) (kept []string, skipped []engine.SkippedFile) {
	for _, f := range files {
		format, compressed, err := dumpreader.Sniff(f)
		if err != nil || format != "" || compressed != "" {
			kept = append(kept, f)
			continue
		}
		reason := notCapture
		if st, err := os.Stat(f); err == nil && st.Size() == 0 {
			reason = "an empty file"
		}
		skipped = append(skipped, engine.SkippedFile{Path: f, Reason: reason})
	}
	return kept, skipped
}

// walkCaptures lists the regular files under dir (a directory, or a
// symbolic link to one), hidden files and directories skipped, in lexical
// order.
func walkCaptures(dir string) ([]string, error) {
	var out []string
	root := dir
	if st, err := os.Lstat(dir); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		// A directory named by a symbolic link (a mounted volume, a
		// scratch layout): WalkDir does not follow its root, the path
		// with a separator after it does. Paths found keep dir's name.
		root = dir + string(filepath.Separator)
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			out = append(out, path)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
