package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/severity"
)

// Bounds on what merge reads: reports are inputs like any other.
const (
	// maxMergeInputs bounds the report files of one merge.
	maxMergeInputs = 10000
	// maxReportValue bounds one capture's report in a JSON batch, and
	// maxJSONLLine one line of a JSON Lines report.
	maxReportValue = 256 << 20
	maxJSONLLine   = 64 << 20
	// maxShardInputs bounds the captures a shard says the whole input
	// has.
	maxShardInputs = 100_000_000
)

// mergeEntry is a capture of a merge's inputs: a report or a capture
// that could not be analysed, where it stands in the whole input, and
// where its report is.
type mergeEntry struct {
	pos   int // in the whole input; -1: the report gives none (no shard)
	input int
	// start and end are the byte range of its lines, in a JSON Lines
	// report.
	start, end int64
}

// mergeInput is one report file as the first pass read it.
type mergeInput struct {
	path    string
	jsonl   bool
	shard   *engine.Shard
	reports []mergeEntry
	failed  []engine.CaptureError
	fpos    []int
	skipped []engine.SkippedFile
	spos    []int
}

// mergeVisitor is what the first pass does with each capture's report.
type mergeVisitor func(in *mergeInput, name string, c engine.FleetCapture, findings []engine.FleetFinding, add func(*engine.BatchSummary))

// limitReader fails once more than n bytes are read since the last
// reset: one report of a JSON batch is bounded, not the file.
type limitReader struct {
	r    io.Reader
	n    int64
	left int64
}

func (l *limitReader) reset() { l.left = l.n }

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

var errTooLarge = fmt.Errorf("a report over %d MiB: not a report leakdiag wrote", maxReportValue>>20)

// lineCol turns a byte offset of a file into line:col, for errors.
func lineCol(path string, off int64) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("%s@%d", path, off)
	}
	defer f.Close()
	line, col := 1, 1
	br := bufio.NewReader(io.LimitReader(f, off))
	for {
		b, err := br.ReadByte()
		if err != nil {
			break
		}
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%s:%d:%d", path, line, col)
}

// jsonBatch reads a JSON batch report as a stream: its fields up to its
// reports, the reports one at a time, then the fields after them.
type jsonBatch struct {
	path string
	f    *os.File
	lim  *limitReader
	dec  *json.Decoder
	// shard is the report's shard field, when it comes before its
	// reports (as leakdiag writes it).
	shard *engine.Shard
}

// openJSONBatch opens a JSON batch report and reads it up to the first of
// its reports.
func openJSONBatch(path string) (*jsonBatch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	lim := &limitReader{r: bufio.NewReaderSize(f, 1<<16), n: maxReportValue}
	lim.reset()
	b := &jsonBatch{path: path, f: f, lim: lim, dec: json.NewDecoder(lim)}
	b.dec.DisallowUnknownFields()
	if err := b.head(); err != nil {
		f.Close()
		return nil, err
	}
	return b, nil
}

func (b *jsonBatch) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: %s", lineCol(b.path, b.dec.InputOffset()), fmt.Sprintf(format, args...))
}

// wrap places a decoding error in the file.
func (b *jsonBatch) wrap(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, errTooLarge):
		return b.errorf("%v", err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return b.errorf("the report ends early: the file is cut short")
	case errors.As(err, &se):
		return fmt.Errorf("%s: not JSON: %v", lineCol(b.path, se.Offset), se)
	case errors.As(err, &te):
		return fmt.Errorf("%s: %v", lineCol(b.path, te.Offset), te)
	}
	return b.errorf("%v", err)
}

// head reads the batch's fields up to its reports' opening bracket.
func (b *jsonBatch) head() error {
	tok, err := b.dec.Token()
	if err != nil {
		return b.wrap(err)
	}
	if tok != json.Delim('{') {
		return b.errorf("not a leakdiag report: want a JSON object")
	}
	for {
		key, err := b.key()
		if err != nil {
			return err
		}
		switch key {
		case "":
			return b.errorf("no reports: not a batch report (leakdiag analyze DIR or several captures, --format json)")
		case "schema_version":
			var v int
			if err := b.dec.Decode(&v); err != nil {
				return b.wrap(err)
			}
			if v != engine.SchemaVersion {
				return b.errorf("schema_version %d: this leakdiag reads version %d", v, engine.SchemaVersion)
			}
		case "fleet":
			// A merged report merged again: its summary is made anew.
			var skip json.RawMessage
			if err := b.dec.Decode(&skip); err != nil {
				return b.wrap(err)
			}
		case "shard":
			b.shard = &engine.Shard{}
			if err := b.dec.Decode(b.shard); err != nil {
				return b.wrap(err)
			}
		case "reports":
			tok, err := b.dec.Token()
			if err != nil {
				return b.wrap(err)
			}
			if tok != json.Delim('[') {
				return b.errorf("reports: want a list")
			}
			return nil
		case "findings":
			return b.errorf("a report of one capture: merge reads batch reports (leakdiag analyze DIR or several captures, --format json)")
		default:
			return b.errorf("unknown field %q before reports: not a leakdiag batch report", key)
		}
	}
}

// key reads an object's next key, "" at its end.
func (b *jsonBatch) key() (string, error) {
	tok, err := b.dec.Token()
	if err != nil {
		return "", b.wrap(err)
	}
	if tok == json.Delim('}') {
		return "", nil
	}
	k, ok := tok.(string)
	if !ok {
		return "", b.errorf("want a field name")
	}
	return k, nil
}

// next returns the next report, nil after the last.
func (b *jsonBatch) next() (*engine.Report, error) {
	if !b.dec.More() {
		if _, err := b.dec.Token(); err != nil {
			return nil, b.wrap(err)
		}
		return nil, nil
	}
	b.lim.reset()
	r := &engine.Report{}
	if err := b.dec.Decode(r); err != nil {
		return nil, b.wrap(err)
	}
	if r.SchemaVersion != engine.SchemaVersion {
		return nil, b.errorf("a report of schema_version %d: this leakdiag reads version %d", r.SchemaVersion, engine.SchemaVersion)
	}
	return r, nil
}

// tail reads the fields after the reports: failed and skipped captures
// (the summary is made anew).
func (b *jsonBatch) tail(in *mergeInput) error {
	for {
		b.lim.reset()
		key, err := b.key()
		if err != nil {
			return err
		}
		switch key {
		case "":
			if _, err := b.dec.Token(); !errors.Is(err, io.EOF) {
				return b.errorf("more after the report's end")
			}
			return nil
		case "failed":
			err = b.dec.Decode(&in.failed)
		case "skipped":
			err = b.dec.Decode(&in.skipped)
		case "summary":
			var s engine.BatchSummary
			err = b.dec.Decode(&s)
		default:
			return b.errorf("unknown field %q after reports: not a leakdiag batch report", key)
		}
		if err != nil {
			return b.wrap(err)
		}
	}
}

func (b *jsonBatch) close() { b.f.Close() }

// readJSONInput is the first pass over a JSON batch report.
func readJSONInput(in *mergeInput, visit mergeVisitor) error {
	b, err := openJSONBatch(in.path)
	if err != nil {
		return err
	}
	defer b.close()
	in.shard = b.shard
	for {
		r, err := b.next()
		if err != nil {
			return err
		}
		if r == nil {
			break
		}
		in.reports = append(in.reports, mergeEntry{pos: -1})
		visit(in, reportName(r), engine.FleetCapture{Name: reportName(r), Host: r.Summary.Host, CapturedAt: r.Summary.CapturedAt},
			engine.FleetFindings(r), func(s *engine.BatchSummary) { s.Add(r) })
	}
	return b.tail(in)
}

// reportName names a capture's report by its files, as reports do.
func reportName(r *engine.Report) string {
	var paths []string
	for _, s := range r.Summary.Sources {
		paths = append(paths, s.Path)
	}
	return strings.Join(paths, ", ")
}

// jsonlLine is what merge reads of a JSON Lines report's line, whatever
// its kind.
type jsonlLine struct {
	SchemaVersion *int   `json:"schema_version"`
	Kind          string `json:"kind"`
	Capture       string `json:"capture"`
	Host          string `json:"host"`
	CapturedAt    string `json:"captured_at"`
	// finding
	RuleID    string  `json:"rule_id"`
	Title     string  `json:"title"`
	Severity  string  `json:"severity"`
	Score     float64 `json:"score"`
	Component string  `json:"component"`
	Vendor    string  `json:"vendor"`
	Image     string  `json:"image"`
	// summary
	Processes    int64 `json:"processes"`
	TotalHandles int64 `json:"total_handles"`
	Findings     int   `json:"findings"`
	Baselined    int   `json:"baselined"`
	Suppressed   int   `json:"suppressed"`
	Errors       int   `json:"errors"`
	// capture_error and skipped
	Error  string `json:"error"`
	File   string `json:"file"`
	Reason string `json:"reason"`
	// shard
	engine.Shard
}

// lineReader reads lines of at most maxJSONLLine bytes, with their
// offsets.
type lineReader struct {
	br   *bufio.Reader
	off  int64
	line int
}

// next returns the next line without its newline, its start offset, and
// io.EOF after the last.
func (l *lineReader) next() ([]byte, int64, error) {
	start := l.off
	var buf []byte
	for {
		chunk, err := l.br.ReadSlice('\n')
		buf = append(buf, chunk...)
		l.off += int64(len(chunk))
		if len(buf) > maxJSONLLine {
			return nil, start, fmt.Errorf("line %d: over %d MiB: not a report leakdiag wrote", l.line+1, maxJSONLLine>>20)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF && len(buf) > 0 {
			err = nil
		}
		if err != nil {
			return nil, start, err
		}
		l.line++
		return bytes.TrimRight(buf, "\r\n"), start, nil
	}
}

// readJSONLInput is the first pass over a JSON Lines report: every line
// checked, each capture's lines (up to its summary line) one entry.
func readJSONLInput(in *mergeInput, visit mergeVisitor) error {
	f, err := os.Open(in.path)
	if err != nil {
		return err
	}
	defer f.Close()
	lr := &lineReader{br: bufio.NewReaderSize(f, 1<<16)}
	var (
		findings []engine.FleetFinding
		sev            = map[string]int{}
		start    int64 = -1
		batch    bool
	)
	for {
		b, off, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", in.path, err)
		}
		at := fmt.Sprintf("%s:%d", in.path, lr.line)
		if len(bytes.TrimSpace(b)) == 0 {
			return fmt.Errorf("%s: an empty line: leakdiag writes none", at)
		}
		if batch {
			return fmt.Errorf("%s: a line after the batch line, which ends a report", at)
		}
		var l jsonlLine
		if err := json.Unmarshal(b, &l); err != nil {
			return fmt.Errorf("%s: not a JSON object: %v", at, err)
		}
		if l.SchemaVersion == nil || *l.SchemaVersion != engine.SchemaVersion {
			return fmt.Errorf("%s: schema_version missing or not %d: not a line this leakdiag writes", at, engine.SchemaVersion)
		}
		if start >= 0 && l.Kind != "finding" && l.Kind != "rule_error" && l.Kind != "summary" {
			return fmt.Errorf("%s: a %q line in the lines of %s, before its summary", at, l.Kind, l.Capture)
		}
		switch l.Kind {
		case "fleet_group":
			// A merged report merged again: its summary is made anew.
			if len(in.reports) > 0 || in.shard != nil {
				return fmt.Errorf("%s: a fleet_group line after the reports began", at)
			}
		case "shard":
			if len(in.reports) > 0 || in.shard != nil {
				return fmt.Errorf("%s: a shard line after the reports began, or a second one", at)
			}
			shard := l.Shard
			in.shard = &shard
		case "finding", "rule_error":
			if start < 0 {
				start = off
			}
			if l.Kind == "finding" {
				s, err := severity.Parse(l.Severity)
				if err != nil {
					return fmt.Errorf("%s: severity %q: %v", at, l.Severity, err)
				}
				sev[string(s)]++
				findings = append(findings, engine.FleetFinding{RuleID: l.RuleID, Title: l.Title, Severity: s, Score: l.Score,
					Component: l.Component, Vendor: l.Vendor, Image: l.Image})
			}
		case "summary":
			if start < 0 {
				start = off
			}
			if l.Findings != len(findings) {
				return fmt.Errorf("%s: the summary of %s counts %d findings, and %d finding lines come before it", at, l.Capture, l.Findings, len(findings))
			}
			in.reports = append(in.reports, mergeEntry{pos: -1, start: start, end: lr.off})
			sum := l
			bySev := sev
			visit(in, l.Capture, engine.FleetCapture{Name: l.Capture, Host: l.Host, CapturedAt: l.CapturedAt}, findings, func(s *engine.BatchSummary) {
				s.Analysed++
				if sum.Findings > 0 {
					s.WithFindings++
				}
				s.Findings += sum.Findings
				for k, n := range bySev {
					s.BySeverity[k] += n
				}
				s.Processes += sum.Processes
				s.Handles += sum.TotalHandles
				s.Baselined += sum.Baselined
				s.Suppressed += sum.Suppressed
				s.RuleErrors += sum.Errors
			})
			findings, sev, start = nil, map[string]int{}, -1
		case "capture_error":
			in.failed = append(in.failed, engine.CaptureError{Path: l.Capture, Error: l.Error})
		case "skipped":
			in.skipped = append(in.skipped, engine.SkippedFile{Path: l.File, Reason: l.Reason})
		case "batch":
			batch = true
		default:
			return fmt.Errorf("%s: unknown kind %q: not a line of a leakdiag batch report", at, l.Kind)
		}
	}
	switch {
	case start >= 0:
		return fmt.Errorf("%s:%d: the lines of the last capture have no summary line: the file is cut short", in.path, lr.line)
	case !batch:
		return fmt.Errorf("%s:%d: no batch line at the end: the file is cut short, or is no batch report (leakdiag analyze DIR, --format jsonl)", in.path, lr.line)
	}
	return nil
}
