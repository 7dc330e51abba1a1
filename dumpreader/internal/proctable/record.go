package proctable

import (
	"slices"
	"strconv"
	"strings"
)

// Fields builds a Record from cells by role, as a row or a block gives
// them. The first cell of a role wins, except that a handle count is
// taken from HandleCount over Handles where a table shows both (they are
// one figure) simply by being the first that reads.
type Fields struct {
	rec        Record
	hasPID     bool
	pidBad     string
	handlesBad string
	// open is the path or command line the latest Set stored, which a
	// list's wrapped line goes on with (More); nil after any other Set.
	open *string
}

// Set gives the field of role r the value v, as printed.
func (f *Fields) Set(r Role, v string) {
	f.open = nil
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	switch r {
	case PID:
		if f.hasPID {
			return
		}
		if n, ok := parsePID(v); ok {
			f.rec.PID, f.hasPID = n, true
		} else if f.pidBad == "" {
			f.pidBad = v
		}
	case Image, ImageNoExt:
		if f.rec.Image == "" {
			f.rec.Image = ImageName(v, r)
		}
	case Handles:
		if f.rec.Handles != nil {
			return
		}
		if n, ok := ParseCount(v); ok {
			f.rec.Handles = &n
		} else if f.handlesBad == "" {
			f.handlesBad = v
		}
	case Session:
		if f.rec.Session != nil {
			return
		}
		if n, ok := ParseCount(v); ok {
			f.rec.Session = &n
		}
	case Threads:
		if f.rec.Threads != nil {
			return
		}
		if n, ok := ParseCount(v); ok {
			f.rec.Threads = &n
		}
	case NonPagedKB, NonPagedMB, NonPagedBytes:
		if f.rec.NonPaged != nil {
			return
		}
		if n, ok := parseBytes(v, r); ok {
			f.rec.NonPaged = &n
		}
	case Created:
		if f.rec.Created == "" {
			if t, ok := ParseDMTF(v); ok {
				f.rec.Created = t
			}
		}
	case Path, Cmdline:
		if Truncated(v) {
			f.rec.Cut = true
		} else if r == Path && f.rec.Path == "" {
			f.rec.Path, f.open = v, &f.rec.Path
		} else if r == Cmdline && f.rec.Cmdline == "" {
			f.rec.Cmdline, f.open = v, &f.rec.Cmdline
		}
	case Services:
		if f.rec.Services == nil {
			f.rec.Services, f.rec.ServicesOpen = ServiceList(v), listGoesOn(v)
		}
	case Host:
		if f.rec.Host == "" {
			f.rec.Host = v
		}
	}
}

// parseBytes reads a figure of memory in bytes from a cell in the unit
// of its column's role: NonPagedKB's KB, maybe followed by the unit as
// Task Manager prints it ("1,512 K"); NonPagedMB's MB with two decimals
// in the machine's culture ("14.38", "1.234,56"), as PowerShell 7 prints
// NPM(M); else bytes. Counts are under 10^15 (ParseCount), so KB and
// hundredths of a MB in bytes stay far from overflow.
func parseBytes(v string, r Role) (int64, bool) {
	v = strings.TrimSpace(v)
	switch r {
	case NonPagedKB:
		for _, unit := range []string{"KB", "kB", "K"} {
			if t, ok := strings.CutSuffix(v, unit); ok {
				v = strings.TrimSpace(t)
				break
			}
		}
		n, ok := ParseCount(v)
		return n * 1024, ok
	case NonPagedMB:
		whole, hundredths := v, "00"
		if i := strings.LastIndexAny(v, ".,"); i >= 0 {
			// Two decimals always: "1,234" is no such figure.
			whole, hundredths = v[:i], v[i+1:]
		}
		n, ok := ParseCount(whole)
		h, hok := ParseCount(hundredths)
		if !ok || !hok || len(hundredths) != 2 || n > maxCount>>20 {
			return 0, false
		}
		return n<<20 + h<<20/100, true
	}
	return ParseCount(v)
}

// Truncated says whether a cell's text was cut to its column's width by
// Format-Table, which ends it with "..." (Windows PowerShell) or "…"
// (PowerShell 7): a path or command line cut so ("C:\Progra...", "-k
// netsv...") is not the process's, and naming a host process's service
// from it would name the wrong one.
func Truncated(v string) bool {
	return strings.HasSuffix(v, "...") || strings.HasSuffix(v, "\u2026")
}

// parsePID reads a pid: decimal digits, no grouping (no tool groups
// them), below 2^32.
func parsePID(v string) (uint64, bool) {
	n, err := strconv.ParseUint(v, 10, 32)
	return n, err == nil
}

// Record returns the record at line, and false when it names no pid.
// bad, if not "", says which value could not be read.
func (f *Fields) Record(line int64) (r Record, ok bool, bad string) {
	r = f.rec
	r.Line = line
	if r.Image == "" && r.Path != "" {
		// A table of Win32_Process properties without Name (its
		// Description holds the name, read as Get-Process's is not): the
		// image is the path's last element.
		if i := strings.LastIndexAny(r.Path, `\/`); i >= 0 && i+1 < len(r.Path) {
			r.Image = r.Path[i+1:]
		}
	}
	switch {
	case f.pidBad != "" && !f.hasPID:
		bad = "the pid " + strconv.Quote(f.pidBad)
	case f.handlesBad != "":
		bad = "the handle count " + strconv.Quote(f.handlesBad)
	}
	return r, f.hasPID, bad
}

// Reset empties f for the next record.
func (f *Fields) Reset() { *f = Fields{} }

// FromCells fills f from the cells of a row under h.
func (f *Fields) FromCells(h *Header, cells []string) {
	f.Reset()
	// HandleCount first: Export-Csv of a process has Handles and
	// HandleCount, one figure twice.
	for pass := 0; pass < 2; pass++ {
		for i, c := range h.Cols {
			if !c.Known || i >= len(cells) {
				continue
			}
			if pass == 0 && c.Role == Handles && strings.EqualFold(c.Name, "HandleCount") {
				f.Set(c.Role, cells[i])
			}
			if pass == 1 {
				f.Set(c.Role, cells[i])
			}
		}
	}
}

// maxServices bounds the services read of one row: a svchost.exe of
// Windows 7 hosts a few dozen.
const maxServices = 256

// ServiceList reads a list of services as tasklist /svc prints it
// ("BrokerInfrastructure, DcomLaunch, PlugPlay"): nil for none ("N/A",
// or a cell of nothing but commas).
func ServiceList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" && !strings.EqualFold(s, "N/A") && len(out) < maxServices {
			out = append(out, s)
		}
	}
	return out
}

// listGoesOn reports whether a list of services ends in a comma: its
// next line goes on with it (wrapped), and without that line the list is
// cut short.
func listGoesOn(v string) bool {
	return strings.HasSuffix(strings.TrimSpace(v), ",")
}

// maxWrapped bounds a path or command line put together from wrapped
// lines: Windows's own limit on a command line, 32,767 characters.
const maxWrapped = 32767

// More goes on with the path or command line the latest Set stored, as
// Format-List wraps a long value onto lines indented under it. It
// breaks the value at a blank where it can, leaving the blank at the
// end of the line (blank): the pieces are joined by one there, and
// directly where the line ends without one (a word longer than the
// line, or a paste that dropped the blanks at lines' ends). A value
// that ends up cut (Truncated) or longer than maxWrapped is dropped, as
// a cut cell is.
func (f *Fields) More(v string, blank bool) {
	v = strings.TrimSpace(v)
	if f.open == nil || v == "" {
		return
	}
	if Truncated(v) || len(*f.open)+1+len(v) > maxWrapped {
		*f.open, f.open = "", nil
		f.rec.Cut = true
		return
	}
	if blank {
		*f.open += " "
	}
	*f.open += v
}

// MoreServices goes on with the services of the record, as a line of a
// record block indented under them lists more (tasklist /svc /fo list
// prints one a line).
func (f *Fields) MoreServices(v string) {
	f.rec.Services = appendServices(f.rec.Services, ServiceList(v))
	f.rec.ServicesOpen = listGoesOn(v)
}

// appendServices appends to list the services of more it does not hold,
// up to maxServices in all.
func appendServices(list, more []string) []string {
	for _, s := range more {
		if len(list) >= maxServices {
			break
		}
		if !slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) }) {
			list = append(list, s)
		}
	}
	return list
}
