package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// uiFlags are the root's flags about what leakdiag prints for a person
// besides the data: colour, summaries and notes, the progress bar. Every
// command takes them; each honours those that concern what it prints.
type uiFlags struct {
	color      colorMode
	quiet      bool
	noProgress bool
}

func (u *uiFlags) flags(root *cobra.Command) {
	u.color = colorAuto
	fl := root.PersistentFlags()
	fl.Var(&u.color, "color", "colour the text report: auto (when standard output is a terminal), always (CI logs show colour but are no terminal) or never; NO_COLOR set wins")
	fl.BoolVarP(&u.quiet, "quiet", "q", false, "print findings and problems only: no summary, progress or notes (analyze's text report, rules test and lint, collect)")
	fl.BoolVar(&u.noProgress, "no-progress", false, "no progress bar while a batch is analysed")
	root.RegisterFlagCompletionFunc("color", fixedCompletions(colorModes...))
}

// colorMode is --color's value, checked as it is parsed.
type colorMode string

const (
	colorAuto   colorMode = "auto"
	colorAlways colorMode = "always"
	colorNever  colorMode = "never"
)

var colorModes = []string{string(colorAuto), string(colorAlways), string(colorNever)}

func (c *colorMode) String() string { return string(*c) }
func (c *colorMode) Type() string   { return "auto|always|never" }
func (c *colorMode) Set(s string) error {
	switch m := colorMode(s); m {
	case colorAuto, colorAlways, colorNever:
		*c = m
		return nil
	}
	return fmt.Errorf("want auto, always or never")
}

// colorFor says whether a text report written to w gets ANSI colour:
// NO_COLOR set to anything but "" says never, whatever --color says
// (https://no-color.org); never and always say so; auto colours a
// terminal that is not TERM=dumb.
func (u *uiFlags) colorFor(w io.Writer) bool {
	switch {
	case os.Getenv("NO_COLOR") != "" || u.color == colorNever:
		return false
	case u.color == colorAlways:
		return true
	}
	return isTerminal(w) && os.Getenv("TERM") != "dumb"
}

// isTerminal reports whether w is a terminal: a file whose descriptor
// takes terminal ioctls (golang.org/x/term), which /dev/null, a character
// device too, does not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress says whether a batch may show a progress bar (newProgress
// decides whether anyone is watching).
func (u *uiFlags) progress() bool { return !u.quiet && !u.noProgress }
