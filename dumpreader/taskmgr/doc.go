// Package taskmgr reads what Task Manager's Details tab copies (Ctrl+C
// on the selected rows, or the list saved as text) into facts, where
// the Handles column was added to the view: one row per process, under
// a header of the columns shown, the cells separated by tabs or aligned
// with blanks. Task Manager translates its column names: the reader
// knows those of English, German, French, Spanish, Brazilian Portuguese
// and Chinese (simplified) Windows (see vocab.go for which are known to
// be exact). A copy of the Services tab (its Group column) is no process
// list: its names are services', not images.
//
// A copy without its header is not read: which column is Handles is
// then unknown, and a guess would read the thread or GDI count as the
// handle count.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read. The reading of headers and rows is shared with the other
// process-list readers (dumpreader/internal/proctable).
package taskmgr
