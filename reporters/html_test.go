package reporters_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
)

func writeHTML(t *testing.T, h reporters.HTML, rep *engine.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := h.Write(&b, rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHTMLFooter: the footer gives what a vendor asks first: leakdiag's
// version, when the analysis ran, the host and OS the capture names, and
// the command line, all from the caller and the report.
func TestHTMLFooter(t *testing.T) {
	r, err := reporters.New("html", reporters.Options{Version: "v1.4.2", Time: time.Date(2026, 12, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600)),
		Command: "leakdiag analyze --format html -o report.html capture.txt"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Write(&b, fixedReport(t)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	footer := out[strings.Index(out, "<footer"):]
	for _, want := range []string{"leakdiag v1.4.2", "2026-12-01T08:30:00Z", "SRV-APP-07", "Windows Server 2019 (17763)",
		"Mon Mar  3 10:15:02.123 2025", "<code>leakdiag analyze --format html -o report.html capture.txt</code>"} {
		if !strings.Contains(footer, want) {
			t.Errorf("footer lacks %q:\n%s", want, footer)
		}
	}
	// Without a time or a host, the footer leaves them out rather than
	// showing an empty or zero value.
	empty := writeHTML(t, reporters.HTML{}, emptyReport(t))
	for _, bad := range []string{"0001-01-01", "<dt>Host</dt>", "<dt>Analysed at</dt>", "<dt>Command</dt>"} {
		if strings.Contains(empty, bad) {
			t.Errorf("footer of a report without them shows %q", bad)
		}
	}
}

// TestHTMLFindingDetails: names held once or twice are left out (and
// counted), references are links when they are web URLs, file:line cells
// break only after a path separator, and a process's "why" is given once.
func TestHTMLFindingDetails(t *testing.T) {
	rep := fixedReport(t)
	f := &rep.Findings[0]
	f.Names = []facts.NameCount{
		{Name: `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`, Type: "Key", Count: 1000, First: facts.Position{Path: "cases/2026/capture.txt", Line: 801}},
		{Name: `\Sessions\1\BaseNamedObjects\Twice`, Type: "Event", Count: 2},
		{Name: `\Sessions\1\BaseNamedObjects\Once`, Type: "Event", Count: 1},
	}
	f.References = []string{"https://example.com/kb/1", "KB5001234"}
	out := writeHTML(t, reporters.HTML{}, rep)
	for _, want := range []string{
		"Not listed: 2 names held once or twice.",
		`<a href="https://example.com/kb/1" rel="noreferrer">https://example.com/kb/1</a>`, "<code>KB5001234</code>",
		`<td class="loc"><code><span class="nw">cases/</span><wbr><span class="nw">2026/</span><wbr><span class="nw">capture.txt:801</span></code></td>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"Twice", "Once"} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML lists a name held once or twice (%s)", bad)
		}
	}
	reason := f.Component.Reason
	if n := strings.Count(out, template(reason)); n != 1 {
		t.Errorf("the top suspect's reason is given %d times, want once (the verdict)", n)
	}
}

// template is s as html/template escapes it in text.
func template(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;", "&", "&amp;", "+", "&#43;").Replace(s)
}

// TestHTMLLinux: a Linux capture speaks of file descriptors and names
// its source, in HTML, Markdown and text.
func TestHTMLLinux(t *testing.T) {
	rep := fixedReport(t)
	rep.Summary.Sources = []facts.Source{{Path: "/proc", Format: "procfs"}}
	out := writeHTML(t, reporters.HTML{}, rep)
	for _, want := range []string{"File descriptors by process", "2,400 file descriptors", "(leakdiag collect, from /proc)",
		"Read live from /proc by <code>leakdiag collect</code>"} {
		if !strings.Contains(out, want) {
			t.Errorf("Linux HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"Handles by process", "0 lines read"} {
		if strings.Contains(out, bad) {
			t.Errorf("Linux HTML says %q", bad)
		}
	}
	for _, format := range []string{"markdown", "text"} {
		out := string(write(t, format, false, rep))
		if !strings.Contains(out, "2,400 file descriptors") || !strings.Contains(out, "read from /proc by leakdiag collect") || strings.Contains(out, "0 lines read") {
			t.Errorf("Linux %s does not speak of file descriptors read from /proc:\n%s", format, out)
		}
	}
	rep.Summary.Sources = []facts.Source{{Path: "lsof.txt", Format: "lsof", Lines: facts.LineCounts{Total: 40, Parsed: 40}}}
	if out := writeHTML(t, reporters.HTML{}, rep); !strings.Contains(out, "(lsof output)") || !strings.Contains(out, "40 lines read") {
		t.Errorf("lsof HTML does not name its source or its lines")
	}
}

func TestHTMLBatchGolden(t *testing.T) {
	checkGolden(t, "batch.html", writeBatch(t, reporters.HTML{}, testBatch(t)))
}

// TestHTMLBatch: one page, an index linking to a section per capture,
// ids unique across the page.
func TestHTMLBatch(t *testing.T) {
	out := string(writeBatch(t, reporters.HTML{}, testBatch(t)))
	if n := strings.Count(out, "<!DOCTYPE html>"); n != 1 {
		t.Errorf("%d documents, want 1", n)
	}
	for _, want := range []string{`<a href="#c1-capture"><code>capture.txt</code></a>`, `id="c3-capture"`, `id="c3-finding-1"`,
		`href="#c3-finding-1"`, "broken.txt", "not analysed", "notes/README.md", "4 captures: 3 analysed, 1 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("batch HTML lacks %q", want)
		}
	}
	ids := map[string]bool{}
	for _, part := range strings.Split(out, ` id="`)[1:] {
		id := part[:strings.IndexByte(part, '"')]
		if ids[id] {
			t.Errorf("id %q is on the page twice", id)
		}
		ids[id] = true
	}
}

// seriesReport is three captures of one machine an hour apart, one
// process growing by 400 handles an hour, another flat.
func seriesReport(t *testing.T) *engine.Report {
	t.Helper()
	var snaps []*facts.Snapshot
	for i := range 3 {
		b := facts.NewBuilder()
		b.SetHost("SRV-APP-07", "Windows Server 2019 (17763)", fmt.Sprintf("2026-11-27T%02d:00:00Z", 8+i))
		for _, p := range []struct {
			pid   uint64
			image string
			n     int64
		}{{0x1f4, "ContosoAgent.exe", 1200 + 400*int64(i)}, {0x2c4, "svchost.exe", 600}, {0x7d0, "syncsvc.exe", 300 + int64(i)}} {
			pb := b.Process(fmt.Sprintf("ffffa8812b0e%04x", p.pid), facts.Position{Path: fmt.Sprintf("capture-%d.txt", i+1), Line: int64(p.pid)})
			pb.P.PID, pb.P.Image = p.pid, p.image
			n := p.n
			pb.P.HandleCount = &n
		}
		log := facts.NewSourceLog(fmt.Sprintf("capture-%d.txt", i+1), "kd")
		log.Lines = facts.LineCounts{Total: 100, Parsed: 100}
		b.AddSource(log)
		snaps = append(snaps, b.Snapshot())
	}
	s, err := facts.NewSeries(snaps, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Why = "they name the same host, SRV-APP-07"
	set := loadRules(t, `rules:
  - id: G0001
    title: Handles grow
    severity: error
    when: process.growth_points >= 2 && process.handle_growth > 100
  - id: G0002
    title: Many handles
    severity: warning
    when: process.handles > 500
`)
	rep, err := engine.RunSeries(context.Background(), set, s, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestSeriesGolden: a series shows each suspect's growth over the
// captures, a chart (inline SVG in HTML, a sparkline in Markdown) and a
// table.
func TestSeriesGolden(t *testing.T) {
	rep := seriesReport(t)
	if g := rep.Summary.Series.Growth; len(g) != 2 || g[0].Image != "ContosoAgent.exe" || fmt.Sprint(g[0].Counts) != "[1200 1600 2000]" {
		t.Fatalf("growth %+v, want ContosoAgent.exe's 1200 1600 2000 first, then svchost.exe", g)
	}
	html := string(write(t, "html", false, rep))
	md := string(write(t, "markdown", false, rep))
	checkGolden(t, "series.html", []byte(html))
	checkGolden(t, "series.markdown", []byte(md))
	for _, want := range []string{`id="chart-growth"`, "<polyline", "ContosoAgent.exe (500)", "1,600", template("1,200 to 2,000, +800, +400/h")} {
		if !strings.Contains(html, want) {
			t.Errorf("series HTML lacks %q", want)
		}
	}
	for _, want := range []string{"## Growth over the captures", "`▁▄█`", "| 2026-11-27T09:00:00Z | capture-2.txt | 1,600 | 600 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("series Markdown lacks %q:\n%s", want, md)
		}
	}
	checkMarkdown(t, md)
}
