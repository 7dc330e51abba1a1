// Package getprocess reads what PowerShell prints of processes into
// facts: Get-Process's default table (Handles NPM(K) PM(K) WS(K) CPU(s)
// Id SI ProcessName, the older layout with VM(M), PowerShell 7's without
// Handles), Format-List blocks, Select-Object tables and Export-Csv /
// ConvertTo-Csv output with Handles or HandleCount columns in any order,
// and Get-CimInstance / Get-WmiObject Win32_Process tables and lists. A
// row is one process with its handle count: no types, names or stacks,
// which the source says it lacks. Get-Process run in a loop and pasted as
// one file, a table of the same processes per run, is a series:
// ReadSeries reads a snapshot per table (loop.go).
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read. The reading of headers, rows and record blocks is shared
// with the other process-list readers (dumpreader/internal/proctable).
package getprocess
