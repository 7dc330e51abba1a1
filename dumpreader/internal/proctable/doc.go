// Package proctable is what the readers of Windows administrators'
// process lists share (getprocess, wmic, taskmgr): one row per process,
// one count per process, columns named by a header. It reads headers
// against a vocabulary of column names (Vocab), splits rows into cells by
// where the header puts its columns (fixed width, tolerant of blank and
// misaligned cells) or by a delimiter (CSV, tab), reads "Key : Value" and
// "Key=Value" record blocks, and turns each row into a process of a
// facts.Builder (Sink), keeping one process per pid when several
// commands of one capture list it.
//
// It knows no tool: each format package brings its vocabulary, its
// noise lines and its sniff.
package proctable
