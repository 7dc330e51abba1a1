package main

import (
	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader"
)

func newFactsCmd() *cobra.Command {
	var asJSON bool
	var format string
	cmd := &cobra.Command{
		Use:   "facts [--json] FILE... (- reads standard input)",
		Short: "Read captures and print the facts found in them",
		Long: `Read the captures of one machine (several files are merged into one snapshot)
and print a process table with the line accounting and diagnostics, or, with
--json, the snapshot in leakdiag's own JSON form (schema_version 1), which
leakdiag reads back as a capture.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := dumpreader.Options{Format: dumpreader.Format(format), Stdin: cmd.InOrStdin(), Context: cmd.Context()}
			snap, err := dumpreader.ReadFiles(args, opts)
			if err != nil {
				return err
			}
			if asJSON {
				return snap.WriteJSON(cmd.OutOrStdout())
			}
			return snap.WriteText(cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the snapshot as JSON")
	cmd.Flags().StringVar(&format, "input-format", "", "read the input as this format (kd, handle, lsof, minidump, snapshot) instead of detecting it from its content")
	return cmd
}
