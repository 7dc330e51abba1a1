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
	var df dataFormat
	cmd := &cobra.Command{
		Use:   "explain [flags] ID",
		Short: "Show a rule's merged definition and where each part of it came from",
		Long: `Show a rule after every layer (the defaults, then each --rules directory)
has had its say: each key's value and the file:line:col that set it last,
or "default" when no file did; the params it sees, file-level and its own.
--format json prints the same as one JSON object.`,
		Example: `  # A default rule: each part of it and the file:line:col that set it
  leakdiag rules explain LD0001

  # The same rule as a site's directory changes it, as JSON
  leakdiag rules explain --rules docs/examples/site-rules --format json LD0001`,
		Args: argsNeeded(1, 1, "one rule ID (leakdiag rules list shows them)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			asJSON, err := df.json(cmd)
			if err != nil {
				return err
			}
			set, err := rf.load()
			if err != nil {
				return err
			}
			r, err := findRule(set, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), explained(r))
			}
			return explainRule(cmd.OutOrStdout(), r)
		},
	}
	rf.flags(cmd)
	df.flags(cmd)
	cmd.ValidArgsFunction = func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return ruleIDCompletion(&rf)(c, args, toComplete)
	}
	return cmd
}

// explainedRule is a rule as rules explain shows it: each key's value and
// where it was last set.
type explainedRule struct {
	ID         string               `json:"id"`
	Defined    string               `json:"defined"`
	Overridden []string             `json:"overridden"`
	Keys       []explainedKey       `json:"keys"`
	Exceptions []explainedException `json:"exceptions"`
}

type explainedKey struct {
	Key string `json:"key"`
	// SetAt is the file:line:col that set the value last, or "default".
	SetAt string `json:"set_at"`
	Value any    `json:"value"`
}

type explainedException struct {
	Name    string `json:"name"`
	Defined string `json:"defined"`
	// Match is the comparisons, as text: image glob "backup*.exe" and
	// dominant_type in ["File","Key"].
	Match  string `json:"match"`
	Reason string `json:"reason"`
}

func explained(r *rules.Rule) explainedRule {
	x := explainedRule{ID: r.ID, Defined: r.Defined.String(), Overridden: []string{}, Exceptions: []explainedException{}}
	for _, o := range r.Overridden {
		x.Overridden = append(x.Overridden, o.String())
	}
	row := func(key string, value any) {
		from := "default"
		if p, ok := r.SetAt(key); ok {
			from = p.String()
		}
		x.Keys = append(x.Keys, explainedKey{Key: key, SetAt: from, Value: value})
	}
	list := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	row("title", r.Title)
	row("enabled", r.Enabled)
	row("severity", string(r.Severity))
	row("scope", r.Scope)
	row("lang", r.Lang)
	row("when", r.When)
	row("score", r.Score)
	row("message", r.Message)
	row("remediation", r.Remediation)
	row("references", list(r.References))
	row("tags", list(r.Tags))
	params := r.Params()
	names := make([]string, 0, len(params))
	for n := range params {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		row("params."+n, params[n])
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
		x.Exceptions = append(x.Exceptions, explainedException{Name: e.Name, Defined: e.Pos.String(), Match: strings.Join(m, " and "), Reason: e.Reason})
	}
	return x
}

// findRule is set.Rule, whose error names the nearest ids when there is
// no rule of that id (a number mistyped, a rule of a later release).
func findRule(set *rules.Set, id string) (*rules.Rule, error) {
	r, err := set.Rule(id)
	if err == nil {
		return r, nil
	}
	ids := make([]string, len(set.Rules))
	for i, r := range set.Rules {
		ids[i] = r.ID
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no rule %q: no rules are loaded", id)
	}
	return nil, fmt.Errorf("no rule %q; the nearest: %s (leakdiag rules list shows all %d)", id, joinAnd(rules.Nearest(id, ids, 3)), len(ids))
}

func explainRule(w io.Writer, r *rules.Rule) error {
	x := explained(r)
	fmt.Fprintf(w, "rule %s, defined at %s", x.ID, x.Defined)
	for _, o := range x.Overridden {
		fmt.Fprintf(w, ", overridden at %s", o)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  KEY\tSET AT\tVALUE")
	for _, k := range x.Keys {
		var value string
		switch v := k.Value.(type) {
		case string:
			value = v
			if k.Key == "score" && v == "" {
				value = "(the process's handle count)"
			}
		case bool:
			value = fmt.Sprint(v)
		default:
			b, _ := json.Marshal(v)
			value = string(b)
		}
		if strings.ContainsAny(value, "\n\t") {
			value = strconv.Quote(value)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.Key, k.SetAt, value)
	}
	for _, e := range x.Exceptions {
		fmt.Fprintf(tw, "  exception %s\t%s\t%s (%s)\n", e.Name, e.Defined, e.Match, e.Reason)
	}
	return tw.Flush()
}
