package reporters

import (
	"encoding/json"
	"io"

	"github.com/leakdiag/leakdiag/engine"
)

// JSON writes the report as indented JSON: schema_version, findings in rank
// order, the summary of the capture, and rules that failed to evaluate.
type JSON struct{}

// Write implements Reporter.
func (JSON) Write(w io.Writer, r *engine.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteBatch implements BatchWriter: the batch as one JSON document, each
// capture's report whole under "reports" and the combined summary.
func (JSON) WriteBatch(w io.Writer, b *engine.Batch) error {
	return writeJSONStream(w, sliceStream(b))
}

// WriteStream implements StreamWriter.
func (JSON) WriteStream(w io.Writer, s BatchStream) error {
	return writeJSONStream(w, s)
}
