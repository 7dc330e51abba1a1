package reporters

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/severity"
)

// JUnit writes the report as JUnit XML for CI servers (GitLab, Jenkins and
// the usual test-report viewers): one test suite for the capture (for each
// capture, in a batch) and one test case per rule that ran. A rule fails
// when it has findings at or above FailOn, and is in error when it could
// not be evaluated; findings below FailOn are kept in the test case's
// system-out. The output has no clock in it: every time is "0".
type JUnit struct {
	// FailOn is the least severity that fails a test case: info, warning
	// or error, or never; "" means warning, as for the CLI.
	FailOn severity.FailOn
}

// Write implements Reporter. It writes r as a batch of one capture (and
// the files skipped as no captures beside it).
func (j JUnit) Write(w io.Writer, r *engine.Report) error {
	return j.WriteBatch(w, engine.NewBatch([]*engine.Report{r}, nil, r.Summary.Skipped))
}

// WriteBatch implements BatchWriter: one test suite per report, as Write
// gives it, in capture order, then one per capture that could not be read,
// with a single test case "read capture" in error, then one per file
// skipped as no capture, its test case skipped. The root's counts add
// up the suites'. Every capture's test cases have their own classname.
func (j JUnit) WriteBatch(w io.Writer, b *engine.Batch) error {
	failOn := j.FailOn
	if failOn == "" {
		failOn = severity.FailOn(severity.Warning)
	}
	if _, err := severity.ParseFailOn(string(failOn)); err != nil {
		return fmt.Errorf("junit: unknown fail-on severity %q (known: info, warning, error, never)", j.FailOn)
	}

	var reports []*engine.Report
	for _, r := range b.Reports {
		if r != nil {
			reports = append(reports, r)
		}
	}
	// The classnames of the captures: their base names, or where two
	// share one their paths, made unique in capture order.
	var paths [][]string
	for _, r := range reports {
		var ps []string
		for _, s := range r.Summary.Sources {
			ps = append(ps, s.Path)
		}
		paths = append(paths, ps)
	}
	for _, f := range b.Failed {
		paths = append(paths, []string{f.Path})
	}
	for _, f := range b.Skipped {
		paths = append(paths, []string{f.Path})
	}
	classes := junitClasses(paths)

	doc := junitSuites{Name: "leakdiag", Time: "0"}
	for i, r := range reports {
		doc.Suites = append(doc.Suites, junitReportSuite(r, failOn, classes[i]))
	}
	for i, f := range b.Failed {
		msg := xmlText(f.Error)
		doc.Suites = append(doc.Suites, junitSuite{Name: xmlText(f.Path), Tests: 1, Errors: 1, Time: "0",
			Cases: []junitCase{{Name: "read capture", Classname: classes[len(reports)+i], Time: "0",
				Error: &junitResult{Message: msg, Type: "capture error", Text: msg}}}})
	}
	for i, f := range b.Skipped {
		doc.Suites = append(doc.Suites, junitSuite{Name: xmlText(f.Path), Tests: 1, Skipped: 1, Time: "0",
			Cases: []junitCase{{Name: "read capture", Classname: classes[len(reports)+len(b.Failed)+i], Time: "0",
				Skipped: &junitSkipped{Message: xmlText(f.Reason)}}}})
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// junitClasses gives each capture, named by its source paths, a classname
// no other capture has: "leakdiag." and its base names (junitBase) joined
// by "+"; where captures share that, their paths with separators and dots
// made underscores (junitPathName); where they share that too, a suffix
// _2, _3 and so on, in capture order.
func junitClasses(paths [][]string) []string {
	name := func(ps []string, part func(string) string) string {
		if len(ps) == 0 {
			return "capture"
		}
		parts := make([]string, len(ps))
		for i, p := range ps {
			parts[i] = part(p)
		}
		return xmlText(strings.Join(parts, "+"))
	}
	bases := make([]string, len(paths))
	count := map[string]int{}
	for i, ps := range paths {
		bases[i] = name(ps, junitBase)
		count[bases[i]]++
	}
	used := map[string]bool{}
	classes := make([]string, len(paths))
	for i, ps := range paths {
		c := bases[i]
		if count[c] > 1 {
			c = name(ps, junitPathName)
		}
		for n, try := 2, c; ; n++ {
			if !used[try] {
				c = try
				break
			}
			try = c + "_" + strconv.Itoa(n)
		}
		used[c] = true
		classes[i] = "leakdiag." + c
	}
	return classes
}

// junitReportSuite is the test suite of one capture's report.
func junitReportSuite(r *engine.Report, failOn severity.FailOn, class string) junitSuite {
	fails := func(f *engine.Finding) bool { return failOn.Fails(f.Severity) }

	suite := junitSuite{Name: "capture", Time: "0"}
	var paths []string
	for _, s := range r.Summary.Sources {
		paths = append(paths, s.Path)
	}
	if len(paths) > 0 {
		suite.Name = xmlText(strings.Join(paths, ", "))
	}

	// One test case per rule: the rules that ran in definition order, then
	// any rule a finding or an error names that the summary does not.
	type ruleCase struct {
		id, title string
		findings  []*engine.Finding
		errors    []engine.RuleError
	}
	var cases []*ruleCase
	byID := map[string]*ruleCase{}
	ruleFor := func(id, title string) *ruleCase {
		c, ok := byID[id]
		if !ok {
			c = &ruleCase{id: id, title: title}
			byID[id] = c
			cases = append(cases, c)
		}
		return c
	}
	for _, rr := range r.Summary.Rules {
		ruleFor(rr.ID, rr.Title)
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		c := ruleFor(f.RuleID, f.Title)
		c.findings = append(c.findings, f)
	}
	for _, e := range r.Errors {
		c := ruleFor(e.RuleID, "")
		c.errors = append(c.errors, e)
	}

	for _, c := range cases {
		tc := junitCase{Name: xmlText(strings.TrimSpace(c.id + " " + c.title)), Classname: class, Time: "0"}
		var failing, passing []*engine.Finding
		for _, f := range c.findings {
			if fails(f) {
				failing = append(failing, f)
			} else {
				passing = append(passing, f)
			}
		}
		if len(c.errors) > 0 {
			tc.Error = junitErrorOf(c.id, c.errors)
			suite.Errors++
		}
		if len(failing) > 0 {
			tc.Failure = junitFailureOf(failing)
			// A case counts once: in error if the rule also failed to
			// evaluate, so that failures + errors <= tests.
			if tc.Error == nil {
				suite.Failures++
			}
		}
		if len(passing) > 0 {
			var b strings.Builder
			fmt.Fprintf(&b, "%s below %s:\n", facts.Plural(len(passing), "finding"), failOn)
			for _, f := range passing {
				b.WriteString("\n")
				junitFinding(&b, f)
			}
			tc.SystemOut = junitText(xmlText(b.String()))
		}
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Tests = len(suite.Cases)

	s := r.Summary
	t := s.Totals()
	lines, unrec := t.Lines.Total, t.Lines.Unrecognized
	suite.Properties = &junitProperties{Properties: []junitProperty{
		{"fail_on", string(failOn)},
		{"processes", strconv.FormatInt(s.Processes, 10)},
		{"total_handles", strconv.FormatInt(s.TotalHandles, 10)},
		{"handles_parsed", strconv.FormatInt(s.HandlesParsed, 10)},
		{"rules_run", strconv.Itoa(s.RulesRun)},
		{"findings", strconv.Itoa(len(r.Findings))},
		{"findings_total", strconv.Itoa(s.FindingsTotal)},
		{"lines", strconv.FormatInt(lines, 10)},
		{"unrecognized_lines", strconv.FormatInt(unrec, 10)},
	}}
	var out strings.Builder
	shown := ""
	if s.FindingsTotal > len(r.Findings) {
		shown = fmt.Sprintf(" (top %d of %d)", len(r.Findings), s.FindingsTotal)
	}
	fmt.Fprintf(&out, "%s%s; %s over %s, %s; %s read, %s unrecognized, %s\n",
		facts.Plural(len(r.Findings), "finding"), shown, facts.Plural(s.RulesRun, "rule"), facts.Plural(int(s.Processes), "process"),
		facts.Plural(int(s.TotalHandles), "handle"), facts.Plural(int(lines), "line"), facts.Plural(int(unrec), "line"), facts.Plural(len(s.Diagnostics), "diagnostic"))
	if shown != "" {
		fmt.Fprintf(&out, "Only the findings in the report are judged: %d more were cut by --top.\n", s.FindingsTotal-len(r.Findings))
	}
	for _, d := range s.Diagnostics {
		fmt.Fprintf(&out, "%s: %s: %s (%s)\n", d.Where(), d.Severity, d.Message, d.Code)
	}
	suite.SystemOut = junitText(xmlText(out.String()))
	return suite
}

// junitFailureOf is the failure of a rule with findings at or above
// fail-on: the worst severity as its type, every finding in its text.
func junitFailureOf(failing []*engine.Finding) *junitResult {
	worst := failing[0].Severity
	for _, f := range failing {
		if f.Severity.Rank() > worst.Rank() {
			worst = f.Severity
		}
	}
	msg := failing[0].Message
	if len(failing) > 1 {
		msg = fmt.Sprintf("%s (and %d more)", msg, len(failing)-1)
	}
	var b strings.Builder
	for i, f := range failing {
		if i > 0 {
			b.WriteString("\n")
		}
		junitFinding(&b, f)
	}
	return &junitResult{Message: xmlText(msg), Type: xmlText(string(worst)), Text: xmlText(b.String())}
}

// junitErrorOf is the error of a rule that failed to evaluate.
func junitErrorOf(id string, errs []engine.RuleError) *junitResult {
	n := 0
	var b strings.Builder
	for _, e := range errs {
		n += 1 + e.More
		fmt.Fprintf(&b, "rule %s failed for %s: %s\n", e.RuleID, e.Who(), e.Message)
		if e.More > 0 {
			fmt.Fprintf(&b, "rule %s failed %d more times\n", e.RuleID, e.More)
		}
	}
	msg := fmt.Sprintf("rule %s failed to evaluate %s", id, facts.Plural(n, "time"))
	if n == 1 {
		msg = fmt.Sprintf("rule %s failed to evaluate for %s: %s", id, errs[0].Who(), errs[0].Message)
	}
	return &junitResult{Message: xmlText(msg), Type: "evaluation error", Text: xmlText(b.String())}
}

// junitFinding writes one finding as the text reporter does, without its
// title (the test case has it).
func junitFinding(b *strings.Builder, f *engine.Finding) {
	fmt.Fprintf(b, "#%d %s: %s\n", f.Rank, strings.ToUpper(string(f.Severity)), f.Message)
	if f.Process != nil {
		fmt.Fprintf(b, "  suspect:   %s (%s) at %s\n", facts.ImageName(f.Process.Image), pidText(f.Process), f.Process.Source)
	} else {
		b.WriteString("  suspect:   the capture as a whole\n")
	}
	c := f.Component
	who := c.Name
	if c.Vendor != "" && c.Vendor != c.Name && !strings.HasPrefix(c.Name, c.Vendor) {
		who += " (" + c.Vendor + ")"
	}
	if c.Contact != "" {
		who += ", contact " + c.Contact
	}
	fmt.Fprintf(b, "  component: %s\n", who)
	if c.InferredFrom != "" || c.Reason != "" {
		fmt.Fprintf(b, "             from %s: %s\n", c.InferredFrom, c.Reason)
	}
	for _, e := range f.Evidence {
		fmt.Fprintf(b, "    %-22s %s\n", e.Name+":", e.Value)
	}
	for _, l := range f.Locations {
		fmt.Fprintf(b, "    %s: %s\n", l.Where(), l.What)
		if l.Text != "" {
			fmt.Fprintf(b, "      | %s\n", l.Text)
		}
	}
	if f.Remediation != "" {
		fmt.Fprintf(b, "  next: %s\n", f.Remediation)
	}
}

// junitBase is the name of a capture file for a classname: its base name
// (after / or \, as the capture may come from Windows) without extension,
// with dots made underscores so viewers do not read them as packages.
func junitBase(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		path = path[i+1:]
	}
	if i := strings.LastIndexByte(path, '.'); i > 0 {
		path = path[:i]
	}
	if path == "" {
		return "capture"
	}
	return strings.ReplaceAll(path, ".", "_")
}

// junitPathName is the name of a capture file for a classname when its
// base name is not enough: its path, with the separators (/, \ and :)
// and dots made underscores, empty parts dropped.
func junitPathName(path string) string {
	parts := strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '\\' || r == ':' })
	if len(parts) == 0 {
		return "capture"
	}
	return strings.ReplaceAll(strings.Join(parts, "_"), ".", "_")
}

// xmlText drops from s what XML 1.0 cannot carry or should not: control
// characters but tab, newline and carriage return, U+FFFE and U+FFFF, and
// bytes that are not UTF-8 (lone surrogates among them). Capture text may
// hold any of them, and encoding/xml would write U+FFFD for some.
func xmlText(s string) string {
	clean := func(r rune, width int) bool {
		switch {
		case r == utf8.RuneError && width <= 1:
			return false
		case r == '\t' || r == '\n' || r == '\r':
			return true
		case unicode.IsControl(r), r == 0xFFFE, r == 0xFFFF:
			return false
		}
		return true
	}
	for i := 0; i < len(s); {
		r, width := utf8.DecodeRuneInString(s[i:])
		if !clean(r, width) {
			var b strings.Builder
			b.Grow(len(s))
			b.WriteString(s[:i])
			for i < len(s) {
				r, width := utf8.DecodeRuneInString(s[i:])
				if clean(r, width) {
					b.WriteString(s[i : i+width])
				}
				i += width
			}
			return b.String()
		}
		i += width
	}
	return s
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Time       string           `xml:"time,attr"`
	Properties *junitProperties `xml:"properties"`
	Cases      []junitCase      `xml:"testcase"`
	SystemOut  junitText        `xml:"system-out,omitempty"`
}

type junitProperties struct {
	Properties []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// junitCase holds, in the order the JUnit schema wants, an error, a
// failure and the output.
type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Error     *junitResult  `xml:"error"`
	Failure   *junitResult  `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut junitText     `xml:"system-out,omitempty"`
}

// junitSkipped marks a test case skipped: a file found in a directory that
// is no capture.
type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// junitResult is a failure or an error.
type junitResult struct {
	Message string
	Type    string
	Text    string
}

// MarshalXML writes the text as escaped character data with its newlines
// as they are (encoding/xml would write them as &#xA; in a struct field).
func (r junitResult) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "message"}, Value: r.Message},
		xml.Attr{Name: xml.Name{Local: "type"}, Value: r.Type})
	return junitText(r.Text).MarshalXML(e, start)
}

// junitText is the text of an element, as escaped character data.
type junitText string

// MarshalXML implements xml.Marshaler.
func (t junitText) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeToken(xml.CharData(t)); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}
