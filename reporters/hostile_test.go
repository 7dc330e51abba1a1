package reporters_test

import (
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/reporters"
)

// TestHostileStrings: capture and rule strings that try to drive a
// terminal (SGR, an OSC title change, a bare CR, C1 and bidi controls,
// bytes that are no UTF-8), to break a Markdown table or add rows (| and
// newlines), to inject HTML, and a javascript: reference. Every format
// keeps them inert: text and Markdown show control characters as visible
// escapes, Markdown and HTML let no markup through, SARIF and HTML make a
// link of no javascript: URL, and the JSON, JSONL, SARIF and JUnit
// documents stay well formed.
func TestHostileStrings(t *testing.T) {
	tests := []struct {
		name string
		set  func(f *engine.Finding, r *engine.Report)
		// text and md are what the text and Markdown reports show of it.
		text, md string
	}{
		{"SGR in the image", func(f *engine.Finding, _ *engine.Report) { f.Process.Image = "evil\x1b[31m.exe" },
			`evil\x1b[31m.exe`, `evil\\x1b\[31m.exe`},
		{"OSC title change in the component", func(f *engine.Finding, _ *engine.Report) { f.Component.Name = "\x1b]0;pwned\x07Contoso" },
			`\x1b]0;pwned\x07Contoso`, `\\x1b\]0;pwned\\x07Contoso`},
		{"bare CR in the message", func(f *engine.Finding, _ *engine.Report) { f.Message = "fine\r#1 INFO nothing to see" },
			`fine\r#1 INFO nothing to see`, `fine\\r\#1 INFO nothing to see`},
		{"pipe and newline in the title", func(f *engine.Finding, _ *engine.Report) { f.Title = "a | b\n| 9 | fake | row |" },
			`a | b\n| 9 | fake | row |`, `a \| b \| 9 \| fake \| row \|`},
		{"HTML in an object name", func(f *engine.Finding, _ *engine.Report) {
			f.Evidence[0].Value = "<script>alert(1)</script>"
			f.Locations[0].Text = "Name: <script>alert(1)</script>"
		}, `<script>alert(1)</script>`, `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{"ESC in the rule id", func(f *engine.Finding, r *engine.Report) { f.RuleID = "T0002\x1b[2J"; r.Summary.Rules[1].ID = f.RuleID },
			`T0002\x1b[2J`, `T0002\\x1b\[2J`},
		{"C1 CSI and a bidi override in the evidence", func(f *engine.Finding, _ *engine.Report) { f.Evidence[0].Value = "\u009b31m \u202etxt.exe" },
			`\u009b31m \u202etxt.exe`, `\\u009b31m \\u202etxt.exe`},
		{"no UTF-8 in a location's path", func(f *engine.Finding, _ *engine.Report) { f.Locations[0].Path = "c\xff\x9b.txt" },
			`c\xff\x9b.txt`, ``},
		{"control characters in a rule error", func(_ *engine.Finding, r *engine.Report) { r.Errors[0].Message = "\x1b]0;pwned\x07" },
			`\x1b]0;pwned\x07`, `\\x1b\]0;pwned\\x07`},
		{"javascript: reference", func(f *engine.Finding, r *engine.Report) {
			f.References = []string{"javascript:alert(1)"}
			for i := range r.Summary.Rules {
				r.Summary.Rules[i].References = []string{"javascript:alert(1)", "JavaScript://x.example/%0aalert(1)"}
			}
		}, ``, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := fixedReport(t)
			tc.set(&rep.Findings[0], rep)
			for _, color := range []bool{false, true} {
				text := string(write(t, "text", color, rep))
				checkTerminalSafe(t, "text", text, color)
				if tc.text != "" && !strings.Contains(text, tc.text) {
					t.Errorf("text (color %v) does not show %q:\n%s", color, tc.text, text)
				}
			}
			md := string(write(t, "markdown", false, rep))
			checkTerminalSafe(t, "markdown", md, false)
			checkMarkdown(t, md)
			if tc.md != "" && !strings.Contains(md, tc.md) {
				t.Errorf("markdown does not show %q:\n%s", tc.md, md)
			}
			html := string(write(t, "html", false, rep))
			if strings.Contains(html, "<script>alert") || regexp.MustCompile(`(?i)href="\s*javascript:`).MatchString(html) {
				t.Errorf("HTML lets markup or a javascript: link through:\n%s", html)
			}
			checkSARIF(t, write(t, "sarif", false, rep))
			docs := []string{string(write(t, "json", false, rep))}
			docs = append(docs, strings.Split(strings.TrimSpace(string(write(t, "jsonl", false, rep))), "\n")...)
			for _, doc := range docs {
				if !json.Valid([]byte(doc)) || strings.ContainsRune(doc, 0x1b) {
					t.Errorf("JSON or a JSON line is not valid, or holds a raw ESC: %q", doc)
				}
			}
			if err := xml.Unmarshal(write(t, "junit", false, rep), new(struct{})); err != nil {
				t.Errorf("JUnit is not well-formed XML: %v", err)
			}
		})
	}
}

// ansiCodes are the escape sequences the text report colours with.
var ansiCodes = regexp.MustCompile(`\x1b\[(0|1|2|31|33|36)m`)

// checkTerminalSafe: out holds no character a terminal acts on but
// newline and tab (and, with colour, the reporter's own colours).
func checkTerminalSafe(t *testing.T, format, out string, color bool) {
	t.Helper()
	if color {
		out = ansiCodes.ReplaceAllString(out, "")
	}
	if !utf8.ValidString(out) {
		t.Errorf("%s: output is not UTF-8: %q", format, out)
	}
	for _, r := range out {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			t.Errorf("%s: control character %U reaches the terminal:\n%q", format, r, out)
			return
		}
	}
}

// checkMarkdown: no raw HTML outside code blocks, every row of a table has its header's
// cells, and no javascript: link.
func checkMarkdown(t *testing.T, md string) {
	t.Helper()
	cells := regexp.MustCompile(`(^|[^\\])\|`)
	header := -1
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence {
			continue // a code block shows HTML as text
		}
		if strings.Contains(line, "<script") || strings.Contains(line, "<javascript:") || strings.Contains(line, "](javascript:") {
			t.Errorf("markdown lets HTML or a javascript: link through: %q", line)
		}
		if !strings.HasPrefix(line, "|") {
			header = -1
			continue
		}
		n := len(cells.FindAllString(line, -1))
		if header < 0 {
			header = n
		} else if n != header {
			t.Errorf("markdown table row has %d cell borders, its header %d: %q", n, header, line)
		}
	}
}

// checkSARIF: valid JSON, helpUri only http(s), no javascript: autolink in
// the help's Markdown.
func checkSARIF(t *testing.T, b []byte) {
	t.Helper()
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						HelpURI string `json:"helpUri"`
						Help    struct{ Markdown string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if r.HelpURI != "" && !strings.HasPrefix(r.HelpURI, "https://") && !strings.HasPrefix(r.HelpURI, "http://") {
			t.Errorf("SARIF helpUri %q is no web URL", r.HelpURI)
		}
		if strings.Contains(strings.ToLower(r.Help.Markdown), "<javascript:") {
			t.Errorf("SARIF help links a javascript: URL: %q", r.Help.Markdown)
		}
	}
}

// TestHostileDiffAndExplain: diff's text and Markdown and --explain's text
// escape what a capture names as the other reports do.
func TestHostileDiffAndExplain(t *testing.T) {
	const image = "evil\x1b]0;pwned\x07\r.exe"
	d := &engine.Diff{
		Old: engine.DiffPoint{Name: "old\x1b[2J.txt"}, New: engine.DiffPoint{Name: "new.txt"},
		Processes: []engine.ProcessChange{{PID: 8, Image: image, Status: engine.Grew, Old: 1, New: 9, Delta: 8,
			Types: []engine.TypeChange{{Type: "Ev|ent\n", Old: 1, New: 9, Delta: 8}}}},
		Types:  []engine.TypeChange{{Type: "Ev|ent\n", Old: 1, New: 9, Delta: 8}},
		Report: fixedReport(t),
	}
	d.Report.Findings[0].Process.Image = image
	for _, format := range []string{"text", "markdown"} {
		var b strings.Builder
		if err := reporters.WriteDiff(&b, d, format); err != nil {
			t.Fatal(err)
		}
		checkTerminalSafe(t, "diff "+format, b.String(), false)
		if format == "markdown" {
			checkMarkdown(t, b.String())
		}
		if want := map[string]string{"text": `evil\x1b]0;pwned\x07\r.exe`, "markdown": `evil\\x1b\]0;pwned\\x07\\r.exe`}[format]; !strings.Contains(b.String(), want) {
			t.Errorf("diff %s does not show %q:\n%s", format, want, b.String())
		}
	}

	snap := reportSnapshot()
	snap.Processes[0].Image = image
	xs, err := engine.Explain(loadRules(t, reportRules), snap, engine.ExplainOptions{RuleID: "T0001"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := reporters.ExplainText(&b, xs); err != nil {
		t.Fatal(err)
	}
	checkTerminalSafe(t, "explain", b.String(), false)
	if want := `evil\x1b]0;pwned\x07\r.exe`; !strings.Contains(b.String(), want) {
		t.Errorf("explain does not show %q:\n%s", want, b.String())
	}
}
