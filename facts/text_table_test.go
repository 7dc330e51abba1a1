package facts

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/leakdiag/leakdiag/internal/inert"
)

// TestProcessTableIsTabwriter: the process table written in two passes,
// its rows made with strconv, is the table fmt and text/tabwriter made,
// byte for byte, whatever the names and figures hold, tabs included
// (those go through tabwriter itself).
func TestProcessTableIsTabwriter(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	proc := func(pid uint64, image string, count *int64, dominant, name string) *Process {
		p := &Process{PID: pid, PPID: pid / 2, Image: image, HandleCount: count, HandlesParsed: 7,
			ByType: map[string]int64{}}
		if dominant != "" {
			p.DominantType, p.DominantShare, p.ByType[dominant] = dominant, 0.425, 3
		}
		if name != "" {
			p.TopNames = []NameCount{{Name: name, Type: "Key", Count: 12}}
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		procs []*Process
	}{
		{"no process", nil},
		{"one", []*Process{proc(4, "System", n(231), "Key", `\REGISTRY\MACHINE`)}},
		{"unknown image and count, exited", []*Process{
			proc(0, "", nil, "", ""),
			func() *Process { p := proc(0x1234, "agent.exe", n(12), "Event", "x"); p.Exited = true; return p }(),
		}},
		{"wide characters count as one", []*Process{
			proc(8, "Küche東京🙂.exe", n(1), "Datei", "名前"),
			proc(12, "a.exe", n(1234567), "Event", ""),
		}},
		{"escapes", []*Process{proc(16, "evil\x1b[31m.exe\r", n(5), "Ev\xffent", "a\u202eb")}},
		{"a folder where no name says much", []*Process{
			func() *Process {
				p := proc(20, "agent.exe", n(9000), "File", `C:\Spool\request-1`)
				p.TopFolder = &Folder{Type: "File", Path: "C:\\Spool\x1b[2J", Handles: 8192, Names: 8190, Of: 8192}
				return p
			}(),
		}},
		{"a character cut at the end of a part", []*Process{
			func() *Process {
				p := proc(36, "東\xe6\x9d", n(5), "Ev\xe6", "\x9d\xb1x")
				p.Exited, p.TopNames[0].Type = true, "K\xe6"
				return p
			}(),
		}},
		{"odd shares", func() []*Process {
			var ps []*Process
			for i, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0.005, 0.995, 0.125, 1e300} {
				p := proc(uint64(40+4*i), "a.exe", n(int64(i)), "Event", "")
				p.DominantShare = f
				ps = append(ps, p)
			}
			return ps
		}()},
		{"a tab in a name", []*Process{
			proc(20, "tab\there.exe", n(5), "Event", "x"),
			proc(24, "b.exe", n(50000), "Key", "y\tz"),
		}},
		{"a tab in the last column only", []*Process{
			proc(28, "a.exe", n(5), "Event", "one\ttwo"),
			proc(32, "b.exe", n(6), "Event", "three"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkProcessTable(t, tc.procs)
		})
	}

	// Random rows of assorted widths and characters.
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "svchost.exe", "é", "東", "🙂", "\x1b", "\xff", " ", "\\Device\\X", "\u202e", "0123456789"}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	for range 50 {
		var ps []*Process
		for range rng.IntN(30) {
			var count *int64
			if rng.IntN(4) > 0 {
				count = n(rng.Int64N(1 << uint(rng.IntN(40)+1)))
			}
			p := proc(rng.Uint64N(1<<uint(rng.IntN(63)+1)), str(), count, str(), str())
			p.DominantShare, p.Exited = rng.Float64(), rng.IntN(5) == 0
			ps = append(ps, p)
		}
		checkProcessTable(t, ps)
	}
}

func checkProcessTable(t *testing.T, ps []*Process) {
	t.Helper()
	var got, want, viaTabwriter bytes.Buffer
	each := (&Snapshot{Processes: ps}).Each
	if err := writeProcesses(&got, each); err != nil {
		t.Fatal(err)
	}
	if err := writeProcessesTabwriter(&viaTabwriter, each); err != nil {
		t.Fatal(err)
	}
	if err := tabwriterTable(&want, ps); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("writeProcesses differs from fmt and tabwriter:\ngot:\n%s\nwant:\n%s", got.String(), want.String())
	}
	if viaTabwriter.String() != want.String() {
		t.Errorf("writeProcessesTabwriter differs from fmt and tabwriter:\ngot:\n%s\nwant:\n%s", viaTabwriter.String(), want.String())
	}
}

// tabwriterTable is the process table as WriteText wrote it before it
// wrote it in two passes: the rows made with fmt and laid out by
// tabwriter.
func tabwriterTable(w io.Writer, ps []*Process) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PID\tCID\tPPID\tIMAGE\tHANDLES\tPARSED\tDOMINANT TYPE\tTOP NAME")
	for _, p := range ps {
		image := p.Image
		if image == "" {
			image = "?"
		}
		if p.Exited {
			image += " (exited)"
		}
		dominant := "-"
		if p.DominantType != "" {
			dominant = fmt.Sprintf("%s %d (%.0f%%)", p.DominantType, p.ByType[p.DominantType], p.DominantShare*100)
		}
		top := "-"
		switch f := p.TopFolder; {
		case f != nil:
			top = fmt.Sprintf("%s %s: %d names x%d", f.Type, f.Path, f.Names, f.Handles)
		case len(p.TopNames) > 0:
			n := p.TopNames[0]
			top = fmt.Sprintf("%s %s x%d", n.Type, n.Name, n.Count)
		}
		fmt.Fprintf(tw, "%d\t0x%x\t%d\t%s\t%s\t%d\t%s\t%s\n",
			p.PID, p.PID, p.PPID, inert.Text(image), countText(p.HandleCount), p.HandlesParsed, inert.Text(dominant), inert.Text(top))
	}
	return tw.Flush()
}
