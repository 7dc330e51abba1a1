package drmemory

import (
	"bytes"
	"path"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// readLine accounts for one line.
func (z *reader) readLine(raw []byte) scan.LineKind {
	clean := z.clean.Clean(raw)
	line := scan.TrimSpace(stripPrefix(clean))
	if len(line) < len(scan.TrimSpace(clean)) && (scan.HasPrefix(line, "Error ") || isFrame(line)) {
		z.ev.prefixed++
	}
	if len(line) == 0 {
		z.inSummary, z.ignoring = false, false
		return scan.Ignored
	}
	switch {
	case scan.HasPrefix(line, "Dr. Memory version "):
		z.ev.banners++
		return scan.Ignored
	case scan.HasPrefix(line, "Dr. Memory results for pid "):
		z.ev.banners++
		return z.resultsFor(line[len("Dr. Memory results for pid "):])
	case scan.HasPrefix(line, "Windows version: ") || scan.HasPrefix(line, "Application cmdline: ") ||
		scan.HasPrefix(line, "Recorded ") && bytes.Contains(line, []byte(" suppression")):
		return scan.Ignored // the header of results.txt
	case isCommand(line):
		return z.commandLine(line)
	case scan.HasPrefix(line, "Error #") || scan.HasPrefix(line, "Error `#"):
		return z.errorLine(line)
	case isFrame(line):
		return z.frameLine(line)
	case scan.HasPrefix(line, "Note: "):
		z.inNote = true
		return scan.Ignored
	case scan.HasPrefix(line, "Running \""):
		z.name(path.Base(strings.ReplaceAll(firstWord(line[len("Running \""):]), `\`, "/")))
		return scan.Parsed
	case scan.HasPrefix(line, "Details: "):
		if z.logDir(line[len("Details: "):]) {
			return scan.Parsed
		}
		return scan.Ignored
	case string(line) == "ERRORS FOUND:" || string(line) == "NO ERRORS FOUND:":
		z.endError()
		z.inSummary = true
		if z.summary < 0 {
			z.summary = 0
		}
		return scan.Parsed
	case string(line) == "ERRORS IGNORED:" || string(line) == "DUPLICATE ERROR COUNTS:" || string(line) == "SUPPRESSIONS USED:":
		z.endError()
		z.inSummary, z.ignoring = false, true
		return scan.Ignored
	}
	if z.inSummary {
		return z.summaryLine(line)
	}
	if z.cur != nil || z.other || z.ignoring {
		// A frame's source line ("    ??:0", "<system call>") or what a
		// report prints under an error.
		return scan.Ignored
	}
	if scan.HasPrefix(line, "WARNING: ") || scan.HasPrefix(line, "(details: ") || scan.HasPrefix(line, "(re-run with ") {
		return scan.Ignored
	}
	if i := bytes.Index(line, []byte("DrMemory-")); i >= 0 && z.logDir(logPath(line[i:])) {
		// The log directory named elsewhere: a test harness's line
		// ("5:   D:\logs\DrMemory-handle.exe.3548.000\results.txt").
		return scan.Parsed
	}
	return scan.Unrecognized
}

// stripPrefix drops what Dr. Memory puts before each line it prints on the
// console: "~~Dr.M~~", or "~~1234~~" (the pid) in some versions.
func stripPrefix(line []byte) []byte {
	t := scan.TrimSpace(line)
	if !scan.HasPrefix(t, "~~") {
		return line
	}
	end := bytes.Index(t[2:], []byte("~~"))
	if end < 0 || end > 16 {
		return line
	}
	return t[end+4:]
}

// errorLine reads the first line of an error: a handle leak starts a
// stack, any other error is skipped to the next.
//
//	Error #2: HANDLE LEAK: KERNEL handle 0x0000000000000070 and 2 similar handle(s) were opened but not closed:
//	Error #1: HANDLE LEAK: KERNEL Handle 0x0000020c and 30 similar handles were opened but not closed:
//	Error #5: HANDLE LEAK: GDI Handle 0x00000000171014d1 was opened but not closed:
func (z *reader) errorLine(line []byte) scan.LineKind {
	z.endError()
	z.inSummary = false
	if z.ignoring {
		return scan.Ignored // "Error #   1:      2" of DUPLICATE ERROR COUNTS:
	}
	_, rest, ok := bytes.Cut(line, []byte(": "))
	if !ok || !scan.HasPrefix(rest, "HANDLE LEAK: ") {
		z.other = true
		return scan.Ignored
	}
	f := strings.Fields(string(rest[len("HANDLE LEAK: "):]))
	if len(f) < 3 || !strings.EqualFold(f[1], "handle") {
		z.other = true
		return scan.Ignored
	}
	z.ev.handleLeaks++
	if f[0] != "KERNEL" {
		z.other = true
		if z.otherLeaks++; z.otherLine == 0 {
			z.otherLine = z.lineNo
		}
		return scan.Parsed
	}
	count := int64(1)
	if len(f) > 5 && f[3] == "and" && strings.HasPrefix(f[5], "similar") {
		if n, ok := scan.ParseDec([]byte(f[4])); ok && n < 1<<40 {
			count += n
		}
	}
	z.errors++
	z.counted = min(z.counted, 1<<62) + count
	z.cur = &leak{count: count, pos: z.pos()}
	if z.first == 0 {
		z.first = z.lineNo
	}
	return scan.Parsed
}

// endError keeps the handle leak being read, if any.
func (z *reader) endError() {
	if z.cur != nil && len(z.leaks) < leakLimit {
		z.leaks = append(z.leaks, *z.cur)
	}
	z.cur, z.inNote, z.other = nil, false, false
}

// isFrame recognizes a frame of a stack: "#0 system call NtOpenFile",
// "# 1 KERNELBASE.dll!FindFirstFileA", "#12 main [handle.cpp:303]".
func isFrame(line []byte) bool {
	if len(line) < 3 || line[0] != '#' {
		return false
	}
	rest := scan.TrimSpace(line[1:])
	i := 0
	for i < len(rest) && scan.IsDigit(rest[i]) {
		i++
	}
	return i > 0 && i < len(rest) && rest[i] == ' '
}

// frameLine reads a frame of the handle leak being read; frames of other
// errors, and of the stack a note shows, are skipped.
func (z *reader) frameLine(line []byte) scan.LineKind {
	if z.cur == nil || z.inNote {
		if z.cur == nil && !z.other {
			return scan.Unrecognized
		}
		return scan.Ignored
	}
	rest := scan.TrimSpace(line[1:])
	for len(rest) > 0 && scan.IsDigit(rest[0]) {
		rest = rest[1:]
	}
	if f := frameText(scan.TrimSpace(rest), z.module()); f != "" && len(z.cur.frames) < frameLimit {
		z.cur.frames = append(z.cur.frames, f)
	}
	return scan.Parsed
}

// module is the program's module name as frames name it, "" when unknown.
func (z *reader) module() string {
	return strings.TrimSuffix(strings.TrimSuffix(z.image, ".exe"), ".EXE")
}

// frameText writes a frame as leakdiag's stacks do, "module!function+0x1a":
// a system call is ntdll's ("system call NtOpenFile": ntdll!NtOpenFile),
// the module loses its ".dll", the source location and address go, and a
// function of the program, which Dr. Memory prints without a module, takes
// the program's.
//
//	KERNELBASE.dll!TlsGetValue          +0x6c3d   (0x000007fefcec33de <KERNELBASE.dll+0x233de>)
//	test_file_handles                    [d:\src\tests\handle.cpp:107]
func frameText(t []byte, module string) string {
	if rest, ok := bytes.CutPrefix(t, []byte("system call ")); ok {
		return "ntdll!" + firstWord(rest)
	}
	for _, sep := range []string{" [", " (0x", " <"} {
		if i := bytes.Index(t, []byte(sep)); i > 0 {
			t = t[:i]
		}
	}
	s := strings.Join(strings.Fields(string(t)), "")
	if s == "" {
		return ""
	}
	mod, fn, ok := strings.Cut(s, "!")
	if !ok {
		if module == "" {
			return s
		}
		return module + "!" + s
	}
	for _, ext := range []string{".dll", ".DLL", ".exe", ".EXE", ".sys"} {
		mod = strings.TrimSuffix(mod, ext)
	}
	return mod + "!" + fn
}

// firstWord returns the first word of b, up to a blank or a quote.
func firstWord(b []byte) string {
	end := bytes.IndexAny(b, " \t\"")
	if end < 0 {
		end = len(b)
	}
	return string(b[:end])
}

// name takes the program's image.
func (z *reader) name(image string) {
	if image == "" || image == "." || image == "/" || z.image != "" {
		return
	}
	z.image = image
	if z.first == 0 {
		z.first = z.lineNo
	}
}

// logDir reads the log directory the report's "Details:" line names,
// ...\DrMemory-IMAGE.PID.NNN\results.txt: the program's image and pid.
func (z *reader) logDir(p []byte) bool {
	s := strings.ReplaceAll(string(scan.TrimSpace(p)), `\`, "/")
	dir := path.Base(path.Dir(s))
	rest, ok := strings.CutPrefix(dir, "DrMemory-")
	if !ok {
		return false
	}
	// IMAGE.PID.NNN: the image may hold dots itself.
	seq := strings.LastIndexByte(rest, '.')
	if seq < 0 {
		return false
	}
	pidAt := strings.LastIndexByte(rest[:seq], '.')
	if pidAt <= 0 {
		return false
	}
	pid, ok := scan.ParseDec([]byte(rest[pidAt+1 : seq]))
	if !ok || pid == 0 || pid >= 1<<32 {
		return false
	}
	z.name(rest[:pidAt])
	if z.pid == 0 {
		z.pid = uint64(pid)
	}
	return true
}

// summaryLine reads a row of the summary: "21 unique, 21 total handle
// leak(s)" gives the count of handle leak errors; the other rows count
// other errors.
func (z *reader) summaryLine(line []byte) scan.LineKind {
	f := strings.Fields(string(line))
	if len(f) < 4 || f[1] != "unique," {
		z.inSummary = false
		return scan.Unrecognized
	}
	z.ev.summaries++
	if strings.Join(f[4:], " ") == "handle leak(s)" && f[3] == "total" {
		if n, ok := scan.ParseDec([]byte(f[2])); ok && n < 1<<40 {
			z.summary = n
		}
		return scan.Parsed
	}
	return scan.Ignored
}

// resultsFor reads the header of results.txt after "Dr. Memory results
// for pid ": `5120: "contoso-agent.exe"`.
func (z *reader) resultsFor(rest []byte) scan.LineKind {
	num, image, ok := bytes.Cut(rest, []byte(": "))
	pid, valid := scan.ParseDec(num)
	if !ok || !valid || pid == 0 || pid >= 1<<32 {
		return scan.Unrecognized
	}
	if z.pid == 0 {
		z.pid = uint64(pid)
	}
	z.name(string(bytes.Trim(scan.TrimSpace(image), `"`)))
	return scan.Parsed
}

// isCommand recognizes the command line that ran Dr. Memory, the program
// after its "--": "drmemory.exe -check_handle_leaks -- app.exe --once",
// behind whatever prompt.
func isCommand(line []byte) bool {
	if !scan.Contains(line, " -- ") {
		return false // most lines: tested before they are lowered
	}
	i := bytes.Index(bytes.ToLower(line), []byte("drmemory"))
	return i >= 0 && bytes.Contains(line[i:], []byte(" -- "))
}

// commandLine reads the program's image from that command line.
func (z *reader) commandLine(line []byte) scan.LineKind {
	_, prog, _ := bytes.Cut(line, []byte(" -- "))
	image := path.Base(strings.ReplaceAll(firstWord(scan.TrimSpace(prog)), `\`, "/"))
	if image == "." || image == "" {
		return scan.Unrecognized
	}
	z.name(image)
	return scan.Parsed
}

// logPath returns the path of a file in Dr. Memory's log directory that
// starts p ("DrMemory-app.exe.3548.000\results.txt and more"): up to the
// first blank after the directory.
func logPath(p []byte) []byte {
	sep := bytes.IndexAny(p, `\/`)
	if sep < 0 {
		return nil
	}
	end := bytes.IndexAny(p[sep:], " \t\"')")
	if end < 0 {
		return p
	}
	return p[:sep+end]
}
