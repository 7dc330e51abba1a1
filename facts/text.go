package facts

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/internal/inert"
)

// WriteText writes s for a person: the line accounting of each source, a
// process table (pid, image, reported and parsed handle counts, dominant
// type, most held name) and the diagnostics.
func (s *Snapshot) WriteText(w io.Writer) error {
	return writeText(w, s, len(s.Processes), s.Each)
}

// writeText writes the snapshot whose n processes each gives, in order
// (twice: the table's columns are as wide as their widest cell), and
// whose other fields s gives (its processes are not read).
func writeText(w io.Writer, s *Snapshot, n int, each Processes) error {
	if err := writeSources(w, s.Sources); err != nil {
		return err
	}
	if s.Host != "" || s.OSVersion != "" || s.CapturedAt != "" {
		fmt.Fprintf(w, "\nhost %s, %s, captured %s\n", inert.Text(orDash(s.Host)), inert.Text(orDash(s.OSVersion)), inert.Text(orDash(s.CapturedAt)))
	}
	fmt.Fprintf(w, "\n%s\n", countOf(n, "process", "processes"))
	if err := writeProcesses(w, each); err != nil {
		return err
	}
	writeTypeTotals(w, s.TypeTotals, s.TypeTotalsPartial)
	writeMemory(w, s.Memory)
	if len(s.Diagnostics) > 0 {
		fmt.Fprintf(w, "\n%s\n", countOf(len(s.Diagnostics), "diagnostic", "diagnostics"))
		for _, d := range s.Diagnostics {
			fmt.Fprintf(w, "%s: %s: %s [%s]\n", inert.Text(d.Where()), d.Severity, inert.Text(d.Message), inert.Text(d.Code))
		}
	}
	return nil
}

// processHeader heads the process table; its columns are tab-separated,
// as are those of each row (appendProcessRow).
const processHeader = "PID\tCID\tPPID\tIMAGE\tHANDLES\tPARSED\tDOMINANT TYPE\tTOP NAME\n"

// processColumns is the number of columns of the process table but the
// last, which is not padded.
const processColumns = 7

// appendProcessRow appends p's row of the process table, its cells
// separated by tabs, with a newline. It is written with strconv rather
// than fmt because writeProcesses makes each row twice. inert.Text of a
// cell's parts is inert.Text of the cell: the parts are joined by ASCII,
// which it never escapes, and which cannot complete a character.
func appendProcessRow(b []byte, p *Process) []byte {
	b = strconv.AppendUint(b, p.PID, 10)
	b = append(b, "\t0x"...)
	b = strconv.AppendUint(b, p.PID, 16)
	b = append(b, '\t')
	b = strconv.AppendUint(b, p.PPID, 10)
	b = append(b, '\t')
	if p.Image == "" {
		b = append(b, '?')
	} else {
		b = append(b, inert.Text(p.Image)...)
	}
	if p.Exited {
		b = append(b, " (exited)"...)
	}
	b = append(b, '\t')
	if p.HandleCount == nil {
		b = append(b, "n/a"...)
	} else {
		b = strconv.AppendInt(b, *p.HandleCount, 10)
	}
	b = append(b, '\t')
	b = strconv.AppendInt(b, p.HandlesParsed, 10)
	b = append(b, '\t')
	// The dominant type: "Event 1234 (96%)".
	if p.DominantType == "" {
		b = append(b, '-')
	} else {
		b = append(b, inert.Text(p.DominantType)...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, p.ByType[p.DominantType], 10)
		b = append(b, " ("...)
		b = strconv.AppendFloat(b, p.DominantShare*100, 'f', 0, 64) // as %.0f
		b = append(b, "%)"...)
	}
	b = append(b, '\t')
	// The most held name: "Key \REGISTRY\MACHINE\SOFTWARE x12"; or,
	// where no name says much, the folder most names are under: "File
	// C:\Spool: 8192 names x8192".
	switch {
	case p.TopFolder != nil:
		f := p.TopFolder
		b = append(b, inert.Text(f.Type)...)
		b = append(b, ' ')
		b = append(b, inert.Text(f.Path)...)
		b = append(b, ": "...)
		b = strconv.AppendInt(b, f.Names, 10)
		b = append(b, " names x"...)
		b = strconv.AppendInt(b, f.Handles, 10)
	case len(p.TopNames) == 0:
		b = append(b, '-')
	default:
		n := &p.TopNames[0]
		b = append(b, inert.Text(n.Type)...)
		b = append(b, ' ')
		b = append(b, inert.Text(n.Name)...)
		b = append(b, " x"...)
		b = strconv.AppendInt(b, n.Count, 10)
		if n.Error > 0 { // a count past the name table's limit: "x1 (up to 220)"
			b = append(b, " (up to "...)
			b = strconv.AppendInt(b, n.Count+n.Error, 10)
			b = append(b, ')')
		}
	}
	return append(b, '\n')
}

// writeProcesses writes the process table as text/tabwriter lays it out
// (each cell but a row's last padded with spaces to the width of its
// column's widest, plus two), without holding the table: a first pass
// over the processes measures the columns, a second writes the rows.
// tabwriter holds every row until the end, 400 MB for 500,000 processes.
//
// inert.Text keeps tabs, so a name with a tab of its own makes a row of
// more columns than the others, which tabwriter lays out in blocks of
// their own: such a table (never seen in a real capture) goes through
// tabwriter as before.
func writeProcesses(w io.Writer, each Processes) error {
	var widths [processColumns]int
	// measure widens the columns to the cells of row; false: the row has
	// another number of columns.
	measure := func(row []byte) bool {
		if bytes.Count(row, []byte{'\t'}) != processColumns {
			return false
		}
		for j := range processColumns {
			i := bytes.IndexByte(row, '\t')
			widths[j] = max(widths[j], utf8.RuneCount(row[:i])+tablePadding)
			row = row[i+1:]
		}
		return true
	}
	row := []byte(processHeader)
	uniform := measure(row)
	if err := each(func(p *Process) error {
		if uniform {
			row = appendProcessRow(row[:0], p)
			uniform = measure(row)
		}
		return nil
	}); err != nil {
		return err
	}
	if !uniform {
		return writeProcessesTabwriter(w, each)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	write := func(row []byte) {
		for j := range processColumns {
			i := bytes.IndexByte(row, '\t')
			bw.Write(row[:i])
			for n := widths[j] - utf8.RuneCount(row[:i]); n > 0; n-- {
				bw.WriteByte(' ')
			}
			row = row[i+1:]
		}
		bw.Write(row)
	}
	write([]byte(processHeader))
	if err := each(func(p *Process) error {
		row = appendProcessRow(row[:0], p)
		write(row)
		return nil
	}); err != nil {
		return err
	}
	return bw.Flush()
}

// tablePadding is the padding of the process table's cells, tabwriter's
// padding argument.
const tablePadding = 2

// writeProcessesTabwriter writes the process table through tabwriter,
// which holds it whole.
func writeProcessesTabwriter(w io.Writer, each Processes) error {
	tw := tabwriter.NewWriter(w, 0, 4, tablePadding, ' ', 0)
	io.WriteString(tw, processHeader)
	var row []byte
	if err := each(func(p *Process) error {
		row = appendProcessRow(row[:0], p)
		_, err := tw.Write(row)
		return err
	}); err != nil {
		return err
	}
	return tw.Flush()
}

// writeSources writes how much of each source was read: the lines of
// text captures in one table, the bytes of binary ones (minidumps, whose
// Lines are all zero) in another, so that no row says a dump has 0 lines.
func writeSources(w io.Writer, sources []Source) error {
	var text, binary []Source
	for _, src := range sources {
		if src.Bytes != nil {
			binary = append(binary, src)
		} else {
			text = append(text, src)
		}
	}
	if len(text) > 0 || len(binary) == 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "SOURCE\tFORMAT\tLINES\tPARSED\tIGNORED\tUNRECOGNIZED\t")
		for _, src := range text {
			l := src.Lines
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t\n", inert.Text(src.Path), src.Format, l.Total, l.Parsed, l.Ignored, l.Unrecognized)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(binary) == 0 {
		return nil
	}
	if len(text) > 0 {
		fmt.Fprintln(w)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SOURCE\tFORMAT\tBYTES\tPARSED\tSKIPPED\tOTHER\t")
	for _, src := range binary {
		b := src.Bytes
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t\n", inert.Text(src.Path), src.Format, b.Total, b.Parsed, b.Skipped, b.Other)
	}
	return tw.Flush()
}

// countOf writes "1 process", "3 processes".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func countText(n *int64) string {
	if n == nil {
		return "n/a"
	}
	return strconv.FormatInt(*n, 10)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeTypeTotals writes a system-wide type summary (Handle -s), most
// handles first; of one cut short, the rows it gives and no total.
func writeTypeTotals(w io.Writer, totals map[string]int64, partial bool) {
	if len(totals) == 0 {
		return
	}
	types := make([]string, 0, len(totals))
	var sum int64
	for t, n := range totals {
		types = append(types, t)
		sum += n
	}
	sort.Slice(types, func(i, j int) bool {
		if totals[types[i]] != totals[types[j]] {
			return totals[types[i]] > totals[types[j]]
		}
		return types[i] < types[j]
	})
	if partial {
		fmt.Fprintf(w, "\nhandles by type, system-wide (a summary cut short: the total and the types after these are unknown)\n")
	} else {
		fmt.Fprintf(w, "\nhandles by type, system-wide (a summary): %s in all\n", FormatCount(sum))
	}
	for _, t := range types {
		fmt.Fprintf(w, "  %-28s %s\n", inert.Text(t), FormatCount(totals[t]))
	}
}

// writeMemory writes the !vm and !poolused figures.
func writeMemory(w io.Writer, m *Memory) {
	if m == nil {
		return
	}
	kb := func(v *int64) string {
		if v == nil {
			return "?"
		}
		return FormatCount(*v) + " KB"
	}
	if vm := m.VM; vm != nil {
		fmt.Fprintf(w, "\nmemory (at %s): nonpaged pool %s of %s, paged pool %s of %s, commit %s of %s, free system PTEs %s\n",
			vm.Source, kb(vm.NonPagedPoolKB), kb(vm.NonPagedPoolMaxKB), kb(vm.PagedPoolKB), kb(vm.PagedPoolMaxKB),
			kb(vm.CommitKB), kb(vm.CommitLimitKB), countText(vm.FreeSystemPTEs))
		if vm.PoolFailures > 0 {
			fmt.Fprintf(w, "  %s pool allocations have failed\n", FormatCount(vm.PoolFailures))
		}
	}
	if p := m.Pool; p != nil {
		fmt.Fprintf(w, "\npool tags%s: nonpaged %s bytes, paged %s bytes (%s)\n", poolCommands(p.Listings), FormatCount(p.NonPagedBytes), FormatCount(p.PagedBytes), p.TotalsFrom)
		for i, t := range p.TopNonPaged {
			if i == 5 {
				break
			}
			fmt.Fprintf(w, "  nonpaged %-4s %14s bytes %10s allocs  %s%s\n", t.Tag, FormatCount(t.NonPagedBytes), FormatCount(t.NonPagedAllocs), inert.Text(t.Description), trendText(t.NonPagedTrend))
		}
		for i, t := range p.TopPaged {
			if i == 5 {
				break
			}
			fmt.Fprintf(w, "  paged    %-4s %14s bytes %10s allocs  %s%s\n", t.Tag, FormatCount(t.PagedBytes), FormatCount(t.PagedAllocs), inert.Text(t.Description), trendText(t.PagedTrend))
		}
	}
	for _, r := range m.ZombieReports {
		fmt.Fprintf(w, "\nzombie processes (a debugger extension's count at %s): %s", r.Source, FormatCount(r.Count))
		for i, im := range r.Images {
			if i == 5 {
				fmt.Fprintf(w, ", ...")
				break
			}
			sep := ", "
			if i == 0 {
				sep = ": "
			}
			fmt.Fprintf(w, "%s%s %s", sep, inert.Text(im.Name), FormatCount(im.Count))
		}
		fmt.Fprintln(w)
	}
	if e := m.PoolExhaustion; e != nil {
		fmt.Fprintf(w, "\npool ran out (System log events at %s): %s of nonpaged pool (2019), %s of paged pool (2020)",
			e.Source, FormatCount(e.NonPaged), FormatCount(e.Paged))
		if e.First != "" {
			fmt.Fprintf(w, ", from %s to %s", inert.Text(e.First), inert.Text(e.Last))
		}
		fmt.Fprintln(w)
	}
	for _, l := range m.DriverPoolLeaks {
		driver := inert.Text(l.Driver)
		if driver == "" {
			driver = "a driver (not named)"
		}
		fmt.Fprintf(w, "\ndriver pool leak (bugcheck 0xC4 at %s): %s unloaded with %s pool allocation(s) not freed\n",
			l.Source, driver, FormatCount(l.Allocations))
		for i, u := range l.Unfreed {
			if i == 5 {
				fmt.Fprintf(w, "  ... %s more listed by !verifier 3\n", FormatCount(int64(len(l.Unfreed)-5)))
				break
			}
			fmt.Fprintf(w, "  unfreed %-4s %14s bytes  %s\n", inert.Text(u.Tag), FormatCount(u.Bytes), inert.Text(u.Caller))
		}
	}
}

// trendText says where a tag's figures in a pool started, across the
// capture's listings: " (from 17,472 bytes, 21 allocs over 2 listings,
// never fell)"; "" without a trend.
func trendText(tr *PoolTrend) string {
	if tr == nil {
		return ""
	}
	fell := "never fell"
	if !tr.NeverFell {
		fell = "fell between them"
	}
	return fmt.Sprintf(" (from %s bytes, %s allocs over %s listings, %s)", FormatCount(tr.FirstBytes), FormatCount(tr.FirstAllocs), FormatCount(tr.Listings), fell)
}

// poolCommands names the commands that listed the pool tags (!poolused
// 2, poolmon -b), " (...)" of the first three, "" when no listing shows
// its command.
func poolCommands(ls []PoolListing) string {
	var cmds []string
	for _, l := range ls {
		if c := inert.Text(l.Command); c != "" && !slices.Contains(cmds, c) && len(cmds) < 3 {
			cmds = append(cmds, c)
		}
	}
	if len(cmds) == 0 {
		return ""
	}
	return " (" + strings.Join(cmds, ", ") + ")"
}
