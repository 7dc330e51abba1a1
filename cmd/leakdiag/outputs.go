package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/reporters"
)

// reportOutput is one report a run writes: a format and where to.
type reportOutput struct {
	format string
	path   string // "": standard output
	flag   string // how it was asked for: "-o FILE", "--format sarif=FILE"
	rep    reporters.Reporter
	file   *outFile // once opened
}

// outputs are the reports a run writes. They are checked (parseOutputs)
// and their files created (open) before any capture is read, and written
// together at the end: all are replaced, or, when one fails, none.
type outputs []reportOutput

// stdout is the file name that stands for standard output: -o -,
// --format json=-, --junit -.
const stdout = "-"

// parseOutputs turns the --format values ("text", "sarif=out.sarif", ...)
// into outputs, all checked before any capture is read. At most one format
// goes without a file; it goes to -o, or to standard output. At most one
// report goes to standard output ("-" as its file, or none given).
//
// opts.Color is for a text report to standard output; fileColor for one
// to a file.
func parseOutputs(specs []string, output string, opts reporters.Options, fileColor bool) (outputs, error) {
	var outs outputs
	bare, paths := 0, map[string]string{}
	onStdout := "" // the flag of the report that goes to standard output
	for _, spec := range specs {
		format, path, hasPath := strings.Cut(spec, "=")
		if hasPath && path == "" {
			return nil, fmt.Errorf("--format %q: want FORMAT or FORMAT=FILE", spec)
		}
		o := opts
		flag := "--format " + spec
		if hasPath {
			if path != stdout {
				o.Color = fileColor
			}
		} else {
			bare++
			if bare > 1 {
				return nil, fmt.Errorf("--format %q: only one format can go to %s; give the others a file (FORMAT=FILE)", spec, stdoutName(output))
			}
			path = output
			flag = "-o " + output
			if path != "" && path != stdout {
				o.Color = fileColor
			}
		}
		if path == stdout || path == "" {
			if onStdout != "" {
				return nil, fmt.Errorf("--format %q: only one report can go to standard output, and %s goes there; give this one a file", spec, onStdout)
			}
			onStdout = "--format " + spec
			if path == stdout && !hasPath {
				onStdout = "-o -"
			}
			path = ""
		}
		if path != "" {
			key := path
			if abs, err := filepath.Abs(path); err == nil {
				key = abs // a.json and ./a.json are one file
			}
			if earlier, dup := paths[key]; dup {
				return nil, fmt.Errorf("--format %q: %s is already the file of --format %s", spec, path, earlier)
			}
			paths[key] = format
		}
		rep, err := reporters.New(format, o)
		if err != nil {
			return nil, fmt.Errorf("--format %q: %w", spec, err)
		}
		outs = append(outs, reportOutput{format: format, path: path, flag: flag, rep: rep})
	}
	if bare == 0 && output != "" {
		if output == stdout && onStdout != "" {
			return nil, fmt.Errorf("-o -: %s goes to standard output already", onStdout)
		}
		return nil, fmt.Errorf("-o %s: every --format has its own file; give -o's format without one", output)
	}
	return outs, nil
}

func stdoutName(output string) string {
	if output != "" && output != stdout {
		return output
	}
	return "standard output"
}

// open refuses an output that is one of the inputs (the same file by
// os.SameFile, however it is named: a report written there would replace
// a capture, a baseline or a suppressions file) or another output, and
// creates each output's temporary file, so that a directory that cannot
// be written fails now, before the analysis. done removes whatever was
// not written and must be called (deferred) whatever happens.
func (outs outputs) open(inputs []string) (done func(), err error) {
	if err := refuseInputs(outs, inputs); err != nil {
		return func() {}, err
	}
	stop := func() {}
	for _, o := range outs {
		if o.path != "" {
			stop = removeOnSignal()
			break
		}
	}
	done = func() {
		for _, o := range outs {
			if o.file != nil {
				o.file.discard()
			}
		}
		stop()
	}
	for i := range outs {
		if outs[i].path == "" {
			continue
		}
		if outs[i].file, err = createOut(outs[i].path); err != nil {
			done()
			return func() {}, fmt.Errorf("%s: %w", outs[i].flag, err)
		}
	}
	return done, nil
}

// refuseInputs: no output is an input, nor, through a link, another
// output.
func refuseInputs(outs outputs, inputs []string) error {
	type seen struct {
		name string
		st   os.FileInfo
	}
	var files []seen
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if st, err := os.Stat(in); err == nil && st.Mode().IsRegular() {
			files = append(files, seen{in, st})
		}
	}
	nInputs := len(files)
	for _, o := range outs {
		if o.path == "" {
			continue
		}
		st, err := os.Stat(o.path)
		if err != nil {
			continue // not there yet: no input
		}
		for i, f := range files {
			if !os.SameFile(st, f.st) {
				continue
			}
			if i < nInputs {
				return fmt.Errorf("%s: %s is one of the inputs; the report would replace it: write it to another file", o.flag, f.name)
			}
			return fmt.Errorf("%s: %s is the file of %s too", o.flag, o.path, f.name)
		}
		files = append(files, seen{o.flag, st})
	}
	return nil
}

// write writes the report to every output, then puts the files in place.
func (outs outputs) write(stdout io.Writer, r *engine.Report) error {
	return outs.each(stdout, func(o reportOutput, w io.Writer) error { return o.rep.Write(w, r) })
}

// writeBatch writes a batch's reports; every output's reporter is a
// BatchWriter.
func (outs outputs) writeBatch(stdout io.Writer, b *engine.Batch) error {
	return outs.each(stdout, func(o reportOutput, w io.Writer) error { return o.rep.(reporters.BatchWriter).WriteBatch(w, b) })
}

// each writes every output, files to their temporary files, and only when
// all are written renames them over their targets: a failure in any
// leaves every existing report as it was.
func (outs outputs) each(stdout io.Writer, write func(reportOutput, io.Writer) error) error {
	for i := range outs {
		o := &outs[i]
		if o.path == "" {
			if err := write(*o, stdout); err != nil {
				return err
			}
			continue
		}
		if o.file == nil { // not opened ahead
			f, err := createOut(o.path)
			if err != nil {
				return fmt.Errorf("%s: %w", o.flag, err)
			}
			o.file = f
		}
		if err := write(*o, o.file); err != nil {
			return fmt.Errorf("writing the %s report to %s: %w", o.format, o.path, err)
		}
	}
	for _, o := range outs {
		if o.file != nil {
			if err := o.file.commit(); err != nil {
				return err
			}
		}
	}
	return nil
}

// inputsOf lists the files a run reads: its captures, the baseline and
// the suppressions files.
func inputsOf(captures [][]string, baseline string, suppressions []string) []string {
	var in []string
	for _, c := range captures {
		in = append(in, c...)
	}
	if baseline != "" {
		in = append(in, baseline)
	}
	return append(in, suppressions...)
}
