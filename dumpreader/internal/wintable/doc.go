// Package wintable holds what the readers of Windows admin tools' tables
// share (Process Explorer's saved text, System Informer's copies, osquery's
// tables): splitting a row into its cells, telling a column by its heading,
// and reading the counts those tools print with their locale's digit
// grouping ("1,234", "1 234", "1.234").
package wintable
