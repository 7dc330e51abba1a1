package facts

import (
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

// appendProcessJSON appends p as encoding/json writes it with the indent
// prefix prefix and an indent of two spaces, without HTML escaping. It
// exists because a capture of thousands of processes spends more time in
// reflection than in reading otherwise; TestWriteJSONIsEncodingJSON and
// TestProcessJSONIsEncodingJSON keep it byte-for-byte equal to
// encoding/json.
func appendProcessJSON(b []byte, p *Process, prefix string) []byte {
	in1 := "\n" + prefix + "  "
	in2 := in1 + "  "
	in3 := in2 + "  "
	b = append(b, '{')
	field := func(name string) {
		b = append(b, in1...)
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `": `...)
	}
	field("pid")
	b = strconv.AppendUint(b, p.PID, 10)
	b = append(b, ',')
	field("ppid")
	b = strconv.AppendUint(b, p.PPID, 10)
	b = append(b, ',')
	field("session")
	b = appendIntPtr(b, p.Session)
	b = append(b, ',')
	field("image")
	b = appendJSONString(b, p.Image)
	b = append(b, ',')
	if p.Address != "" {
		field("address")
		b = appendJSONString(b, p.Address)
		b = append(b, ',')
	}
	if p.ObjectTable != "" {
		field("object_table")
		b = appendJSONString(b, p.ObjectTable)
		b = append(b, ',')
	}
	field("handle_count")
	b = appendIntPtr(b, p.HandleCount)
	b = append(b, ',')
	field("table_entries")
	b = appendIntPtr(b, p.TableEntries)
	b = append(b, ',')
	field("handles_parsed")
	b = strconv.AppendInt(b, p.HandlesParsed, 10)
	b = append(b, ',')
	field("by_type")
	b = appendCounts(b, p.ByType, in1, in2)
	b = append(b, ',')
	field("type_counts_from")
	b = appendJSONString(b, p.TypeCountsFrom)
	b = append(b, ',')
	field("dominant_type")
	b = appendJSONString(b, p.DominantType)
	b = append(b, ',')
	field("dominant_share")
	b = appendJSONFloat(b, p.DominantShare)
	b = append(b, ',')
	field("distinct_names")
	b = strconv.AppendInt(b, p.DistinctNames, 10)
	b = append(b, ',')
	field("unnamed")
	b = strconv.AppendInt(b, p.Unnamed, 10)
	b = append(b, ',')
	field("unnamed_by_type")
	b = appendCounts(b, p.UnnamedByType, in1, in2)
	b = append(b, ',')
	field("untyped")
	b = strconv.AppendInt(b, p.Untyped, 10)
	b = append(b, ',')
	field("top_names")
	switch {
	case p.TopNames == nil:
		b = append(b, "null"...)
	case len(p.TopNames) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, '[')
		for i, n := range p.TopNames {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, in2...)
			b = append(b, '{')
			b = append(b, in3...)
			b = append(b, `"name": `...)
			b = appendJSONString(b, n.Name)
			b = append(b, ',')
			b = append(b, in3...)
			b = append(b, `"type": `...)
			b = appendJSONString(b, n.Type)
			b = append(b, ',')
			b = append(b, in3...)
			b = append(b, `"count": `...)
			b = strconv.AppendInt(b, n.Count, 10)
			b = append(b, ',')
			b = append(b, in3...)
			b = append(b, `"first": `...)
			b = appendPosition(b, n.First, in3)
			b = append(b, in2...)
			b = append(b, '}')
		}
		b = append(b, in1...)
		b = append(b, ']')
	}
	b = append(b, ',')
	for _, f := range []struct {
		name string
		v    int64
	}{{"threads", p.Threads}, {"terminated_threads", p.TerminatedThreads}} {
		field(f.name)
		b = strconv.AppendInt(b, f.v, 10)
		b = append(b, ',')
	}
	field("exited")
	b = strconv.AppendBool(b, p.Exited)
	b = append(b, ',')
	field("frozen")
	b = strconv.AppendBool(b, p.Frozen)
	b = append(b, ',')
	field("handles_to_exited_processes")
	b = strconv.AppendInt(b, p.HandlesToExitedProcesses, 10)
	b = append(b, ',')
	field("handles_to_exited_threads")
	b = strconv.AppendInt(b, p.HandlesToExitedThreads, 10)
	b = append(b, ',')
	field("source")
	b = appendPosition(b, p.Source, in1)
	b = append(b, "\n"+prefix+"}"...)
	return b
}

func appendIntPtr(b []byte, v *int64) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, *v, 10)
}

// appendCounts writes a map as encoding/json does: keys sorted.
func appendCounts(b []byte, m map[string]int64, outer, inner string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	if len(m) == 0 {
		return append(b, "{}"...)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, inner...)
		b = appendJSONString(b, k)
		b = append(b, ": "...)
		b = strconv.AppendInt(b, m[k], 10)
	}
	b = append(b, outer...)
	return append(b, '}')
}

func appendPosition(b []byte, p Position, outer string) []byte {
	inner := outer + "  "
	b = append(b, '{')
	b = append(b, inner...)
	b = append(b, `"path": `...)
	b = appendJSONString(b, p.Path)
	b = append(b, ',')
	b = append(b, inner...)
	b = append(b, `"line": `...)
	b = strconv.AppendInt(b, p.Line, 10)
	b = append(b, outer...)
	return append(b, '}')
}

// appendJSONFloat formats f as encoding/json does.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(b, "null"...) // encoding/json refuses these; facts never hold them
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(b) - start
		if n >= 4 && b[len(b)-4] == 'e' && b[len(b)-3] == '-' && b[len(b)-2] == '0' {
			b[len(b)-2] = b[len(b)-1]
			b = b[:len(b)-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does without HTML escaping:
// quotes, backslashes and control characters escaped, invalid UTF-8 as
// U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
