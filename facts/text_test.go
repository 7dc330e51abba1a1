package facts_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestWriteTextCounts: one process is "1 process", and a minidump's row
// gives its bytes, not "0" lines, beside a text capture's lines.
func TestWriteTextCounts(t *testing.T) {
	b := facts.NewBuilder()
	pb := b.Process("ffff8001", facts.Position{Path: "c.dmp", Offset: 196})
	pb.P.PID, pb.P.Image = 4242, "agent.exe"
	dump := facts.NewSourceLog("c.dmp", "minidump")
	dump.Bytes = &facts.ByteCounts{Total: 4096, Parsed: 1024, Skipped: 3000, Other: 72}
	b.AddSource(dump)
	snap := b.Snapshot()
	var out bytes.Buffer
	if err := snap.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"\n1 process\n", "BYTES", "4096", "1024", "3000", "72"} {
		if !strings.Contains(got, want) {
			t.Errorf("WriteText lacks %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{"1 processes", "LINES"} {
		if strings.Contains(got, bad) {
			t.Errorf("WriteText says %q:\n%s", bad, got)
		}
	}

	text := facts.NewSourceLog("c.txt", "kd")
	text.Lines = facts.LineCounts{Total: 10, Parsed: 10}
	b.AddSource(text)
	out.Reset()
	if err := b.Snapshot().WriteText(&out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "LINES") || !strings.Contains(got, "BYTES") {
		t.Errorf("a text capture and a dump: want a lines table and a bytes table:\n%s", got)
	}
}

// TestWriteTextHost: the machine's line names the host once, as the
// capture gives it, not quoted twice.
func TestWriteTextHost(t *testing.T) {
	b := facts.NewBuilder()
	b.SetHost("SRV01", "", "")
	var out bytes.Buffer
	if err := b.Snapshot().WriteText(&out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "\nhost SRV01, -, captured -\n") {
		t.Errorf("WriteText's host line:\n%s", got)
	}
}
