package facts

import "fmt"

// SourceLog is a reader's account of one source while it reads it: line
// counts and diagnostics. Hand it to Builder.AddSource when done.
type SourceLog struct {
	Path   string
	Format string
	Lines  LineCounts
	// Bytes is set by readers of binary sources.
	Bytes *ByteCounts
	// Lacks is set by readers of formats that cannot give some facts
	// (Source.Lacks).
	Lacks []string

	diags    []Diagnostic
	perCode  map[string]int
	omitted  map[string]int64
	lastLine map[string]int64
}

// NewSourceLog starts the account of the source at path in format.
func NewSourceLog(path, format string) *SourceLog {
	return &SourceLog{
		Path: path, Format: format,
		perCode: map[string]int{}, omitted: map[string]int64{}, lastLine: map[string]int64{},
	}
}

// Diag records a diagnostic at line. Past a fixed number per code the
// diagnostic is counted instead of kept, and AddSource reports the count.
func (l *SourceLog) Diag(line int64, sev Severity, code, format string, args ...any) {
	if l.perCode[code] >= diagLimit {
		l.omitted[code]++
		l.lastLine[code] = line
		return
	}
	l.perCode[code]++
	l.diags = append(l.diags, Diagnostic{
		Path: l.Path, Line: line, Severity: sev, Code: code, Message: fmt.Sprintf(format, args...),
	})
}

// DiagAt records a diagnostic at a byte offset of a binary source, under
// the same per-code limit as Diag.
func (l *SourceLog) DiagAt(offset int64, sev Severity, code, format string, args ...any) {
	if l.perCode[code] >= diagLimit {
		l.omitted[code]++
		return
	}
	l.perCode[code]++
	l.diags = append(l.diags, Diagnostic{
		Path: l.Path, Offset: offset, Severity: sev, Code: code, Message: fmt.Sprintf(format, args...),
	})
}
