package counterlog

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestProcessCountersNotRead checks that counters of the Process object
// leakdiag does not read (% Processor Time, in any of the languages whose
// Process object is known) are said to be that, not "not about
// processes", and that a log of only such counters is said to lack the
// ones read, not to have no counter of the Process object.
func TestProcessCountersNotRead(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // substrings of the other-counters and missing-value diagnostics, in order
	}{
		{
			name: "typeperf, Italian names",
			text: `"(PDH-CSV 4.0)","\\DB1\Processo(sql#1)\% Tempo processore","\\DB1\Processo(sql)\% Tempo processore","\\DB1\Memoria\Byte disponibili"` + "\n" +
				`"10/07/2021 10:54:27.752","0.000000","1.5","4096"` + "\n",
			want: []string{
				"1 counter not about processes",
				`2 counters of the Process object not read (the first: "% Tempo processore")`,
				"the log has none of the Process object's counters leakdiag reads (Handle Count,",
			},
		},
		{
			name: "Get-Counter",
			text: "Timestamp                 CounterSamples\n" +
				"---------                 --------------\n" +
				"3/1/2024 10:00:00 AM      \\\\srv01\\process(agent)\\% processor time :\n" +
				"                          12.5\n",
			want: []string{
				`1 sample of Process counters not read (the first: "% processor time")`,
				"the log has none of the Process object's counters leakdiag reads",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, log := read(t, tc.text)
			var got []string
			for _, d := range log.Diagnostics() {
				if d.Code == CodeOtherCounters || d.Code == facts.CodeMissing {
					got = append(got, d.Message)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("diagnostics %q, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("diagnostic %d = %q, want it to say %q", i, got[i], w)
				}
			}
		})
	}
}
