package kd

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// This file holds the lines of an ordinary debugger session that carry
// nothing leakdiag reads: banners, symbol warnings, module loads, the
// register dump and disassembly at a break-in, thread lists. They are
// ignored, not unrecognized. The warnings come anywhere, even between the
// frames of an `!htrace` stack, and end nothing.

// debuggerNoise are the starts of the lines debuggers print around the
// output this reader uses, at the start of a session: banners, dump file
// headers, progress. They end a handle entry (miscLine).
var debuggerNoise = []string{
	"Failed to get VAD root", "Failed to get VadRoot",
	"Microsoft (R) Windows Debugger", "Copyright (c) Microsoft",
	"Loading Dump File", "Kernel base =", "Product:", "Built by:", "System Uptime:", "Process Uptime:",
	"Kernel Bitmap Dump File", "Kernel Summary Dump File", "Kernel Complete Dump File",
	"Full memory user mini dump", "User Mini Dump File", "Loading Kernel Symbols",
	"Loading User Symbols", "Loading unloaded module list", "*************",
	"Connected to Windows", "Opened log file", "Closing open log file",
	"Use !analyze", "PsLoadedModuleList", "Debug session ended", ".cache forcedecodeuser done",
	// What `.process /P` answers after "Implicit process is now": the
	// debugger will decode the new context's page table entries.
	".cache forcedecodeptes done",
	"Unable to load image",
	// While it loads the user-mode symbols of a kernel dump whose
	// process's loader list is not in it.
	"Unable to read LDR_DATA_TABLE_ENTRY at",
	// The kernel debugger's banner on attach ("Edition build lab:
	// 22621.2506.amd64fre...") and its reconnects to a target that reboots.
	"Edition build lab:", "KDTARGET:",
	// What `.process /i` answers, on three lines: "You need to continue
	// execution (press 'g' <enter>) for the context / to be switched. When
	// the debugger breaks in again, you will be in / the new process
	// context." (a page may have dropped the "<enter>" as a tag).
	"You need to continue execution (press 'g'", "to be switched. When the debugger breaks in again",
	"the new process context.",
	// A dump that stored the exception it was written for says so.
	"This dump file has an exception of interest stored in it.",
	"The stored exception information can be accessed via .ecxr.",
}

// debuggerAsides are the starts of the lines a debugger prints in the
// middle of any output: symbol and checksum warnings, module loads, the
// symbol path and its validation, an attach in progress.
var debuggerAsides = []string{
	"*** WARNING", "** WARNING", "*** ERROR", "** ERROR", "WARNING:", "ModLoad:",
	"*** wait with pending attach", "Symbol search path is", "Executable search path is",
	"First chance exceptions are reported before any exception handling.",
	"This exception may be expected and handled.",
	".shell: Process exited", "<.shell waiting",
	// The second line of the warning a noninvasive attach (-pv, -pvr)
	// prints, "WARNING: Process 708 is not attached as a debuggee".
	"The process can be examined but debug events will not be received",
	// What dx and dt answer for a symbol they have no type for, before
	// the box that says why (isWarningBoxLine).
	"Type information missing error for",
	// The visualizers cdb loads at the start of a session and unloads
	// as it quits.
	"NatVis script successfully loaded from", "NatVis script unloaded from",
}

// bugcheckBreak are the starts of the lines the kernel debugger prints
// when the target bugchecks, before the break-in's symbol and disassembly
// lines (taken as such after them):
//
//	*** Fatal System Error: 0x000000c4
//	                       (0x00000062,0x86A84EBC,0x86A2D4F8,0x00000001)
//	Driver at fault:
//	***               - Address FFFFF8034C32457A base at FFFFF8034C320000, DateStamp 5284eac3
//	A fatal system error has occurred.
//	Debugger entered on first try; Bugcheck callbacks have not been invoked.
//	For analysis of this file, run !analyze -v
//
// The "Driver at fault:" block names a module only when the debugger
// has its symbols; its address line is taken after it (isFaultAddress).
var bugcheckBreak = []string{
	fatalErrorPrefix, "A fatal system error has occurred.", "Debugger entered on first try",
	"For analysis of this file, run !analyze", "Driver at fault:",
}

// noiseLine recognizes the debugger's own lines (see the file comment).
// The register dump, the `module!Symbol:` line and the disassembly line a
// break-in prints are taken as such only after the exception line or the
// registers, until a blank line or a command.
func (k *kdReader) noiseLine(line []byte) (scan.LineKind, bool) {
	for _, n := range debuggerAsides {
		if scan.HasPrefix(line, n) {
			if n == "ModLoad:" {
				k.modLoad(line)
			}
			return scan.Ignored, true
		}
	}
	for _, n := range bugcheckBreak {
		if scan.HasPrefix(line, n) {
			k.breakIn, k.breakBugcheck = true, true
			if n == fatalErrorPrefix {
				k.fatalError(line)
				return scan.Parsed, true
			}
			return scan.Ignored, true
		}
	}
	wasBox := k.starBox
	k.starBox = isWarningBoxLine(line)
	switch {
	case k.starBox, wasBox && isWarningBoxCut(line):
		k.starBox = true
		return scan.Ignored, true
	case isBoxLine(line), isDbgErrHint(line):
		return scan.Ignored, true
	case k.breakIn && isBugcheckArgs(line):
		k.fatalArgs(line)
		return scan.Parsed, true
	case k.breakBugcheck && isFaultAddress(line):
		return scan.Ignored, true
	case isExtensionLoad(line):
		return scan.Ignored, true
	case isPathValidation(line), isExceptionLine(line):
		k.breakIn = isExceptionLine(line)
		return scan.Ignored, true
	case string(line) == "quit:":
		// What cdb prints as q ends the session, the last command of
		// a -c chain ("!handle 0 0;q").
		return scan.Ignored, true
	case isBreakpointHit(line):
		// A breakpoint's break-in: its symbol and disassembly follow.
		k.breakIn = true
		return scan.Ignored, true
	case isRegisterLine(line):
		k.breakIn = true
		return scan.Ignored, true
	case k.breakIn && (isSymbolLabel(line) || isDisassembly(line)):
		return scan.Ignored, true
	case isBugcheckBreakLabel(line):
		// A paste that starts where the bugcheck broke in, at the
		// kernel's routine that raises it: its disassembly follows.
		k.breakIn, k.breakBugcheck = true, true
		return scan.Ignored, true
	}
	return k.threadListLine(line)
}

// isWarningBoxLine recognizes a line of the box of stars in which the
// debugger explains a warning, its text between stars:
//
//	*************************************************************************
//	***                                                                   ***
//	***    Either you specified an unqualified symbol, or your debugger   ***
//	***    doesn't have full symbol information.  Unqualified symbol      ***
//
// (the first line is one of debuggerNoise).
func isWarningBoxLine(line []byte) bool {
	return len(line) >= 20 && scan.HasPrefix(line, "*** ") && bytes.HasSuffix(line, []byte(" ***"))
}

// isWarningBoxCut recognizes the line of such a box a paste cut short,
// its closing stars lost, after a line of the box.
func isWarningBoxCut(line []byte) bool {
	return scan.HasPrefix(line, "***    ")
}

// symbolLoads are the lines of debuggerNoise after which the debugger
// prints a row of dots per module or symbol file it loads.
var symbolLoads = []string{"Loading Kernel Symbols", "Loading User Symbols", "Loading unloaded module list"}

// isSymbolLoad reports whether the debuggerNoise start n is one of
// symbolLoads.
func isSymbolLoad(n string) bool {
	for _, s := range symbolLoads {
		if n == s {
			return true
		}
	}
	return false
}

// isLoadProgress recognizes a line the debugger prints while it loads
// symbols (after one of symbolLoads): a row of dots, however short, as
// "Loading unloaded module list" prints one per unloaded module, which an
// elision's "..." would be taken for elsewhere; or a row of dots with a
// message of the debugger's glued after it, which the dots do not end
// with a line break:
//
//	........Page 1008a6 not present in the dump file. Type ".hh dbgerr004" for details
func isLoadProgress(line []byte) bool {
	rest := bytes.TrimLeft(line, ".")
	return len(rest) == 0 || len(rest) < len(line) && isDbgErrHint(rest)
}

// isDbgErrHint recognizes a message of the debugger's that points at
// its help on the error: "PEB is paged out (Peb.Ldr =
// 000007ff`fffd8018).  Type ".hh dbgerr001" for details", "Page 101c9d
// not present in the dump file. Type ".hh dbgerr004" for details".
func isDbgErrHint(line []byte) bool {
	_, rest, ok := bytes.Cut(line, []byte(`Type ".hh dbgerr`))
	if !ok {
		return false
	}
	return bytes.HasSuffix(bytes.TrimRight(rest, ". "), []byte("for details"))
}

// isExtensionLoad recognizes the line a debugger prints when a command
// loads its extension DLL on first use, before the command's output:
// "Loaded \\server\debuggers\winxp\kdexts extension DLL" (any path, or
// none; the path may hold blanks, the DLL's name may not).
func isExtensionLoad(line []byte) bool {
	t := bytes.TrimSpace(line)
	name, ok := bytes.CutPrefix(t, []byte("Loaded "))
	if !ok {
		return false
	}
	if name, ok = bytes.CutSuffix(name, []byte(" extension DLL")); !ok {
		return false
	}
	if i := bytes.LastIndexAny(name, `\/`); i >= 0 {
		name = name[i+1:]
	}
	return len(name) > 0 && bytes.IndexAny(name, " \t,") < 0
}

// isBugcheckArgs recognizes the bugcheck's parameters the line after
// "*** Fatal System Error:" prints: "(0x00000062,0x86A84EBC,0x86A2D4F8,0x00000001)".
func isBugcheckArgs(line []byte) bool {
	line = scan.TrimSpace(line)
	if len(line) < 3 || line[0] != '(' || line[len(line)-1] != ')' {
		return false
	}
	for _, a := range bytes.Split(line[1:len(line)-1], []byte(",")) {
		a = scan.TrimSpace(a)
		if len(a) < 3 || a[0] != '0' || a[1]|0x20 != 'x' {
			return false
		}
		if _, ok := scan.ParseHex(a[2:]); !ok {
			return false
		}
	}
	return true
}

// isFaultAddress recognizes the line under "Driver at fault:" that
// gives where the fault was, with the module's name left blank when the
// debugger could not name it:
//
//	***               - Address FFFFF8034C32457A base at FFFFF8034C320000, DateStamp 5284eac3
//	***        mydrv.sys - Address 8A1B2C3D base at 8A1B0000, DateStamp 4d5e6f70
func isFaultAddress(line []byte) bool {
	if !scan.HasPrefix(line, "***") {
		return false
	}
	_, rest, ok := bytes.Cut(line, []byte("- Address "))
	return ok && bytes.Contains(rest, []byte(" base at ")) && bytes.Contains(rest, []byte("DateStamp"))
}

// isPathValidation recognizes the rows of the symbol path validation
// summary (its "************* Path validation summary" banner is one of
// debuggerNoise):
//
//	Response                         Time (ms)     Location
//	Deferred                                       srv*C:\symbols*https://msdl.microsoft.com/download/symbols
//	OK                                             C:\Windows\System32
func isPathValidation(line []byte) bool {
	if !scan.HasPrefix(line, "Response") && !scan.HasPrefix(line, "Deferred") && !scan.HasPrefix(line, "OK") && !scan.HasPrefix(line, "Failed") {
		return false // before splitting: a process header's "DirBase:" is asked too
	}
	f := bytes.Fields(line)
	switch {
	case len(f) >= 3 && string(f[0]) == "Response" && string(f[len(f)-1]) == "Location":
		return true
	case len(f) >= 2 && (string(f[0]) == "Deferred" || string(f[0]) == "OK" || string(f[0]) == "Failed") && bytes.ContainsAny(f[1], `\*:/`):
		// The location may hold blanks (a folder "Contoso Symbols"):
		// its first word is enough.
		return true
	case len(f) >= 3 && (string(f[0]) == "OK" || string(f[0]) == "Failed"):
		// With the time a lookup took between the two.
		_, err := strconv.Atoi(string(f[1]))
		return err == nil && bytes.ContainsAny(f[2], `\*:/`)
	}
	return false
}

// isExceptionLine recognizes the line a debugger prints when the debuggee
// breaks: "(19ec.153c): Break instruction exception - code 80000003 (first chance)".
// The kernel debugger, and pages that quote the line alone, print it
// without the "(pid.tid): " of a user-mode session: "Invalid handle - code
// c0000008 (first chance)".
func isExceptionLine(line []byte) bool {
	if len(line) < 8 {
		return false
	}
	if line[0] != '(' {
		return isBareExceptionLine(line)
	}
	end := bytes.Index(line, []byte("): "))
	if end < 0 {
		return false
	}
	pid, tid, ok := bytes.Cut(line[1:end], []byte("."))
	if !ok {
		return false
	}
	_, okPID := scan.ParseHex(pid)
	_, okTID := scan.ParseHex(tid)
	return okPID && okTID && bytes.Contains(line[end:], []byte(" - code "))
}

// isBareExceptionLine recognizes an exception line without its
// "(pid.tid): ": a description, " - code ", the status in 8 hex digits and the
// chance, "(first chance)" or "(!!! second chance !!!)".
func isBareExceptionLine(line []byte) bool {
	desc, rest, ok := bytes.Cut(line, []byte(" - code "))
	if !ok || len(desc) == 0 || !isLetter(desc[0]) {
		return false
	}
	code, chance, ok := bytes.Cut(rest, []byte(" ("))
	if _, isHex := scan.ParseHex(code); !ok || !isHex || len(code) != 8 {
		return false
	}
	chance = scan.TrimSpace(chance)
	return bytes.HasSuffix(chance, []byte("chance)")) || bytes.HasSuffix(chance, []byte("chance !!!)"))
}

// isBreakpointHit recognizes the line a debugger prints when the debuggee
// reaches a breakpoint, "Breakpoint 20 hit": the breakpoint's number, in
// decimal, between the two words.
func isBreakpointHit(line []byte) bool {
	rest, ok := bytes.CutPrefix(line, []byte("Breakpoint "))
	if !ok {
		return false
	}
	n, ok := bytes.CutSuffix(rest, []byte(" hit"))
	if !ok || len(n) == 0 || len(n) > 5 {
		return false
	}
	for _, c := range n {
		if !scan.IsDigit(c) {
			return false
		}
	}
	return true
}

// exceptionPID returns the pid of an exception line (see isExceptionLine):
// the process the user-mode debugger is attached to.
func exceptionPID(line []byte) uint64 {
	if line[0] != '(' {
		return 0 // a line without "(pid.tid): "
	}
	pid, _, _ := bytes.Cut(line[1:], []byte("."))
	n, _ := scan.ParseHex(pid)
	return n
}

// debuggee returns the process a user-mode debugger is attached to, with
// the pid of the latest break-in's exception line when nothing else gave
// it one: `!htrace -diff` records cut before "Process ID = " and the
// `-diff` footer print none.
func (k *kdReader) debuggee() *facts.ProcessBuilder {
	p := k.b.Debuggee(k.pos())
	if p.P.PID == 0 && k.breakPID != 0 {
		p.P.PID = k.breakPID
	}
	return p
}

// registers are the names a register dump starts its lines with.
var registers = map[string]bool{
	"eax": true, "ebx": true, "ecx": true, "edx": true, "esi": true, "edi": true,
	"eip": true, "esp": true, "ebp": true, "efl": true, "iopl": true,
	"rax": true, "rbx": true, "rcx": true, "rdx": true, "rsi": true, "rdi": true,
	"rip": true, "rsp": true, "rbp": true, "r8": true, "r9": true, "r10": true,
	"r11": true, "r12": true, "r13": true, "r14": true, "r15": true,
	"cs": true, "ss": true, "ds": true, "es": true, "fs": true, "gs": true,
}

// isRegisterLine recognizes a line of the register dump at a break-in:
//
//	eax=7ffde000 ebx=00000000 ecx=00000000 edx=7798b412 esi=00000000 edi=00000000
//	eip=7794433c esp=0065fd0c ebp=0065fd38 iopl=0         nv up ei pl zr na pe nc
//	cs=001b  ss=0023  ds=0023  es=0023  fs=003b  gs=0000             efl=00000246
func isRegisterLine(line []byte) bool {
	eq := bytes.IndexByte(line, '=')
	if eq < 2 || eq > 4 || !registers[string(line[:eq])] {
		return false
	}
	end := eq + 1
	for end < len(line) && !scan.IsSpace(line[end]) {
		end++
	}
	_, ok := scan.ParseHex(line[eq+1 : end])
	return ok
}

// isSymbolLabel recognizes the symbol a break-in stopped at, on a line of
// its own: "ntdll!DbgBreakPoint:", "vrfcore!VerifierStopMessageEx+0x6d0:".
func isSymbolLabel(line []byte) bool {
	n := len(line)
	return n > 3 && line[n-1] == ':' && bytes.IndexByte(line, '!') > 0 && bytes.IndexAny(line, " \t") < 0
}

// bugcheckBreakLabels are the kernel's routines a bugcheck breaks into
// the debugger at, as the label of the break-in names them.
var bugcheckBreakLabels = []string{"nt!KeBugCheckEx:", "nt!KeBugCheck2:", "nt!DbgBreakPointWithStatus:", "nt!RtlpBreakWithStatusInstruction:"}

// isBugcheckBreakLabel recognizes the label of a bugcheck's break-in,
// "nt!KeBugCheckEx:", with no exception or register line before it.
func isBugcheckBreakLabel(line []byte) bool {
	for _, l := range bugcheckBreakLabels {
		if string(line) == l {
			return true
		}
	}
	return false
}

// isDisassembly recognizes a disassembled instruction: address, code
// bytes, mnemonic ("7794433c cc              int     3",
// "00007ffa`026d2190 cc              int     3"), or address and mnemonic
// where the debugger shows no code bytes ("82a89110 int     3").
func isDisassembly(line []byte) bool {
	f := bytes.Fields(line)
	if len(f) < 2 {
		return false
	}
	if _, ok := scan.ParseHex(f[0]); !ok {
		return false
	}
	mnemonic := f[1]
	if _, ok := scan.ParseHex(f[1]); ok && len(f[1])%2 == 0 {
		if len(f) < 3 {
			return false
		}
		mnemonic = f[2] // after the code bytes
	} else if len(f[0]) < 8 {
		return false // no code bytes: the address must look like one
	}
	for _, c := range mnemonic {
		if !scan.IsLower(c) && !scan.IsDigit(c) {
			return false
		}
	}
	return true
}

// threadListLine reads the thread list of `~` and `~*`:
//
//	.  0  Id: 19ec.153c Suspend: 1 Teb: 7ffdf000 Unfrozen
//	      Start: CppResourceLeaks!wmainCRTStartup (00ab1c80)
//	      Priority: 0  Priority class: 32  Affinity: 3
//
// A thread's Start: module names the debuggee's image when nothing else
// does (see startImage).
func (k *kdReader) threadListLine(line []byte) (scan.LineKind, bool) {
	switch {
	case scan.HasPrefix(line, "Start: "):
		if k.threads.line == 0 {
			return 0, false
		}
		k.startImage(scan.TrimSpace(line[len("Start: "):]))
		return scan.Ignored, true
	case scan.HasPrefix(line, "Priority: ") && bytes.Contains(line, []byte("Priority class:")):
		return scan.Ignored, true
	}
	rest := line
	if rest[0] == '.' || rest[0] == '#' {
		rest = scan.TrimSpace(rest[1:])
	}
	i := 0
	for i < len(rest) && scan.IsDigit(rest[i]) {
		i++
	}
	if i == 0 {
		return 0, false
	}
	index, _ := strconv.Atoi(string(rest[:i]))
	rest = scan.TrimSpace(rest[i:])
	if !scan.HasPrefix(rest, "Id: ") {
		return 0, false
	}
	id := bytes.Fields(rest[len("Id: "):])
	if len(id) == 0 || bytes.IndexByte(id[0], '.') < 0 {
		return 0, false
	}
	k.threads.line, k.threads.index = k.lineNo, index
	return scan.Ignored, true
}

// threadList is what the reader knows of the `~` thread list being read.
type threadList struct {
	line  int64 // the latest thread's "Id:" line, 0 outside a list
	index int   // its index: 0 is the main thread
	// guessed is set when the debuggee's image was taken from a thread's
	// start address; fromMain when that thread was the main one. image,
	// sym, from and fromLine say which image, from which thread's start
	// symbol, on which line.
	guessed, fromMain bool
	image, sym        string
	from              int
	fromLine          int64
}

// systemModules are modules of Windows and its runtimes, in which threads
// of any program start: a thread's start in one of them does not name the
// program.
var systemModules = map[string]bool{
	"ntdll": true, "kernel32": true, "kernelbase": true, "wow64": true, "wow64win": true,
	"wow64cpu": true, "user32": true, "win32u": true, "gdi32": true, "gdi32full": true,
	"combase": true, "ole32": true, "oleaut32": true, "rpcrt4": true, "sechost": true,
	"advapi32": true, "msvcrt": true, "ucrtbase": true, "shell32": true, "shlwapi": true,
	"shcore": true, "ws2_32": true, "mswsock": true, "clr": true, "coreclr": true,
	"mscorwks": true, "mscoree": true, "mscoreei": true, "clrjit": true, "verifier": true,
	"vrfcore": true, "apphelp": true, "uxtheme": true, "comctl32": true, "windows_storage": true,
	"bcrypt": true, "crypt32": true, "winhttp": true, "wininet": true, "msctf": true,
	"imm32": true, "cfgmgr32": true, "sspicli": true, "cryptbase": true, "bcryptprimitives": true,
	"twinapi": true, "dbghelp": true, "dbgeng": true, "hostfxr": true, "hostpolicy": true,
}

func isSystemModule(m string) bool {
	m = strings.ToLower(m)
	return systemModules[m] || strings.HasPrefix(m, "msvc") || strings.HasPrefix(m, "vcruntime") ||
		strings.HasPrefix(m, "api-ms-") || strings.HasPrefix(m, "ext-ms-")
}

// startImage takes the debuggee's image from a thread's start symbol
// ("CppResourceLeaks!wmainCRTStartup (00ab1c80)" names CppResourceLeaks.exe)
// when the capture names it nowhere else (the `|` command's output does,
// and wins). Threads that start in Windows or a runtime say nothing of the
// program; the main thread's start wins over another's.
func (k *kdReader) startImage(start []byte) {
	bang := bytes.IndexByte(start, '!')
	if bang <= 0 {
		return
	}
	module := string(start[:bang])
	if isSystemModule(module) || strings.ContainsAny(module, " \t()") {
		return
	}
	p := k.b.Debuggee(k.pos())
	main := k.threads.index == 0
	switch {
	case p.P.Image == "":
	case k.threads.guessed && main && !k.threads.fromMain:
	default:
		return
	}
	p.P.Image = module + ".exe"
	k.threads.guessed, k.threads.fromMain = true, main
	sym := start
	if i := bytes.IndexByte(sym, ' '); i > 0 {
		sym = sym[:i]
	}
	k.threads.image, k.threads.sym, k.threads.from, k.threads.fromLine = p.P.Image, string(sym), k.threads.index, k.lineNo
}

// endThreads says where the debuggee's image came from when a thread's
// start address gave it, unless `|` output named the process after all.
func (k *kdReader) endThreads() {
	t := &k.threads
	if !t.guessed || k.b.Debuggee(k.pos()).P.Image != t.image {
		return
	}
	k.log.Diag(t.fromLine, facts.SevInfo, facts.CodeMissing,
		"the debuggee's image is taken to be %s from thread %d's start address %s: no `|` output names it", t.image, t.from, t.sym)
}
