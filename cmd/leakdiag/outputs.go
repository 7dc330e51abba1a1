package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/reporters"
)

// reportOutput is one report a run writes: a format and where to.
type reportOutput struct {
	format string
	path   string // "": standard output
	rep    reporters.Reporter
}

// parseOutputs turns the --format values ("text", "sarif=out.sarif", ...)
// into outputs, all checked before any capture is read. At most one format
// goes without a file; it goes to -o, or to standard output.
func parseOutputs(specs []string, output string, opts reporters.Options) ([]reportOutput, error) {
	var outs []reportOutput
	bare, paths := 0, map[string]string{}
	for _, spec := range specs {
		format, path, hasPath := strings.Cut(spec, "=")
		if hasPath && path == "" {
			return nil, fmt.Errorf("--format %q: want FORMAT or FORMAT=FILE", spec)
		}
		o := opts
		if hasPath {
			o.Color = false
		} else {
			bare++
			if bare > 1 {
				return nil, fmt.Errorf("--format %q: only one format can go to %s; give the others a file (FORMAT=FILE)", spec, stdoutName(output))
			}
			path = output
		}
		if path != "" {
			if earlier, dup := paths[path]; dup {
				return nil, fmt.Errorf("--format %q: %s is already the file of --format %s", spec, path, earlier)
			}
			paths[path] = format
		}
		rep, err := reporters.New(format, o)
		if err != nil {
			return nil, fmt.Errorf("--format %q: %w", spec, err)
		}
		outs = append(outs, reportOutput{format: format, path: path, rep: rep})
	}
	if bare == 0 && output != "" {
		return nil, fmt.Errorf("-o %s: every --format has its own file; give -o's format without one", output)
	}
	return outs, nil
}

func stdoutName(output string) string {
	if output != "" {
		return output
	}
	return "standard output"
}

// write writes the report to its file, or to stdout.
func (o reportOutput) write(stdout io.Writer, r *engine.Report) error {
	return o.to(stdout, func(w io.Writer) error { return o.rep.Write(w, r) })
}

// writeBatch writes a batch's reports; o.rep is a BatchWriter.
func (o reportOutput) writeBatch(stdout io.Writer, b *engine.Batch) error {
	return o.to(stdout, func(w io.Writer) error { return o.rep.(reporters.BatchWriter).WriteBatch(w, b) })
}

func (o reportOutput) to(stdout io.Writer, write func(io.Writer) error) error {
	if o.path == "" {
		return write(stdout)
	}
	f, err := os.Create(o.path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing the %s report to %s: %w", o.format, o.path, err)
	}
	return f.Close()
}
