package tasklist

import (
	"bytes"
	"strings"
)

// A table of tasklist's filtered by find, findstr or Select-String
// ("tasklist /svc | findstr 16504"), or printed with /nh, has no header: the command line
// says which it is, and tasklist prints each at fixed widths, so the
// rows are read under the header tasklist would have printed.

// column is one of a table's columns as tasklist prints it: its name in
// the header, and the width of the equals signs under it.
type column struct {
	name  string
	width int
}

// filters are the commands that pass some of tasklist's lines on and not
// its header: cmd's find and findstr, PowerShell's Select-String.
var filters = map[string]bool{"find": true, "findstr": true, "find.exe": true, "findstr.exe": true,
	"select-string": true, "sls": true}

// The tables tasklist prints, by the options that choose them.
var (
	defaultCols = []column{{"Image Name", 25}, {"PID", 8}, {"Session Name", 16}, {"Session#", 11}, {"Mem Usage", 12}}
	svcCols     = []column{{"Image Name", 25}, {"PID", 8}, {"Services", 44}}
	modulesCols = []column{{"Image Name", 25}, {"PID", 8}, {"Modules", 44}}
	verboseCols = append(defaultCols[:len(defaultCols):len(defaultCols)],
		column{"Status", 15}, column{"User Name", 50}, column{"CPU Time", 12}, column{"Window Title", 72})
)

// implied gives the header and the equals signs under it of the table
// that cmd, a tasklist command line, prints without a header: its rows
// piped to find, findstr or Select-String, or /nh; ok false where it prints one, or a
// list or CSV (whose rows say nothing of their widths).
func implied(cmd []byte) (header, underline []byte, ok bool) {
	f := strings.Fields(strings.ToLower(string(cmd)))
	filtered, csvOrList := false, false
	cols := defaultCols
	for i, w := range f {
		switch {
		case w == "|":
			if i+1 < len(f) && filters[f[i+1]] {
				filtered = true
			}
		case strings.HasPrefix(w, "|find"):
			filtered = true
		case w == "/nh" || w == "-nh":
			filtered = true
		case w == "/svc" || w == "-svc":
			cols = svcCols
		case w == "/m" || w == "-m":
			cols = modulesCols
		case w == "/v" || w == "-v":
			cols = verboseCols
		case w == "/fo" || w == "-fo":
			if i+1 < len(f) && f[i+1] != "table" {
				csvOrList = true
			}
		}
	}
	if !filtered || csvOrList {
		return nil, nil, false
	}
	var h, u bytes.Buffer
	for i, c := range cols {
		if i > 0 {
			h.WriteByte(' ')
			u.WriteByte(' ')
		}
		if c.name == "PID" {
			h.WriteString(strings.Repeat(" ", c.width-len(c.name)) + c.name) // right-aligned, as printed
		} else {
			h.WriteString(c.name + strings.Repeat(" ", c.width-len(c.name)))
		}
		u.WriteString(strings.Repeat("=", c.width))
	}
	return bytes.TrimRight(h.Bytes(), " "), u.Bytes(), true
}
