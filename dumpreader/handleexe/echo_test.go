package handleexe

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestHandleExeCommandEcho: a Handle command line shown without its
// prompt is taken when it runs Handle with options, or searches for a name
// after a program name prose does not use; a sentence that starts with
// the word "handle" is not.
func TestHandleExeCommandEcho(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{`handle64.exe -accepteula -v -u C:\Windows`, true},
		{`handle -s`, true},
		{`handle`, true},
		{`handle.exe .\WebCacheV01.dat`, true},
		{`handle64 lockfile`, true},
		{`C:\Tools\handle.exe notes.docx`, true},
		{`handle this case first`, false},
		{`handler.exe -s`, false},
	} {
		if got := isHandleExeCommandEcho([]byte(tc.line)); got != tc.want {
			t.Errorf("isHandleExeCommandEcho(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

// TestSearchEchoedWithoutPrompt: a name search whose command line a page
// showed without its prompt is read as Handle's, its result lines under
// their processes, with nothing left unrecognized.
func TestSearchEchoedWithoutPrompt(t *testing.T) {
	const capture = "handle.exe .\\cache.dat\n\nNthandle v5.0 - Handle viewer\nCopyright (C) 1997-2022 Mark Russinovich\n" +
		"Sysinternals - www.sysinternals.com\n\n" +
		"taskhostw.exe   pid: 6496   type: File   3D0: C:\\Users\\a\\cache.dat\n\n" +
		"handle.exe .\\cache.dat\n\nNo matching handles found.\n"
	snap := readHandleExeBytes(t, []byte(capture), "echo.txt")
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
	}
	if len(snap.Processes) != 1 || snap.Processes[0].PID != 6496 || snap.Processes[0].HandlesParsed != 1 {
		t.Errorf("processes %+v, want taskhostw.exe (6496) with its one handle", snap.Processes)
	}
}

// TestCouldNotExtractImage: the 32-bit Handle that could not write out its
// 64-bit image says so, and the capture says Handle did not run.
func TestCouldNotExtractImage(t *testing.T) {
	const capture = "C:\\tools>handle.exe notes.txt\nUnable to extract x64 image. Run Handle from a writeable directory.\n"
	snap := readHandleExeBytes(t, []byte(capture), "x64.txt")
	var got []facts.Severity
	for _, d := range snap.Diagnostics {
		if d.Code == CodeToolError {
			got = append(got, d.Severity)
		}
	}
	if len(got) != 1 || got[0] != facts.SevWarning || snap.Sources[0].Lines.Unrecognized != 0 {
		t.Errorf("tool-error severities %v, unrecognized %d; want one warning and none", got, snap.Sources[0].Lines.Unrecognized)
	}
}

// TestPlaceholderPrompt: a Handle command after the prompt documentation
// writes in place of a real one ("cmd>", "PS>", "$") is read as the
// command, its -p naming the process of the lines that follow; a quoted
// line that runs no Handle is not a command.
func TestPlaceholderPrompt(t *testing.T) {
	for _, tc := range []struct {
		line, cmd string
		ok        bool
	}{
		{"cmd> handle -p 1265", "handle -p 1265", true},
		{"  PS> handle64 -s", "handle64 -s", true},
		{"$ handle -a -p 88", "handle -a -p 88", true},
		{"λ handle64.exe -p 4 -s", "handle64.exe -p 4 -s", true},
		{"$handle -s -p Contoso", "handle -s -p Contoso", true},
		{"#handle64.exe -a -p 88", "handle64.exe -a -p 88", true},
		{"$handle this later", "", false},
		{"$dir", "", false},
		{"> explorer.exe pid: 6248 CONTOSO\\alice -  1A30: File  (RWD)   C:\\x", "", false},
		{"cmd> dir", "", false},
		{"cmd>", "", false},
	} {
		cmd, ok := placeholderPromptCommand([]byte(tc.line))
		if ok != tc.ok || ok && string(cmd) != tc.cmd {
			t.Errorf("placeholderPromptCommand(%q) = %q, %v, want %q, %v", tc.line, cmd, ok, tc.cmd, tc.ok)
		}
	}
	const capture = "cmd> handle -p 1265\n  C: File  (RW-)   C:\\Program Files\\Fabrikam\\bin\n" +
		"  288: Section       \\BaseNamedObjects\\FabrikamShared\n"
	snap := readHandleExeBytes(t, []byte(capture), "prompt.txt")
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
	}
	if len(snap.Processes) != 1 || snap.Processes[0].PID != 1265 || snap.Processes[0].HandlesParsed != 2 {
		t.Errorf("processes %+v, want pid 1265 with its two handles", snap.Processes)
	}
}
