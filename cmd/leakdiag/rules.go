package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leakdiag/leakdiag/rules"
	rulesd "github.com/leakdiag/leakdiag/rules.d"
)

// ruleFlags are the flags that choose the rule files.
type ruleFlags struct {
	dirs      []string
	noDefault bool
}

// errRules marks invalid rules (or suppressions, when what says so), which
// exit with exitRules.
type errRules struct {
	err  error
	what string // "": rules
}

func (e errRules) Error() string { return e.err.Error() }
func (e errRules) Unwrap() error { return e.err }

// load reads the default rules (unless dropped) and each --rules
// directory, in that order, into one set.
func (f *ruleFlags) load() (*rules.Set, error) {
	srcs, err := f.sources(nil)
	if err != nil {
		return nil, err
	}
	set, err := rules.Load(srcs)
	var list rules.ErrorList
	if errors.As(err, &list) {
		return nil, errRules{err: err}
	}
	return set, err
}

// sources reads the rule files: the defaults (unless dropped), each --rules
// directory, then each of paths (a directory or one file), in that order.
func (f *ruleFlags) sources(paths []string) ([]rules.Source, error) {
	var srcs []rules.Source
	if !f.noDefault {
		defaults, err := rules.ReadDir(rulesd.FS, ".")
		if err != nil {
			return nil, err
		}
		for i := range defaults {
			defaults[i].Path = "rules.d/" + defaults[i].Path // embedded in the binary
		}
		srcs = append(srcs, defaults...)
	}
	for _, dir := range f.dirs {
		site, err := rules.ReadDir(os.DirFS(dir), ".")
		if err != nil {
			return nil, fmt.Errorf("--rules %s: %w", dir, err)
		}
		for i := range site {
			site[i].Path = filepath.Join(dir, site[i].Path)
		}
		srcs = append(srcs, site...)
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			data, err := rules.ReadPath(p)
			if err != nil {
				return nil, err
			}
			srcs = append(srcs, rules.Source{Path: p, Data: data})
			continue
		}
		site, err := rules.ReadDir(os.DirFS(p), ".")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for i := range site {
			site[i].Path = filepath.Join(p, site[i].Path)
		}
		srcs = append(srcs, site...)
	}
	return srcs, nil
}
