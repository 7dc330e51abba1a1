package rulesd_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestDeletedFilesMessageSaysWhenNoSizeIsGiven: a listing that names the
// deleted files but gives no size (ls -l /proc/PID/fd) is not said to
// hold "0 bytes"; one that gives sizes (lsof) states them.
func TestDeletedFilesMessageSaysWhenNoSizeIsGiven(t *testing.T) {
	set := loadRules(t)
	tests := []struct {
		name       string
		bytes      int64
		want, deny string
	}{
		{"ls -l /proc/PID/fd: no sizes", 0, "the capture gives no size of them", "0 bytes"},
		{"lsof: sizes", 3 << 30, "3,221,225,472 bytes that df counts as used", "gives no size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := facts.NewBuilder()
			p := b.ProcessByPID(4382, facts.Position{Path: "fd.txt", Line: 1})
			p.P.Image = "shipper"
			for i := 0; i < 150; i++ {
				// fd N is value 4N, as the Linux readers add it.
				p.AddHandle(&facts.Handle{Value: uint64(4 * (i + 3)), Type: "file", Naming: facts.Named,
					Name: fmt.Sprintf("/var/log/app/server.log.%d (deleted)", i)})
			}
			p.P.DeletedFDs, p.P.DeletedBytes = 150, tc.bytes
			log := facts.NewSourceLog("fd.txt", "procfd")
			log.Lines = facts.LineCounts{Total: 151, Parsed: 151}
			b.AddSource(log)
			msg := ""
			for _, f := range run(t, set, b.Snapshot()).Findings {
				if f.RuleID == "LD0028" {
					msg = f.Message
				}
			}
			if msg == "" {
				t.Fatal("LD0028 did not fire on 150 fds open to deleted files")
			}
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, tc.deny) {
				t.Errorf("LD0028 message %q: want it to say %q and not %q", msg, tc.want, tc.deny)
			}
		})
	}
}
