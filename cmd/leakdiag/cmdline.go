package main

import (
	"os"
	"path/filepath"
	"strings"
)

// commandLine is the command line the process was started with, as a
// shell would take it back (arguments quoted where they need it), for the
// reports that say how they were made (the HTML footer). The program is
// named by its base name: the path it was run from says nothing a vendor
// needs.
func commandLine() string {
	if len(os.Args) == 0 {
		return ""
	}
	parts := []string{shellQuote(filepath.Base(os.Args[0]))}
	for _, a := range os.Args[1:] {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and -_./:=,@%+.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
