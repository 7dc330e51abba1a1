// Package scan is what the text readers of dumpreader share: the line
// reader and the loop that accounts for every line as parsed, ignored or
// unrecognized (ReadLines), the kinds of that account, the cleaning of
// the damage pasting does to a capture (Cleaner, Interner) and its
// tally, the tokens and numbers debuggers and tools print, the
// diagnostic codes more than one reader gives, and the loop that tells a
// text format by running its reader over the head of a capture (Sniff).
//
// It knows no format: each format package (kd, handleexe, lsof) uses it
// and dumpreader chooses among them.
package scan
