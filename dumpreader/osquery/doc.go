// Package osquery reads osquery's `processes` table into facts, as
// osqueryi prints it: the default ASCII box table (+----+ borders, | pid
// | name | handle_count | rows), --json (an array of objects whose
// values are strings), --csv and --list (a header of column names and
// rows, separated by '|' or --separator's ','), and --line (one "column
// = value" line per column, a blank line between rows); with or without
// the osquery> prompt and the query echoed, or the shell command that ran
// osqueryi (command.go).
//
// A row gives a process's pid, name, path, cmdline, parent, start_time
// and, on Windows, handle_count: a count, without types or names.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read.
package osquery
