// Package kd reads text written by kd, WinDbg and cdb into facts:
// `!process 0 0` (and the `!process 0 1/7` forms), kernel `!handle`
// output in its older and newer layouts, the user-mode `!handle 0 f`
// layout and its type summary (also with the count first, as extensions
// print it), `.process` context switches that say
// which process a handle dump belongs to, `!htrace` stacks, `!vm`,
// `!poolused` and Application Verifier stops (with the dps and du of
// their parameters and the k of their break-ins: stopstack.go,
// breakstack.go), amid prompts, wrapped lines, other commands and the
// damage pasting does.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// (does the head of a capture hold a line the reader parses) and Read
// (stream a capture into a facts.Builder, accounting for every line).
// dumpreader keeps the table of formats, decodes UTF-16 (as WinDbg's
// `.logopen /u` writes it) before Read is called, and gives `!htrace`
// stacks the types of the handles the capture's tables show.
//
// ReadWith reads on several goroutines (parallel.go): workers parse the
// lines of kernel handle entries, most of a large capture, each line on
// its own, while the state machine runs over the lines in order and
// takes a worker's parse only where its state is the one the parse
// assumed, reading the line itself otherwise. The facts, positions,
// diagnostics and line accounting are Read's, however the capture is cut.
package kd
