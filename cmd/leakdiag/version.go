package main

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/spf13/cobra"

	"github.com/leakdiag/leakdiag/internal/version"
)

// versionText is what `leakdiag version` and `leakdiag --version` print:
// the version (package version says where it comes from), the toolchain
// and platform, and for a development build the version its `requires:`
// checks take it for.
func versionText(i version.Info) string {
	s := fmt.Sprintf("leakdiag %s\nbuilt with %s for %s/%s\n", i, i.Go, runtime.GOOS, runtime.GOARCH)
	if i.Version == "" {
		s += fmt.Sprintf("a development build: rule files' requires: count it as %s\n", i.Number())
	}
	return s
}

// versionTemplate is --version's template: versionText, written when
// --version is given rather than at every start, through a template
// function as cobra takes a template, not a function.
const versionTemplate = `{{leakdiagVersionText}}`

// addVersionTextFunc gives cobra's templates versionTemplate's function,
// once: cobra keeps one table of template functions for every command.
var addVersionTextFunc = sync.OnceFunc(func() {
	cobra.AddTemplateFunc("leakdiagVersionText", func() string { return versionText(version.Get()) })
})

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print leakdiag's version, from the build information",
		Long: `Print leakdiag's version: the module version of a binary installed with
go install github.com/leakdiag/leakdiag/cmd/leakdiag@VERSION, or for a
build in a checkout "(devel)" with the commit and its time (", modified"
when the checkout had local changes). SARIF reports (driver.version) and
HTML reports name the same version, and rule files' requires: are checked
against it. --version prints the same.`,
		Example: `  leakdiag version`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), versionText(version.Get()))
			return err
		},
	}
}
