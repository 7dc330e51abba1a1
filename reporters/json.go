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
