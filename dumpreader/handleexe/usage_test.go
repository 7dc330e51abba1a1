package handleexe

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestUsageAskedFor: the usage text is a warning (the arguments were
// wrong) unless the command line shown above asked for it (-h, /?).
func TestUsageAskedFor(t *testing.T) {
	const usage = "\nNthandle v4.22 - Handle viewer\nCopyright (C) 1997-2019 Mark Russinovich\n" +
		"Sysinternals - www.sysinternals.com\n\n" +
		"usage: handle [[-a [-l]] [-u] | [-c <handle> [-y]] | [-s]] [-p <process>|<pid>] [name] [-nobanner]\n"
	tests := []struct {
		cmd  string
		want facts.Severity
	}{
		{`C:\tools>handle64.exe -h`, facts.SevInfo},
		{`C:\tools>handle /?`, facts.SevInfo},
		{`C:\tools>handle -p`, facts.SevWarning},
		{`C:\tools>handle -x 12`, facts.SevWarning},
	}
	for _, tc := range tests {
		snap := readHandleExeBytes(t, []byte(tc.cmd+"\n"+usage), "usage.txt")
		var got []facts.Severity
		for _, d := range snap.Diagnostics {
			if d.Code == CodeToolError {
				got = append(got, d.Severity)
			}
		}
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s: tool-error severities %v, want [%v]", tc.cmd, got, tc.want)
		}
	}
}
