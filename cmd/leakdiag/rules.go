package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/leakdiag/leakdiag/rules"
	rulesd "github.com/leakdiag/leakdiag/rules.d"
)

// builtinDir is where the positions of the default rules say they are:
// in the binary, which a rules.d beside the reader may or may not match.
const builtinDir = "(built-in) rules.d"

// ruleFlags are the flags that choose the rule files.
type ruleFlags struct {
	dirs      []string
	noDefault bool
}

func (f *ruleFlags) flags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.dirs, "rules", nil, "a directory of rule files layered on the defaults (repeatable, in order)")
	fl.BoolVar(&f.noDefault, "no-default-rules", false, "do not load the default rules")
	cmd.MarkFlagDirname("rules")
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
	rf, err := f.read(nil)
	if err != nil {
		return nil, err
	}
	set, err := rf.load()
	if err != nil {
		return nil, err
	}
	return set, nil
}

// ruleFiles are a run's rule files in the order they load, and who named
// each.
type ruleFiles struct {
	srcs []rules.Source
	// given is, for each of srcs, the --rules directory or argument that
	// named it: "" for a default rule file from the binary.
	given []string
	// builtin are the default rule files, by name.
	builtin map[string][]byte
}

// read reads the rule files: the defaults (unless dropped), each --rules
// directory, then each of paths (a directory or one file), in that order.
//
// A file with the name and content of a default rule file stands in for
// it, in its place: `--rules rules.d`, `rules test rules.d` and `rules
// lint rules.d` in a checkout load the defaults once, from the files
// named (and their positions are those files'). A file that has a
// default's name but other content is layered like any other, and the
// rules it defines again are explained by load.
func (f *ruleFlags) read(paths []string) (*ruleFiles, error) {
	rf := &ruleFiles{builtin: map[string][]byte{}}
	standIn := map[string]int{} // default file name -> its index in srcs, while it is the binary's
	if !f.noDefault {
		defaults, err := rules.ReadDir(rulesd.FS, ".")
		if err != nil {
			return nil, err
		}
		for _, d := range defaults {
			standIn[d.Path] = len(rf.srcs)
			rf.builtin[d.Path] = d.Data
			rf.srcs = append(rf.srcs, rules.Source{Path: builtinDir + "/" + d.Path, Data: d.Data})
			rf.given = append(rf.given, "")
		}
	}
	add := func(src rules.Source, given string) {
		name := filepath.Base(src.Path)
		if i, ok := standIn[name]; ok && bytes.Equal(src.Data, rf.builtin[name]) {
			rf.srcs[i], rf.given[i] = src, given
			delete(standIn, name)
			return
		}
		rf.srcs = append(rf.srcs, src)
		rf.given = append(rf.given, given)
	}
	seen := map[string]bool{}
	for _, dir := range f.dirs {
		// A directory given twice loads once (shell completion parses
		// the flags twice, and --rules appends).
		if seen[filepath.Clean(dir)] {
			continue
		}
		seen[filepath.Clean(dir)] = true
		srcs, err := readRuleDir(dir)
		if err != nil {
			return nil, fmt.Errorf("--rules %s: %w", dir, err)
		}
		for _, src := range srcs {
			add(src, "--rules "+dir)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, pathErr(err))
		}
		if !st.IsDir() {
			data, err := rules.ReadPath(p)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, pathErr(err))
			}
			add(rules.Source{Path: p, Data: data}, p)
			continue
		}
		srcs, err := readRuleDir(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for _, src := range srcs {
			add(src, p)
		}
	}
	return rf, nil
}

// readRuleDir reads the rule files of dir, their paths under it. Its
// errors say what is wrong with dir, not which call failed on it.
func readRuleDir(dir string) ([]rules.Source, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("no such directory")
	case err != nil:
		return nil, pathErr(err)
	case !st.IsDir():
		return nil, errors.New("not a directory: give the directory that holds the rule files")
	}
	srcs, err := rules.ReadDir(os.DirFS(dir), ".")
	if err != nil {
		return nil, pathErr(err)
	}
	for i := range srcs {
		srcs[i].Path = filepath.Join(dir, srcs[i].Path)
	}
	return srcs, nil
}

// pathErr is err without the operation and path of an *fs.PathError:
// "no such file or directory" rather than "open .: no such file or
// directory", for messages that name the path themselves.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// load compiles the rule files into one set. Invalid rules are an
// errRules holding a rules.ErrorList, in which the rules a user's file
// defines again over the defaults are explained (shadowing).
func (rf *ruleFiles) load() (*rules.Set, error) {
	set, err := rules.Load(rf.srcs, rules.WithChecked(rulesd.Checked()))
	var list rules.ErrorList
	if errors.As(err, &list) {
		return nil, errRules{err: rf.shadowing(list)}
	}
	return set, err
}

// shadowing replaces the duplicate-id errors of a user's file that
// defines default rules again (a changed copy of rules.d, a default file
// copied to a site directory) with one error per file that says so and
// how to choose: --no-default-rules to load the files in place of the
// defaults, or override: true to change a default on top of them. Loading
// both is an error: which should win is the user's to say.
func (rf *ruleFiles) shadowing(list rules.ErrorList) rules.ErrorList {
	defined := map[string]string{} // default rule id -> its file's name
	for name, data := range rf.builtin {
		var file struct {
			Rules []struct {
				ID       string `yaml:"id"`
				Override bool   `yaml:"override"`
			} `yaml:"rules"`
		}
		if yaml.Unmarshal(data, &file) == nil {
			for _, r := range file.Rules {
				if !r.Override {
					defined[r.ID] = name
				}
			}
		}
	}
	given := map[string]string{}
	for i, src := range rf.srcs {
		given[src.Path] = rf.given[i]
	}
	type shadow struct {
		first *rules.Error
		ids   []string
		of    map[string]bool // the default files they are in
	}
	shadows := map[string]*shadow{}
	var out rules.ErrorList
	for _, e := range list {
		name, isDefault := defined[e.RuleID]
		if e.Code != rules.CodeDuplicateID || !isDefault || given[e.Pos.File] == "" {
			out = append(out, e)
			continue
		}
		s := shadows[e.Pos.File]
		if s == nil {
			s = &shadow{first: e, of: map[string]bool{}}
			shadows[e.Pos.File] = s
			out = append(out, e)
		}
		s.ids = append(s.ids, e.RuleID)
		s.of[name] = true
	}
	for file, s := range shadows {
		e := s.first
		if len(s.ids) > 1 {
			e.RuleID = ""
		}
		var of []string
		for name := range s.of {
			of = append(of, builtinDir+"/"+name)
		}
		sort.Strings(of)
		what := " of " + joinAnd(of) + ", which it would shadow"
		if base := filepath.Base(file); rf.builtin[base] != nil {
			what = fmt.Sprintf(": it is a changed copy of %s/%s and would shadow it", builtinDir, base)
		}
		e.Msg = fmt.Sprintf("defines again the default %s %s%s; add --no-default-rules to load %s instead of the default rules, or repeat %s with override: true and only the keys that change",
			pluralWord(len(s.ids), "rule", "rules"), joinAnd(s.ids), what, strings.TrimPrefix(given[file], "--rules "), pluralWord(len(s.ids), "its id", "each id"))
	}
	return out
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
