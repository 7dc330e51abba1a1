package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newRulesCmd(ui *uiFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "rules", Short: "Work with rule files"}
	var rf ruleFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "List the loaded rules and where each came from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, err := rf.load()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tSCOPE\tLANG\tENABLED\tTITLE\tDEFINED\tOVERRIDDEN")
			for _, r := range set.Rules {
				var over []string
				for _, p := range r.Overridden {
					over = append(over, p.String())
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\t%s\t%s\n", r.ID, r.Severity, r.Scope, r.Lang, r.Enabled, r.Title, r.Defined, strings.Join(over, ", "))
			}
			return tw.Flush()
		},
	}
	rf.flags(list)
	cmd.AddCommand(list, newRulesSchemaCmd(), newRulesLintCmd(ui), newRulesExplainCmd(), newRulesTestCmd(ui))
	return cmd
}
