package proctable

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// TestIsFence: fences as CommonMark has them, an info string after
// backticks or tildes, none with a backtick after backticks.
func TestIsFence(t *testing.T) {
	for in, want := range map[string]bool{
		"```": true, "```text": true, "~~~": true, "``` x": true, "````": true, "~~~ a`b": true,
		"```a`b": false, "``": false, "~~": false, "`x`": false, "text ```": false,
	} {
		if got := IsFence([]byte(in)); got != want {
			t.Errorf("IsFence(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestNoiseVerticalEllipsis: a dot alone on its line, as pastes cut rows
// with, is an elision; two dots or a dot in a word are not noise.
func TestNoiseVerticalEllipsis(t *testing.T) {
	for in, want := range map[string]bool{".": true, "⋮": true, "..": false, ".x": false, "x": false} {
		log := facts.NewSourceLog("t.txt", "test")
		kind, ok := Noise([]byte(in), log, 3)
		if ok != want || ok && kind != scan.Ignored {
			t.Errorf("Noise(%q) = %v, %v; want ok %v", in, kind, ok, want)
		}
		if d := log.Diagnostics(); want && (len(d) != 1 || d[0].Code != facts.CodeElision) {
			t.Errorf("Noise(%q) diagnostics = %v, want one %s", in, d, facts.CodeElision)
		}
	}
}
