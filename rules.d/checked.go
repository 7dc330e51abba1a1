package rulesd

import (
	_ "embed"
	"sync"

	"github.com/leakdiag/leakdiag/rules"
)

// checkedJSON is the default rules' CEL expressions, parsed and
// type-checked (rules.CheckCEL): `go test ./rules.d -update` writes it,
// and TestCheckedIsCurrent fails when it is stale.
//
//go:embed checked.json
var checkedJSON []byte

// Checked returns the default rules' CEL expressions checked, for
// rules.WithChecked: loading the defaults then parses and checks none of
// them, which was most of a small capture's analysis. An expression is
// taken from it only where a rule's is the same in the same environment
// (rules.CheckedCEL), so a site's rules and overrides compile as before.
var Checked = sync.OnceValue(func() *rules.CheckedCEL {
	c, err := rules.ReadCheckedCEL(checkedJSON)
	if err != nil {
		return nil // TestCheckedIsCurrent fails on such a file
	}
	return c
})
