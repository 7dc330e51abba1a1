package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/facts"
)

// newRulesSchemaCmd prints the facts conditions can use, read from the
// fact view types, so it is always the schema of this binary.
func newRulesSchemaCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the facts rule conditions can use, with their types and meanings",
		Long: `Print every fact a condition can use (process.* in process-scope rules,
snapshot.* in snapshot-scope ones), its type as CEL names it (expr has
the same fields and types) and what it means. --json prints the same
as a JSON array.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(facts.Schema())
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "FACT\tTYPE\tMEANING")
			for _, f := range facts.Schema() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Type, f.Doc)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the schema as JSON")
	return cmd
}
