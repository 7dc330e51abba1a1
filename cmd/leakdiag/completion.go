package main

import (
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/severity"
)

// Shell completion (leakdiag completion bash|zsh|fish|powershell) offers
// the values flags take: report formats, --fail-on levels, input formats,
// --color modes, and the ids of the rules that would load.

// fixedCompletions completes a flag from a fixed list of values.
func fixedCompletions(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// inputFormats are --input-format's values, listed once for the commands
// that take it (their help and their completions share the list, which
// is not changed).
var inputFormats = sync.OnceValue(func() []string {
	var out []string
	for _, f := range dumpreader.Formats() {
		out = append(out, string(f))
	}
	return out
})

// inputFormatList is --input-format's values as its help lists them.
var inputFormatList = sync.OnceValue(func() string { return strings.Join(inputFormats(), ", ") })

// reportFormatCompletion completes analyze's --format: a format, or after
// FORMAT= a file.
func reportFormatCompletion(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if strings.Contains(toComplete, "=") {
		return nil, cobra.ShellCompDirectiveDefault
	}
	return reporters.Formats(), cobra.ShellCompDirectiveNoFileComp
}

// ruleIDCompletion completes a rule id, with its title, from the rules the
// command's --rules and --no-default-rules would load.
func ruleIDCompletion(rf *ruleFlags) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		set, err := rf.load()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var ids []string
		for _, r := range set.Rules {
			if strings.HasPrefix(strings.ToLower(r.ID), strings.ToLower(toComplete)) {
				ids = append(ids, cobra.CompletionWithDesc(r.ID, r.Title))
			}
		}
		return ids, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeFlags registers the completions of the flags cmd has among
// those completed by value.
func completeFlags(cmd *cobra.Command, rf *ruleFlags) {
	fl := cmd.Flags()
	if fl.Lookup("fail-on") != nil {
		cmd.RegisterFlagCompletionFunc("fail-on", fixedCompletions(severity.FailOnValues...))
	}
	if fl.Lookup("input-format") != nil {
		cmd.RegisterFlagCompletionFunc("input-format", fixedCompletions(inputFormats()...))
	}
	if fl.Lookup("rule") != nil && rf != nil {
		cmd.RegisterFlagCompletionFunc("rule", ruleIDCompletion(rf))
	}
	if fl.Lookup("baseline") != nil {
		cmd.MarkFlagFilename("baseline", "json")
	}
	if fl.Lookup("suppressions") != nil {
		cmd.MarkFlagFilename("suppressions", "yaml", "yml")
	}
}

// exampleBuiltins gives cobra's own commands (help, completion and its
// shells) their Examples: section, as every command has one.
func exampleBuiltins(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	shells := map[string]string{
		"bash":       "  leakdiag completion bash > /etc/bash_completion.d/leakdiag",
		"zsh":        "  leakdiag completion zsh > \"${fpath[1]}/_leakdiag\"",
		"fish":       "  leakdiag completion fish > ~/.config/fish/completions/leakdiag.fish",
		"powershell": "  leakdiag completion powershell | Out-String | Invoke-Expression",
	}
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Example = "  leakdiag help analyze\n  leakdiag help rules test"
		case "completion":
			c.Example = shells["bash"] + "\n" + shells["zsh"]
			for _, sh := range c.Commands() {
				sh.Example = shells[sh.Name()]
			}
		}
	}
}
