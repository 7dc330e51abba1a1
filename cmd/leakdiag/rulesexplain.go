package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/rules"
)

// newRulesExplainCmd shows one rule as analyze would run it: its
// definition merged with every override, and where each part came from.
func newRulesExplainCmd() *cobra.Command {
	var rf ruleFlags
	cmd := &cobra.Command{
		Use:   "explain [flags] ID",
		Short: "Show a rule's merged definition and where each part of it came from",
		Long: `Show a rule after every layer (the defaults, then each --rules directory)
has had its say: each key's value and the file:line:col that set it last,
or "default" when no file did; the params it sees, file-level and its own.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := rf.load()
			if err != nil {
				return err
			}
			r, err := set.Rule(args[0])
			if err != nil {
				return err
			}
			return explainRule(cmd.OutOrStdout(), r)
		},
	}
	rf.flags(cmd)
	return cmd
}

func explainRule(w io.Writer, r *rules.Rule) error {
	fmt.Fprintf(w, "rule %s, defined at %s", r.ID, r.Defined)
	for _, o := range r.Overridden {
		fmt.Fprintf(w, ", overridden at %s", o)
	}
	fmt.Fprintln(w)
	from := func(key string) string {
		if p, ok := r.From[key]; ok {
			return p.String()
		}
		return "default"
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  KEY\tSET AT\tVALUE")
	row := func(key, value string) {
		if strings.ContainsAny(value, "\n\t") {
			value = strconv.Quote(value)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", key, from(key), value)
	}
	list := func(l []string) string {
		if len(l) == 0 {
			return "[]"
		}
		b, _ := json.Marshal(l)
		return string(b)
	}
	row("title", r.Title)
	row("enabled", fmt.Sprint(r.Enabled))
	row("severity", r.Severity)
	row("scope", r.Scope)
	row("lang", r.Lang)
	row("when", r.When)
	score := r.Score
	if score == "" {
		score = "(the process's handle count)"
	}
	row("score", score)
	row("message", r.Message)
	row("remediation", r.Remediation)
	row("references", list(r.References))
	row("tags", list(r.Tags))
	names := make([]string, 0, len(r.Params))
	for n := range r.Params {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b, _ := json.Marshal(r.Params[n])
		row("params."+n, string(b))
	}
	for _, e := range r.Exceptions {
		var m []string
		for _, c := range e.Match {
			v, _ := json.Marshal(c.Values)
			if len(c.Values) == 1 {
				v, _ = json.Marshal(c.Values[0])
			}
			m = append(m, c.Fact+" "+c.Op+" "+string(v))
		}
		fmt.Fprintf(tw, "  exception %s\t%s\t%s (%s)\n", e.Name, e.Pos, strings.Join(m, " and "), e.Reason)
	}
	return tw.Flush()
}
