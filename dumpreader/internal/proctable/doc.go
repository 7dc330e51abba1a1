// Package proctable is what the readers of Windows administrators'
// process and handle tables share: the process lists of getprocess, wmic,
// taskmgr, pslist and tasklist (one row per process, one count per
// process, tasklist's none, columns named by a header), and the tables Process Explorer saves and System
// Informer and osquery copy (procexp, sysinformer, osquery).
//
// Each concept is written once here: the roles of columns (Role) and the
// vocabularies that name them (Vocab, Key, Lookup); counts printed with
// a locale's digit grouping, "1,234", "1.234", "1 234" (ParseCount);
// splitting a row into cells, at tabs or runs of blanks (SplitCells), by
// where a header puts its columns (fixed width, tolerant of blank and
// misaligned cells) or at a delimiter (CSV, tab; SplitDelimited); and
// the lines pastes carry around a table: markdown fences, elisions
// (Noise, IsFence), shell prompts (ParsePrompt) and terminal colour
// codes. For the process lists it also reads "Key : Value" and
// "Key=Value" record blocks, and turns each row into a process of a
// facts.Builder (Reader, Sink), keeping one process per pid when several
// commands of one capture list it, or, for a tool that asks
// (Reader.SplitRepeats), reading tables that repeat the same processes,
// a command run in a loop, as the points of a series (Repeats); a table
// printed inside one of the tool's (PsList -x's threads, a Nested
// command) is passed over and the outer table goes on after it. For the handle tables of procexp and
// sysinformer it turns each row into a handle (HandleRows).
//
// It knows no tool: each format package brings its vocabulary, its
// noise lines and its sniff.
package proctable
