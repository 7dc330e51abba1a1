package handleexe

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// bannerLine reads the lines Handle starts each run with:
//
//	Nthandle v4.22 - Handle viewer
//	Copyright (C) 1997-2019 Mark Russinovich
//	Sysinternals - www.sysinternals.com
//
// The version line starts a new run of Handle.
func (h *handleExeReader) bannerLine(line []byte) (scan.LineKind, bool) {
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
		return scan.Ignored, true
	case scan.HasPrefix(line, "Copyright (C)") && bytes.Contains(line, []byte("Russinovich")):
		h.ev.copyright++
		return scan.Ignored, true
	case (scan.HasPrefix(line, "Sysinternals") || scan.HasPrefix(line, "Systems Internals")) &&
		bytes.Contains(bytes.ToLower(line), []byte("sysinternals.com")):
		return scan.Ignored, true
	}
	return 0, false
}

// isHandleExeVersion recognizes the first banner line of every Handle
// version: "Handle v3.5", "Handle v3.42", "Nthandle v4.22 - Handle viewer".
func isHandleExeVersion(line []byte) bool {
	var rest []byte
	switch {
	case scan.HasPrefixFold(line, "Nthandle v"):
		rest = line[len("Nthandle v"):]
	case scan.HasPrefix(line, "Handle v"), scan.HasPrefix(line, "Handle V"):
		rest = line[len("Handle v"):]
	default:
		return false
	}
	i := 0
	for i < len(rest) && (scan.IsDigit(rest[i]) || rest[i] == '.') {
		i++
	}
	if i == 0 || !scan.IsDigit(rest[0]) {
		return false
	}
	rest = scan.TrimSpace(rest[i:])
	return len(rest) == 0 || scan.HasPrefix(rest, "- ")
}

// messageLine reads Handle's messages: results without handles and
// errors.
func (h *handleExeReader) messageLine(line []byte) (scan.LineKind, bool) {
	switch {
	case bytes.Equal(line, []byte("No matching handles found.")):
		h.log.Diag(h.lineNo, facts.SevInfo, CodeNoMatch, "Handle found no handle matching the search")
		return scan.Parsed, true
	case isClosePrompt(line):
		h.closeConfirmed()
		h.ev.closed++
		return scan.Parsed, true
	case bytes.Equal(line, []byte("Handle closed.")):
		h.closeConfirmed()
		h.ev.closed++
		return scan.Parsed, true
	case scan.HasPrefix(line, "Unable to extract x64 image"):
		// "Unable to extract x64 image. Run Handle from a writeable
		// directory.": the 32-bit handle.exe on 64-bit Windows runs the
		// 64-bit Handle it carries, which it could not write out.
		h.log.Diag(h.lineNo, facts.SevWarning, CodeToolError,
			"Handle did not run: it could not extract its 64-bit image (run handle64.exe, or handle.exe from a writable directory): this run lists no handles")
		return scan.Parsed, true
	case scan.HasPrefix(line, "Initialization error"):
		h.log.Diag(h.lineNo, facts.SevWarning, CodeToolError,
			"Handle could not initialize (it must run elevated): this run lists no handles")
		return scan.Parsed, true
	case bytes.Equal(line, []byte("Make sure that you are an administrator.")):
		return scan.Parsed, true
	case scan.HasPrefix(line, "Error ") || scan.HasPrefix(line, "Error:"):
		h.log.Diag(h.lineNo, facts.SevWarning, CodeToolError, "Handle reports an error: %s", scan.QuoteLine(line))
		return scan.Parsed, true
	case bytes.Contains(line, []byte("You must accept EULA")) || bytes.Contains(line, []byte("-accepteula to accept")):
		if !h.eula {
			h.eula = true
			h.log.Diag(h.lineNo, facts.SevWarning, CodeToolError,
				"Handle did not run: its license (EULA) was not accepted (run it once with -accepteula)")
		}
		return scan.Parsed, true
	case scan.HasPrefixFold(line, "usage: handle") || scan.HasPrefixFold(line, "usage: nthandle"):
		h.usage = true
		if h.cmd.help {
			// `handle -h` shown above: the usage text was asked for.
			h.log.Diag(h.lineNo, facts.SevInfo, CodeToolError,
				"Handle printed its usage text, as its command line (-h) asked: this run lists no handles")
			return scan.Ignored, true
		}
		h.log.Diag(h.lineNo, facts.SevWarning, CodeToolError,
			"Handle printed its usage text (its arguments were wrong): this run lists no handles")
		return scan.Ignored, true
	case scan.HasPrefix(line, "<unable to open process>") || scan.HasPrefix(line, `\<unable to open process>`):
		return scan.Ignored, true
	}
	return 0, false
}
