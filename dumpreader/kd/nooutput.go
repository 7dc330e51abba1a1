package kd

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/facts"
)

// noOutput reports a command whose output this reader reads but which the
// capture shows nothing of: the last command of a capture cut right after
// it (`0:000> !htrace -diff` and the end of the paste), or one followed at
// once by the next command. Every command read here prints something, if
// only a count or "Handle tracing enabled.", so its silence means the
// output was left out, and without this the capture read as if it held
// nothing to judge. shown counts the lines that are not blank after the
// command's; next is "" at the end of the capture.
func (k *kdReader) noOutput(shown int64, next string) {
	if !k.cmd.known || shown > 0 || k.cmdLine == 0 {
		return
	}
	if next == "" {
		k.log.Diag(k.cmdLine, facts.SevWarning, facts.CodeTruncated,
			"the capture ends right after %q: its output is missing (paste what the debugger printed after the command)", k.cmdText)
		return
	}
	if k.silent {
		// A list of commands (a cheat sheet, a script) names one.
		k.silentMore++
		return
	}
	k.silent = true
	k.log.Diag(k.cmdLine, facts.SevInfo, facts.CodeMissing,
		"%q shows no output before the next command (%q): its output was left out of the capture", k.cmdText, next)
}

// endNoOutput says how many more commands showed no output than the one
// named.
func (k *kdReader) endNoOutput() {
	if k.silentMore > 0 {
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeMoreOmitted,
			"%d more commands leakdiag reads show no output before the next command", k.silentMore)
	}
}

// commandName is the first word of a command line, for diagnostics,
// bounded as boundedCommand bounds it.
func commandName(text []byte) string {
	text = bytes.TrimSpace(text)
	if i := bytes.IndexFunc(text, unicode.IsSpace); i >= 0 {
		text = text[:i]
	}
	return boundedCommand(text)
}

// maxCommandText bounds the command text diagnostics quote.
const maxCommandText = 80

// boundedCommand is a command line as diagnostics quote it: at most
// maxCommandText bytes, cut at a rune's start.
func boundedCommand(text []byte) string {
	text = bytes.TrimSpace(text)
	if len(text) <= maxCommandText {
		return string(text)
	}
	n := maxCommandText
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return string(text[:n]) + "..."
}
