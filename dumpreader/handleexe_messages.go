package dumpreader

import (
	"bytes"

	"github.com/leakdiag/leakdiag/facts"
)

// bannerLine reads the lines Handle starts each run with:
//
//	Nthandle v4.22 - Handle viewer
//	Copyright (C) 1997-2019 Mark Russinovich
//	Sysinternals - www.sysinternals.com
//
// The version line starts a new run of Handle.
func (h *handleExeReader) bannerLine(line []byte) (lineKind, bool) {
	switch {
	case isHandleExeVersion(line):
		h.ev.version++
		if bytes.HasSuffix(line, []byte("- Handle viewer")) {
			h.ev.viewer++
		}
		h.newRun()
		if h.cmdRun {
			h.cmd = handleExeCmd{}
		}
		h.cmdRun = true
		return lineIgnored, true
	case hasPrefix(line, "Copyright (C)") && bytes.Contains(line, []byte("Russinovich")):
		h.ev.copyright++
		return lineIgnored, true
	case (hasPrefix(line, "Sysinternals") || hasPrefix(line, "Systems Internals")) &&
		bytes.Contains(bytes.ToLower(line), []byte("sysinternals.com")):
		return lineIgnored, true
	}
	return 0, false
}

// isHandleExeVersion recognizes the first banner line of every Handle
// version: "Handle v3.5", "Handle v3.42", "Nthandle v4.22 - Handle viewer".
func isHandleExeVersion(line []byte) bool {
	var rest []byte
	switch {
	case hasPrefixFold(line, "Nthandle v"):
		rest = line[len("Nthandle v"):]
	case hasPrefix(line, "Handle v"), hasPrefix(line, "Handle V"):
		rest = line[len("Handle v"):]
	default:
		return false
	}
	i := 0
	for i < len(rest) && (isDigit(rest[i]) || rest[i] == '.') {
		i++
	}
	if i == 0 || !isDigit(rest[0]) {
		return false
	}
	rest = trimSpace(rest[i:])
	return len(rest) == 0 || hasPrefix(rest, "- ")
}

// messageLine reads Handle's messages: results without handles and
// errors.
func (h *handleExeReader) messageLine(line []byte) (lineKind, bool) {
	switch {
	case bytes.Equal(line, []byte("No matching handles found.")):
		h.log.Diag(h.lineNo, facts.SevInfo, CodeNoMatch, "Handle found no handle matching the search")
		return lineParsed, true
	case bytes.Equal(line, []byte("Handle closed.")):
		// After `handle -c`: the handle listed above was closed. It was
		// open when listed, so it stays counted, but it was the only one
		// shown, whatever the command line (which the capture may not
		// show) asked.
		if r := h.runListed; r.n > 0 {
			l, c := &h.shown[formListing], &h.shown[formClose]
			if l.n -= r.n; l.n == 0 {
				*l = handleExeShown{}
			}
			if c.n == 0 {
				c.first = r.first
			}
			c.n += r.n
			c.other = c.other || r.other
			h.runListed = handleExeShown{}
		}
		return lineParsed, true
	case hasPrefix(line, "Initialization error"):
		h.log.Diag(h.lineNo, facts.SevWarning, CodeToolError,
			"Handle could not initialize (it must run elevated): this run lists no handles")
		return lineParsed, true
	case bytes.Equal(line, []byte("Make sure that you are an administrator.")):
		return lineParsed, true
	case hasPrefix(line, "Error ") || hasPrefix(line, "Error:"):
		h.log.Diag(h.lineNo, facts.SevWarning, CodeToolError, "Handle reports an error: %s", quoteLine(line))
		return lineParsed, true
	case bytes.Contains(line, []byte("You must accept EULA")) || bytes.Contains(line, []byte("-accepteula to accept")):
		if !h.eula {
			h.eula = true
			h.log.Diag(h.lineNo, facts.SevWarning, CodeToolError,
				"Handle did not run: its license (EULA) was not accepted (run it once with -accepteula)")
		}
		return lineParsed, true
	case hasPrefixFold(line, "usage: handle") || hasPrefixFold(line, "usage: nthandle"):
		h.usage = true
		h.log.Diag(h.lineNo, facts.SevWarning, CodeToolError,
			"Handle printed its usage text (its arguments were wrong): this run lists no handles")
		return lineIgnored, true
	case hasPrefix(line, "<unable to open process>") || hasPrefix(line, `\<unable to open process>`):
		return lineIgnored, true
	}
	return 0, false
}
