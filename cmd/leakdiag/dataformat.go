package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// dataFormat is the --format of a command that prints data (facts, rules
// list, rules schema, rules explain): text for people, or json; --json,
// hidden, is short for --format json, as it was before --format.
type dataFormat struct {
	format string
	asJSON bool
}

var dataFormats = []string{"text", "json"}

func (d *dataFormat) flags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&d.format, "format", "text", "print as text or json (--json is short for --format json)")
	fl.BoolVar(&d.asJSON, "json", false, "the same as --format json")
	fl.MarkHidden("json")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(dataFormats...))
}

// json reports whether to print JSON, or an error for a format that is
// neither text nor json, or --json with --format text.
func (d *dataFormat) json(cmd *cobra.Command) (bool, error) {
	switch {
	case d.asJSON && cmd.Flags().Changed("format") && d.format != "json":
		return false, fmt.Errorf("--json and --format %s: give one (--json is --format json)", d.format)
	case d.asJSON || d.format == "json":
		return true, nil
	case d.format == "text":
		return false, nil
	}
	return false, fmt.Errorf("--format %q: %s prints text or json", d.format, cmd.CommandPath())
}

// writeJSON writes v as indented JSON, as the reports are.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // a message's {{if .x > 1}} stays readable
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
