package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/rules"
)

func newRulesCmd(ui *uiFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Work with rule files",
		Long: `List, check, test and explain the rules analyze runs: the defaults
embedded in the binary and the rule files of --rules directories
(docs/rules.md is the guide).`,
		Example: `  leakdiag rules list
  leakdiag rules lint docs/examples/site-rules
  leakdiag rules test docs/examples/site-rules
  leakdiag rules explain LD0001`,
	}
	var rf ruleFlags
	var df dataFormat
	list := &cobra.Command{
		Use:   "list",
		Short: "List the loaded rules and where each came from",
		Example: `  # The default rules
  leakdiag rules list

  # With a site's directory layered on them, as JSON
  leakdiag rules list --rules docs/examples/site-rules --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			asJSON, err := df.json(cmd)
			if err != nil {
				return err
			}
			set, err := rf.load()
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), listedRules(set))
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
	df.flags(list)
	cmd.AddCommand(list, newRulesSchemaCmd(), newRulesLintCmd(ui), newRulesExplainCmd(), newRulesTestCmd(ui))
	return cmd
}

// listedRule is a rule as rules list --format json prints it.
type listedRule struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Severity   string   `json:"severity"`
	Scope      string   `json:"scope"`
	Lang       string   `json:"lang"`
	Enabled    bool     `json:"enabled"`
	Defined    string   `json:"defined"`
	Overridden []string `json:"overridden"`
}

func listedRules(set *rules.Set) []listedRule {
	out := []listedRule{}
	for _, r := range set.Rules {
		over := []string{}
		for _, p := range r.Overridden {
			over = append(over, p.String())
		}
		out = append(out, listedRule{ID: r.ID, Title: r.Title, Severity: string(r.Severity), Scope: r.Scope, Lang: r.Lang,
			Enabled: r.Enabled, Defined: r.Defined.String(), Overridden: over})
	}
	return out
}
