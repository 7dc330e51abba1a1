// Package handleexe reads the text output of Sysinternals Handle
// (handle.exe, handle64.exe, nthandle.exe in its first versions) into
// facts: the per-process listing, name-search results, the `-s` type
// summary and the `-v`/`-vt` CSV forms, versions 3 to 5.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// (does the head of a capture look like Handle's output) and Read
// (stream a capture into a facts.Builder, accounting for every line).
// dumpreader keeps the table of formats and decodes UTF-16 (as
// PowerShell's > writes it) before Read is called.
package handleexe
