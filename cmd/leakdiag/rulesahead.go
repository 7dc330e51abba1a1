package main

import "github.com/leakdiag/leakdiag/rules"

// rulesAhead is a rule set loading on a goroutine of its own, so that its
// rules compile while the capture is read: on a small capture loading the
// rules is half of what a run takes.
type rulesAhead struct {
	done chan struct{}
	set  *rules.Set
	ver  string
	err  error
}

// loadAhead starts loading the rule set the flags name (loadVersioned).
func (f *ruleFlags) loadAhead() *rulesAhead {
	a := &rulesAhead{done: make(chan struct{})}
	go func() {
		defer close(a.done)
		a.set, a.ver, a.err = f.loadVersioned()
	}()
	return a
}

// wait returns the rule set and its version once loaded.
func (a *rulesAhead) wait() (*rules.Set, string, error) {
	<-a.done
	return a.set, a.ver, a.err
}

// or returns the error loading the rules gave, if any, else err: an
// error in the rules is the one reported, as when they were loaded
// before anything else.
func (a *rulesAhead) or(err error) error {
	if _, _, rerr := a.wait(); rerr != nil {
		return rerr
	}
	return err
}
