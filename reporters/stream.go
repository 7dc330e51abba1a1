package reporters

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/leakdiag/leakdiag/engine"
)

// BatchStream is a batch whose reports come one at a time, so that a
// writer holds one report, not the batch: Head is the batch without its
// reports (its summary, failed and skipped captures, fleet summary), and
// Next returns the reports in order, then nil.
type BatchStream struct {
	Head *engine.Batch
	Next func() (*engine.Report, error)
	// Again, when set, reads the reports once more from the first, for
	// a format that goes over them twice (Markdown: a table, then the
	// sections). Without it such a format holds the reports of its first
	// pass.
	Again func() (func() (*engine.Report, error), error)
}

// StreamWriter is a BatchWriter that can write a batch as its reports
// come (leakdiag merge, whose inputs may hold more findings than memory).
// WriteStream of a batch's reports gives the bytes WriteBatch gives.
type StreamWriter interface {
	BatchWriter
	WriteStream(w io.Writer, s BatchStream) error
}

var (
	_ StreamWriter = (*Text)(nil)
	_ StreamWriter = JSON{}
	_ StreamWriter = JSONL{}
	_ StreamWriter = Markdown{}
)

// sliceStream streams a batch's own reports.
func sliceStream(b *engine.Batch) BatchStream {
	each := func() (func() (*engine.Report, error), error) {
		i := 0
		return func() (*engine.Report, error) {
			for i < len(b.Reports) {
				r := b.Reports[i]
				i++
				if r != nil {
					return r, nil
				}
			}
			return nil, nil
		}, nil
	}
	next, _ := each()
	return BatchStream{Head: b, Next: next, Again: each}
}

// jsonIndent encodes v as JSON indented by indent (beyond the first
// line, which the caller places), without the encoder's newline and
// without escaping HTML, as the JSON report does.
func jsonIndent(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent(indent, "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// writeJSONStream writes the batch as the JSON report does, with
// encoding/json's field order and indentation: every field of Head, the
// reports in place of its (empty) reports field.
func writeJSONStream(w io.Writer, s BatchStream) error {
	head := *s.Head
	head.Reports = []*engine.Report{}
	whole, err := jsonIndent(head, "")
	if err != nil {
		return err
	}
	// The reports go between `"reports": [` and `]`, which Head gives
	// empty.
	const mark = "\n  \"reports\": [],\n"
	i := bytes.Index(whole, []byte(mark))
	if i < 0 {
		panic("reporters: a batch's JSON has no reports field")
	}
	var out bytes.Buffer
	out.Write(whole[:i])
	out.WriteString("\n  \"reports\": [")
	if _, err := w.Write(out.Bytes()); err != nil {
		return err
	}
	n := 0
	for {
		r, err := s.Next()
		if err != nil {
			return err
		}
		if r == nil {
			break
		}
		b, err := jsonIndent(r, "    ")
		if err != nil {
			return err
		}
		sep := ",\n    "
		if n == 0 {
			sep = "\n    "
		}
		n++
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	end := "],\n"
	if n > 0 {
		end = "\n  ],\n"
	}
	if _, err := io.WriteString(w, end); err != nil {
		return err
	}
	_, err = w.Write(append(whole[i+len(mark):], '\n'))
	return err
}
