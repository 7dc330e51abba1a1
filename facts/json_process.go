package facts

import (
	"bytes"
	"encoding/json"
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
	first := true
	key := func(indent, name string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, indent...)
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `": `...)
	}
	num := func(name string, v int64) { key(in1, name); b = strconv.AppendInt(b, v, 10) }
	str := func(name, v string) { key(in1, name); b = appendJSONString(b, v) }
	flag := func(name string, v bool) { key(in1, name); b = strconv.AppendBool(b, v) }
	ptr := func(name string, v *int64) { key(in1, name); b = appendIntPtr(b, v) }

	b = append(b, '{')
	key(in1, "pid")
	b = strconv.AppendUint(b, p.PID, 10)
	key(in1, "ppid")
	b = strconv.AppendUint(b, p.PPID, 10)
	ptr("session", p.Session)
	str("image", p.Image)
	if p.Address != "" {
		str("address", p.Address)
	}
	if p.ObjectTable != "" {
		str("object_table", p.ObjectTable)
	}
	if p.Path != "" {
		str("path", p.Path)
	}
	if p.Cmdline != "" {
		str("cmdline", p.Cmdline)
	}
	if len(p.Services) > 0 {
		key(in1, "services")
		b = appendJSONValue(b, p.Services, in1[1:])
	}
	if p.CreateTime != "" {
		str("create_time", p.CreateTime)
	}
	if p.FDLimit != nil {
		ptr("fd_limit", p.FDLimit)
	}
	if len(p.SocketStates) > 0 {
		key(in1, "socket_states")
		b = appendCounts(b, p.SocketStates, in1, in2)
	}
	if p.UnidentifiedSockets != 0 {
		num("unidentified_sockets", p.UnidentifiedSockets)
	}
	if p.DeletedFDs != 0 {
		num("deleted_fds", p.DeletedFDs)
	}
	if p.DeletedBytes != 0 {
		num("deleted_bytes", p.DeletedBytes)
	}
	if p.Instance != "" {
		str("instance", p.Instance)
	}
	if p.Run != 0 {
		num("run", p.Run)
	}
	if p.PrivateBytes != nil {
		ptr("private_bytes", p.PrivateBytes)
	}
	if p.PoolNonpagedBytes != nil {
		ptr("pool_nonpaged_bytes", p.PoolNonpagedBytes)
	}
	ptr("handle_count", p.HandleCount)
	ptr("table_entries", p.TableEntries)
	if p.PeakHandles != nil {
		ptr("peak_handles", p.PeakHandles)
	}
	num("handles_parsed", p.HandlesParsed)
	key(in1, "by_type")
	b = appendCounts(b, p.ByType, in1, in2)
	str("type_counts_from", p.TypeCountsFrom)
	if p.TypesPartial {
		flag("types_partial", true)
	}
	str("dominant_type", p.DominantType)
	key(in1, "dominant_share")
	b = appendJSONFloat(b, p.DominantShare)
	num("distinct_names", p.DistinctNames)
	if p.DistinctNamesEstimated {
		flag("distinct_names_estimated", true)
	}
	num("unnamed", p.Unnamed)
	key(in1, "unnamed_by_type")
	b = appendCounts(b, p.UnnamedByType, in1, in2)
	num("untyped", p.Untyped)
	key(in1, "top_names")
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
			first = true
			key(in3, "name")
			b = appendJSONString(b, n.Name)
			key(in3, "type")
			b = appendJSONString(b, n.Type)
			key(in3, "count")
			b = strconv.AppendInt(b, n.Count, 10)
			if n.Error != 0 {
				key(in3, "error")
				b = strconv.AppendInt(b, n.Error, 10)
			}
			key(in3, "first")
			b = appendPosition(b, n.First, in3)
			b = append(b, in2...)
			b = append(b, '}')
		}
		b = append(b, in1...)
		b = append(b, ']')
		first = false
	}
	if p.TopFolder != nil {
		key(in1, "top_folder")
		b = appendJSONValue(b, p.TopFolder, in1[1:])
	}
	num("threads", p.Threads)
	num("terminated_threads", p.TerminatedThreads)
	flag("exited", p.Exited)
	flag("frozen", p.Frozen)
	num("handles_to_exited_processes", p.HandlesToExitedProcesses)
	num("handles_to_exited_threads", p.HandlesToExitedThreads)
	if p.HeldBy != 0 {
		num("held_by", p.HeldBy)
	}
	if p.ZombiesHeld != 0 {
		num("zombies_held", p.ZombiesHeld)
	}
	if len(p.ZombieImages) > 0 {
		key(in1, "zombie_images")
		b = appendJSONValue(b, p.ZombieImages, in1[1:])
	}
	if p.Inheritable != 0 {
		num("inheritable", p.Inheritable)
	}
	key(in1, "open_stacks")
	switch {
	case p.OpenStacks == nil:
		b = append(b, "null"...)
	case len(p.OpenStacks) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, '[')
		for i, st := range p.OpenStacks {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, in2...)
			b = append(b, '{')
			first = true
			key(in3, "frames")
			b = appendStrings(b, st.Frames, in3)
			key(in3, "count")
			b = strconv.AppendInt(b, st.Count, 10)
			key(in3, "type")
			b = appendJSONString(b, st.Type)
			key(in3, "type_from")
			b = appendJSONString(b, st.TypeFrom)
			key(in3, "since_snapshot")
			b = strconv.AppendBool(b, st.SinceSnapshot)
			key(in3, "first")
			b = appendPosition(b, st.First, in3)
			b = append(b, in2...)
			b = append(b, '}')
		}
		b = append(b, in1...)
		b = append(b, ']')
		first = false
	}
	num("open_traced", p.OpenTraced)
	num("traced_opens", p.TracedOpens)
	num("traced_closes", p.TracedCloses)
	num("traced_bad_references", p.TracedBadReferences)
	if p.OpenSinceSnapshot != 0 {
		num("open_since_snapshot", p.OpenSinceSnapshot)
	}
	if p.ReportedLeaks != 0 {
		num("reported_leaks", p.ReportedLeaks)
	}
	if len(p.VerifierStops) > 0 {
		key(in1, "verifier_stops")
		b = appendJSONValue(b, p.VerifierStops, in1[1:])
	}
	if len(p.Modules) > 0 {
		key(in1, "modules")
		b = appendJSONValue(b, p.Modules, in1[1:])
	}
	key(in1, "source")
	b = appendPosition(b, p.Source, in1)
	return append(b, "\n"+prefix+"}"...)
}

// appendJSONValue writes v as encoding/json does at the nesting whose
// indentation is prefix.
func appendJSONValue(b []byte, v any, prefix string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return append(b, "null"...) // a Module always encodes
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// appendStrings writes a list of strings as encoding/json does.
func appendStrings(b []byte, l []string, outer string) []byte {
	switch {
	case l == nil:
		return append(b, "null"...)
	case len(l) == 0:
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, outer...)
		b = append(b, "  "...)
		b = appendJSONString(b, s)
	}
	b = append(b, outer...)
	return append(b, ']')
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
	if p.Offset != 0 {
		b = append(b, ',')
		b = append(b, inner...)
		b = append(b, `"offset": `...)
		b = strconv.AppendInt(b, p.Offset, 10)
	}
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
