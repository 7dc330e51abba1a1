package facts

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

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
		Path: l.Path, Line: line, Severity: sev, Code: code, Message: validText(fmt.Sprintf(format, args...)),
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
		Path: l.Path, Offset: offset, Severity: sev, Code: code, Message: validText(fmt.Sprintf(format, args...)),
	})
}

// Source is the finished account of the source, as a snapshot lists it.
func (l *SourceLog) Source() Source {
	return Source{Path: l.Path, Format: l.Format, Lines: l.Lines, Bytes: l.Bytes, Lacks: l.Lacks}
}

// Diagnostics returns the diagnostics recorded, and for each code past
// the limit one saying how many more there were.
func (l *SourceLog) Diagnostics() []Diagnostic {
	out := append([]Diagnostic(nil), l.diags...)
	codes := make([]string, 0, len(l.omitted))
	for code := range l.omitted {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		out = append(out, Diagnostic{
			Path: l.Path, Line: l.lastLine[code], Severity: SevInfo, Code: CodeMoreOmitted,
			Message: fmt.Sprintf("%d more %q diagnostics not listed (the first %d are)", l.omitted[code], code, diagLimit),
		})
	}
	return out
}

// validText is s with each byte that is not UTF-8 replaced by U+FFFD, as
// the snapshot JSON writes it: a diagnostic quotes a capture's text (a
// value, cut at a byte count), which may not be UTF-8, and the message
// must read back from the JSON as it was made.
func validText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
