// Package wmic reads wmic's process lists into facts: `wmic process get
// ...` fixed-width tables (columns in alphabetical order, or as given),
// `wmic process list brief` (HandleCount first), `/format:csv` output
// (Node,HandleCount,...), `list full` and `/format:list` blocks
// (HandleCount=123), alone or inside a Checkmk agent's section. A row
// is one process with its handle count: no types, names or stacks,
// which the source says it lacks.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read. The reading of headers, rows and record blocks is shared
// with the other process-list readers (dumpreader/internal/proctable).
package wmic
