package kd

import (
	"bytes"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"strconv"
	"strings"
)

// promptKind says which debugger printed a prompt: kernel (kd, lkd, WinDbg
// on a kernel target) or user mode (cdb, WinDbg on a process).
type promptKind int

const (
	promptNone promptKind = iota
	promptKernel
	promptUser
)

// stripPrompt removes the debugger prompts at the start of line ("kd>",
// "0: kd>" or ": kd>" without its number, "lkd>", "0:000>", "0:000:x86>", and runs of them such as
// "0:000>0: kd>" where a paste merged two lines) and returns the command
// after them. ok is false when line does not start with a prompt.
func stripPrompt(line []byte) (cmd []byte, kind promptKind, ok bool) {
	for {
		n, k := matchPrompt(line)
		if n == 0 {
			return scan.TrimSpace(line), kind, ok
		}
		line, kind, ok = scan.TrimSpace(line[n:]), k, true
	}
}

// matchPrompt returns the length of the prompt line starts with, or 0.
func matchPrompt(b []byte) (int, promptKind) {
	i := 0
	for i < len(b) && scan.IsDigit(b[i]) {
		i++
	}
	if i > 0 {
		if i >= len(b) || b[i] != ':' {
			return 0, promptNone
		}
		i++
		j := i
		for j < len(b) && scan.IsDigit(b[j]) {
			j++
		}
		if j > i { // user mode: process:thread[:arch]>
			if j < len(b) && b[j] == ':' {
				j++
				for j < len(b) && (scan.IsDigit(b[j]) || scan.IsLower(b[j])) {
					j++
				}
			}
			if j < len(b) && b[j] == '>' {
				return j + 1, promptUser
			}
			return 0, promptNone
		}
		for i < len(b) && b[i] == ' ' {
			i++
		}
	} else if len(b) > 1 && b[0] == ':' && b[1] == ' ' {
		// ": kd>", the processor's number lost where a paste was redacted
		// or cut at its left margin; a user-mode prompt ends at '>' after
		// digits, so none is taken for this.
		i = 1
		for i < len(b) && b[i] == ' ' {
			i++
		}
	}
	rest := b[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("kd>")):
		return i + 3, promptKernel
	case bytes.HasPrefix(rest, []byte("lkd>")):
		return i + 4, promptKernel
	}
	return 0, promptNone
}

// command is what the reader knows of the debugger command whose output
// follows.
type command struct {
	// name is the first word of the command as typed, for diagnostics.
	name string
	// known is true when the command line holds a command whose output
	// this reader reads; the output of other commands is ignored.
	known bool
	// handleOne is the single handle value a `!handle` asked for, 0 for all.
	handleOne uint64
	// handleExpr is the expression a `!handle` was given for the handle
	// instead of a number (`!handle rcx` at a breakpoint, `!handle
	// poi(@rsp+8)`): one handle too, whose value the line does not say.
	handleExpr string
	// handleFlags are the flags a `!handle` gave, -1 when it gave none.
	handleFlags int64
	// typeFilter is the object type a `!handle` asked for, if any.
	typeFilter string
	// processDetails is true when `!process` output may carry lines past
	// the header (flags other than 0, or flags not known).
	processDetails bool
	// processImage is the image name a `!process 0 Flags ImageName` asked
	// for: every process it lists runs that image.
	processImage string
	// context is the process address a `.process` switched to.
	context string
	// wrapper is the extension command whose output is that of the
	// command it wraps (`!mex.grep -A 6 .etl !handle 0 3 0 File`), "" for
	// none; filtered is set when it shows only the lines that match, so
	// that the dump is partial.
	wrapper  string
	filtered bool
	// device is set for !devhandles, which shows of each process only its
	// handles to one device.
	device bool
	// dx holds the arguments of a dx command (dx.go), nil for others.
	dx *string
	// help is set for an extension's help request (`!htrace ?`, `!handle
	// -?`): its output is a usage text whose lines look like commands.
	help bool
	// runs is set for a command line that lets the debuggee run between
	// its commands, as `cdb -c "!htrace -enable;g;!htrace -diff;q"` in a
	// CI job does: what the program prints meanwhile (a test runner's
	// report) shows among the output of the commands.
	runs bool
}

// isHelpRequest reports whether args ask an extension for its usage text.
func isHelpRequest(args []string) bool {
	return len(args) == 1 && (args[0] == "?" || args[0] == "-?" || args[0] == "/?")
}

// handleHeaderOnly reports whether the command is a kernel `!handle`
// whose flags ask for no entry (neither bit 0, basic information, nor bit
// 1, the object): it prints the table's header alone.
func (c *command) handleHeaderOnly() bool {
	return strings.EqualFold(c.name, "!handle") && c.handleFlags >= 0 && c.handleFlags&3 == 0
}

// partial describes why a handle dump shows only part of a table, or "".
func (c *command) partial() string {
	switch {
	case c.filtered:
		return "the output was filtered by " + c.wrapper
	case c.handleOne != 0:
		return "the command asked for handle 0x" + strconv.FormatUint(c.handleOne, 16) + " only"
	case c.handleExpr != "":
		return "the command asked for the one handle " + c.handleExpr + " holds"
	case c.typeFilter != "":
		return "the command asked for " + c.typeFilter + " handles only"
	case c.device:
		return "!devhandles lists only the handles to one device's files"
	}
	return ""
}

// parseCommand reads a command line as typed after a prompt. Several
// commands may share a line (`kd -c "!process 0 0; !handle 0 3 0; q"`
// echoes them so); each known one contributes.
func parseCommand(text []byte, kind promptKind) command {
	c := command{processDetails: true}
	parts := splitCommands(string(text))
	for i, part := range parts {
		fields := strings.Fields(part)
		if len(fields) == 0 {
			continue
		}
		verb := strings.ToLower(fields[0])
		if i == 0 || c.name == "" {
			c.name = fields[0]
		}
		if len(parts) > 1 && len(fields) == 1 && isResumeCommand(verb) {
			c.runs = true
		}
		args := fields[1:]
		if strings.HasPrefix(verb, "!") && isHelpRequest(args) {
			c.help = true
			continue
		}
		switch verb {
		case "!handle":
			c.known = true
			c.parseHandle(args, kind)
		case "!process":
			c.known = true
			c.parseProcess(args)
		case ".process":
			c.known = true
			if a := lastNonOption(args); a != "" {
				if v, ok := scan.ParseHexString(a); ok {
					c.context = strconv.FormatUint(v, 16)
				}
			}
		case "!for_each_process":
			c.known = true
			inner := strings.Trim(strings.TrimSpace(strings.TrimPrefix(part, fields[0])), `"`)
			if !strings.Contains(strings.ToLower(inner), "!for_each_process") { // no nesting
				sub := parseCommand([]byte(inner), promptKernel)
				c.typeFilter = sub.typeFilter
				c.processDetails = sub.processDetails
			}
		case "|", "|.", "!htrace":
			c.known = true
		case "!devhandles":
			// The handles of every process to one device's files, in
			// !handle's kernel layout.
			c.known, c.device = true, true
		case "dx":
			c.known = true
			rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(part), fields[0]))
			c.dx = &rest
		default:
			// `~`, `~*`, `~.`, `~#` and `~N` list threads (noise.go);
			// with a command after them they run it, which is another
			// matter.
			if isThreadList(verb) && len(args) == 0 {
				c.known = true
				continue
			}
			if inner, ok := wrappedCommand(part, fields); ok {
				c.wrap(parseCommand([]byte(inner), kind), fields[0], isFilter(verb, part))
			}
		}
	}
	return c
}

// wrap takes the command a wrapper extension runs as the command whose
// output follows, under its own name (so that `!handle` output is read as
// such), noting the wrapper.
func (c *command) wrap(sub command, wrapper string, filtered bool) {
	if !sub.known {
		return
	}
	c.known, c.name = true, sub.name
	c.handleOne, c.handleExpr, c.handleFlags, c.typeFilter, c.processDetails = sub.handleOne, sub.handleExpr, sub.handleFlags, sub.typeFilter, sub.processDetails
	if sub.context != "" {
		c.context = sub.context
	}
	c.wrapper, c.filtered = wrapper, filtered || sub.filtered
}

// wrappedCommand finds the command an extension runs and passes its
// output through: the first argument that starts a command this reader
// reads (`!mex.grep -A 6 .etl !handle 0 3 0 File`, `.shell -ci "!handle 0
// f" findstr Event`), up to the end of the line or of the quotes it
// opens. ok is false when there is none.
func wrappedCommand(part string, fields []string) (inner string, ok bool) {
	at := len(fields[0]) + strings.Index(part, fields[0])
	skip := 0
	if strings.Contains(strings.ToLower(fields[0]), "grep") {
		// grep [-A N] [-B N] [-i] PATTERN COMMAND: the pattern may look
		// like a command (".process"); what follows it is the command.
		skip = grepCommandAt(fields[1:])
	}
	for j, f := range fields[1:] {
		at += strings.Index(part[at:], f)
		rest := part[at:]
		at += len(f)
		if j < skip {
			continue
		}
		quote := ""
		if q := rest[0]; q == '"' || q == '\'' {
			quote, rest = rest[:1], rest[1:]
		}
		verb := rest
		if i := strings.IndexAny(verb, " \t\"'"); i >= 0 {
			verb = verb[:i]
		}
		if !readsVerb(strings.ToLower(verb)) {
			continue
		}
		if quote != "" {
			if end := strings.Index(rest, quote); end >= 0 {
				rest = rest[:end]
			}
		}
		return strings.TrimSpace(rest), true
	}
	return "", false
}

// grepCommandAt returns the index in args (a grep's arguments) of the
// command after its options and pattern.
func grepCommandAt(args []string) int {
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") {
		switch strings.ToUpper(args[i]) {
		case "-A", "-B", "-C", "-M":
			i++ // the option's value
		}
		i++
	}
	return i + 1
}

// readsVerb reports whether verb is a command whose output this reader
// reads.
func readsVerb(verb string) bool {
	switch verb {
	case "!handle", "!process", ".process", "!for_each_process", "!htrace", "|", "|.":
		return true
	}
	return isThreadList(verb)
}

// isFilter reports whether the extension verb shows only part of the
// output of the command it runs: a grep, or a shell command (`.shell -ci
// "..." findstr X`).
func isFilter(verb, part string) bool {
	return strings.Contains(verb, "grep") || verb == ".shell" || strings.Contains(strings.ToLower(part), "findstr")
}

// isThreadList reports whether verb is one of the thread list commands.
func isThreadList(verb string) bool {
	if !strings.HasPrefix(verb, "~") {
		return false
	}
	switch rest := verb[1:]; rest {
	case "", "*", ".", "#":
		return true
	default:
		_, err := strconv.Atoi(rest)
		return err == nil
	}
}

func (c *command) parseHandle(args []string, kind promptKind) {
	if len(args) > 0 {
		if v, ok := scan.ParseNumber(args[0]); ok {
			c.handleOne = v
		} else if a := args[0]; !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "/") && len(a) <= 64 {
			c.handleExpr = a
		}
	}
	c.handleFlags = -1
	if len(args) > 1 {
		if v, ok := scan.ParseNumber(args[1]); ok && v <= 0xff {
			c.handleFlags = int64(v)
		}
	}
	var typeArgs []string
	switch {
	case kind == promptUser:
		if len(args) > 2 {
			typeArgs = args[2:]
		}
	case kind == promptKernel || len(args) > 3:
		if len(args) > 3 {
			typeArgs = args[3:]
		}
	case len(args) == 3:
		// No prompt to tell kernel from user mode: a third argument that is
		// an address or an expression is the kernel form's process.
		if _, ok := scan.ParseNumber(args[2]); !ok && !strings.HasPrefix(args[2], "@") {
			typeArgs = args[2:]
		}
	}
	c.typeFilter = strings.Join(typeArgs, " ")
	c.processDetails = false
}

func (c *command) parseProcess(args []string) {
	var pos []string
	for i := 0; i < len(args); i++ {
		if a := args[i]; strings.HasPrefix(a, "/") {
			if a == "/s" || a == "/m" {
				i++ // the option's value
			}
			continue
		}
		pos = append(pos, args[i])
	}
	if len(pos) >= 2 {
		if flags, ok := scan.ParseNumber(pos[1]); ok {
			c.processDetails = flags != 0
		}
	}
	if len(pos) >= 3 && pos[0] == "0" {
		if image := strings.Join(pos[2:], " "); len(image) <= 260 && !strings.ContainsAny(image, "*?") {
			c.processImage = image
		}
	}
}

func lastNonOption(args []string) string {
	for i := len(args) - 1; i >= 0; i-- {
		if !strings.HasPrefix(args[i], "/") && !strings.HasPrefix(args[i], "-") {
			return args[i]
		}
	}
	return ""
}

// splitCommands splits a command line at semicolons outside quotes.
func splitCommands(s string) []string {
	var parts []string
	inQuote := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case ';':
			if !inQuote {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// isResumeCommand recognizes a command that lets the debuggee run on
// ("g", "gc", "gh", "gn"), not one that ends the session.
func isResumeCommand(verb string) bool {
	switch verb {
	case "g", "gc", "gh", "gn":
		return true
	}
	return false
}

// isRunCommand recognizes a line that is only a debugger command that
// runs or leaves the debuggee ("g", "gc", "gh", "gn", "q", "qd", ".detach"),
// as a capture that shows its commands without prompts has them between
// the commands leakdiag reads (`!htrace -enable`, "g", `!htrace -diff`).
func isRunCommand(line []byte) bool {
	switch string(line) {
	case "g", "gc", "gh", "gn", "q", "qd", "qq", ".detach", ".kill":
		return true
	}
	return false
}
