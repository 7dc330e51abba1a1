package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// newRulesSchemaCmd prints the facts conditions can use, read from the
// fact view types, so it is always the schema of this binary.
func newRulesSchemaCmd() *cobra.Command {
	var df dataFormat
	var ruleFile, suppressionsFile bool
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the facts rule conditions can use, with their types and meanings",
		Long: `Print every fact a condition can use (process.* in process-scope rules,
snapshot.* in snapshot-scope ones), its type as CEL names it (expr has
the same fields and types) and what it means. --format json prints the
same as a JSON array.

--rule-file prints a JSON Schema of rule files, and --suppressions-file
one of suppressions files, for editors with the YAML language server
(docs/rules.md says how to hook them up; docs/schemas has copies).`,
		Example: `  # Every fact a condition can use, its type and meaning
  leakdiag rules schema

  # The same for tools
  leakdiag rules schema --format json

  # A JSON Schema of rule files for an editor's YAML language server
  leakdiag rules schema --rule-file > leakdiag-rules.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			asJSON, err := df.json(cmd)
			if err != nil {
				return err
			}
			if ruleFile && suppressionsFile {
				return fmt.Errorf("--rule-file or --suppressions-file: one schema at a time")
			}
			if ruleFile || suppressionsFile {
				schema := rules.FileSchema()
				if suppressionsFile {
					schema = rules.SuppressionsSchema()
				}
				data, err := json.MarshalIndent(schema, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(out, "%s\n", data)
				return err
			}
			if asJSON {
				return writeJSON(out, facts.Schema())
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "FACT\tTYPE\tMEANING")
			for _, f := range facts.Schema() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Type, f.Doc)
			}
			return tw.Flush()
		},
	}
	df.flags(cmd)
	cmd.Flags().BoolVar(&ruleFile, "rule-file", false, "print a JSON Schema of rule files, for editors")
	cmd.Flags().BoolVar(&suppressionsFile, "suppressions-file", false, "print a JSON Schema of suppressions files, for editors")
	return cmd
}
