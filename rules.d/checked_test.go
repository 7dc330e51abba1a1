package rulesd

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/leakdiag/leakdiag/rules"
)

var update = flag.Bool("update", false, "rewrite checked.json from the rule files")

// TestCheckedIsCurrent checks that checked.json holds every CEL
// expression of the default rules as they are, checked by this build's
// cel-go against this build's facts: a stale file would make loading slow
// again, silently.
func TestCheckedIsCurrent(t *testing.T) {
	srcs, err := rules.ReadDir(FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	c, err := rules.CheckCEL(srcs)
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile("checked.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(checkedJSON, want) {
		t.Fatalf("checked.json is stale (%d expressions now): run go test ./rules.d -run TestCheckedIsCurrent -update", c.Len())
	}
	if Checked() == nil || Checked().Len() != c.Len() {
		t.Fatalf("Checked() does not read checked.json back")
	}
}
