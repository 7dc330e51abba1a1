package getprocess_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// corpusCases are the Get-Process captures of the corpus's wintools/
// folder, with what each must yield, figured out by reading each file
// (cat -A), line by line.
var corpusCases = []proctest.Case{{
	// A fence, the #-prefixed header and dashes, 10 rows, a fence.
	// PowerShell 7's ps has no Handles column: counts unknown.
	Name:  "getprocess-ps7-ps-no-handles-column-hash-prefixed-trimmed-sysadmin-notes.txt",
	Lines: facts.LineCounts{Total: 14, Parsed: 12, Ignored: 2},
	Count: 10,
	Procs: []proctest.Proc{
		{PID: 9600, Image: "AdobeCollabSync.exe", Session: proctest.N(1)},
		{PID: 8064, Image: "AggregatorHost.exe", Session: proctest.N(0)},
		{PID: 24120, Image: "AppVShNotify.exe", Session: proctest.N(1)},
	},
	Codes: []string{facts.CodeMissing},
}, {
	// The Evil-WinRM prompt, a blank, header, dashes, 12 rows, some
	// with a blank CPU(s) cell.
	Name:  "getprocess-table-evilwinrm-blank-cpu-col-no-sort-firefox-htb-heist-es.txt",
	Lines: facts.LineCounts{Total: 16, Parsed: 15, Ignored: 1},
	Count: 12,
	Procs: []proctest.Proc{
		{PID: 368, Image: "csrss.exe", Handles: proctest.N(466), Session: proctest.N(0)},
		{PID: 6772, Image: "dllhost.exe", Handles: proctest.N(166), Session: proctest.N(1)},
		{PID: 6440, Image: "firefox.exe", Handles: proctest.N(1071), Session: proctest.N(1)},
	},
}, {
	// Six lines of a script (a here-string of names: its opening line,
	// four names, its closing line) are no output; the Get-Process
	// pipeline, header, dashes and 4 rows are.
	Name:  "getprocess-table-named-list-process-name-with-spaces-wide-trailing-spaces-ps-general-notes.txt",
	Lines: facts.LineCounts{Total: 15, Parsed: 7, Ignored: 8},
	Count: 4,
	Procs: []proctest.Proc{
		{PID: 7632, Image: "Right Click Tools Desktop.exe", Handles: proctest.N(754), Session: proctest.N(1)},
		{PID: 388, Image: "spoolsv.exe", Handles: proctest.N(830), Session: proctest.N(0)},
		{PID: 8680, Image: "explorer.exe", Handles: proctest.N(3726), Session: proctest.N(1)},
	},
}, {
	// Fences, the prompt, a blank, header, dashes, 10 rows whose CPU
	// times have a space in them ("8 786,38").
	Name:  "getprocess-table-sort-ws-firefox-comma-decimal-space-thousands-chrisdee-scripts-1.txt",
	Lines: facts.LineCounts{Total: 16, Parsed: 13, Ignored: 3},
	Count: 10,
	Procs: []proctest.Proc{
		{PID: 13080, Image: "firefox.exe", Handles: proctest.N(2040), Session: proctest.N(1)},
		{PID: 2132, Image: "Memory Compression", Handles: proctest.N(0), Session: proctest.N(0)},
		{PID: 6412, Image: "firefox.exe", Handles: proctest.N(2665), Session: proctest.N(1)},
		{PID: 16132, Image: "OUTLOOK.exe", Handles: proctest.N(5513), Session: proctest.N(1)},
	},
}, {
	Name:  "getprocess-table-vm-column-truncated-dots-wsmprovhost-corefx-3865.txt",
	Lines: facts.LineCounts{Total: 5, Parsed: 4, Ignored: 1},
	Count: 1,
	Procs: []proctest.Proc{{PID: 14732, Image: "wsmprovhost.exe", Handles: proctest.N(467), Session: proctest.N(0)}},
}, {
	// The prompt, header, dashes, 10 rows, Out-More's pager line.
	Name:  "getprocess-table-vm-dots-indented-help-example-trailing-spaces-out-more-jdhitsolutions.txt",
	Lines: facts.LineCounts{Total: 14, Parsed: 13, Ignored: 1},
	Count: 10,
	Procs: []proctest.Proc{
		{PID: 1872, Image: "BoxSync.exe", Handles: proctest.N(1031), Session: proctest.N(1)},
		{PID: 5192, Image: "conhost.exe", Handles: proctest.N(80), Session: proctest.N(1)},
		{PID: 708, Image: "csrss.exe", Handles: proctest.N(482), Session: proctest.N(0)},
	},
}, {
	// Two fenced blocks: in the container, csrss's Handles cell is
	// blank; on the host, three csrss.
	Name:  "getprocess-table-vm-dots-where-csrss-hyperv-container-blank-handles-virtdocs.txt",
	Lines: facts.LineCounts{Total: 17, Parsed: 10, Ignored: 7},
	Count: 4,
	Procs: []proctest.Proc{
		{PID: 956, Image: "csrss.exe", Session: proctest.N(1)},
		{PID: 532, Image: "csrss.exe", Handles: proctest.N(255), Session: proctest.N(0)},
		{PID: 3484, Image: "csrss.exe", Handles: proctest.N(243), Session: proctest.N(2)},
	},
	Codes: []string{facts.CodeMissing, "remote-session"},
}, {
	// Two commands, each in fences with its output: pid 5888 is shown by
	// both, with 377 handles then 396; no SI column.
	Name:  "getprocess-table-vm-no-si-handles-left-aligned-misaligned-pid-powershell-ptbr-docs.txt",
	Lines: facts.LineCounts{Total: 20, Parsed: 9, Ignored: 11},
	Count: 2,
	Procs: []proctest.Proc{
		{PID: 5632, Image: "powershell.exe", Handles: proctest.N(308)},
		{PID: 5888, Image: "powershell.exe", Handles: proctest.N(396)},
	},
	Codes: []string{facts.CodeDuplicate},
}}

func TestCorpus(t *testing.T) {
	proctest.Corpus(t, "getprocess-", dumpreader.FormatGetProcess, corpusCases)
}
