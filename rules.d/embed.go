// Package rulesd holds leakdiag's default rules, embedded in the binary.
// They load first; a site's own rule directories layer on top of them.
package rulesd

import "embed"

// FS holds the default rule files (*.yaml), in the order they load: by
// file name.
//
//go:embed *.yaml
var FS embed.FS
