package getprocess_test

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// TestLoopNamesTheChange: Get-Process in a loop prints one header and a
// row a run. The rows are read as one process with the latest count, and
// the diagnostic names the process whose count changed most, from what
// to what, so that the reader sees the growth the rows show.
func TestLoopNamesTheChange(t *testing.T) {
	in := "PS C:\\> while ($true) { Get-Process -Name agent, svchost; sleep 60 }\n\n" +
		"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n" +
		"   1200      40    10300      16156       0.20   5120   0 agent\n" +
		"    812      31    16496      28400      92.75   1104   0 svchost\n" +
		"   1900      41    10396      16224       0.25   5120   0 agent\n" +
		"    810      31    16496      28400      92.80   1104   0 svchost\n" +
		"   2600      43    10500      16300       0.31   5120   0 agent\n" +
		"    815      31    16496      28400      92.85   1104   0 svchost\n"
	snap := proctest.Read(t, []byte(in), "loop.txt", dumpreader.FormatGetProcess)
	var msg string
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeDuplicate {
			msg = d.Message
		}
	}
	for _, want := range []string{"agent.exe (pid 5120)", "from 1200 (line 5) to 2600", "its 3 rows"} {
		if !strings.Contains(msg, want) {
			t.Errorf("duplicate diagnostic %q does not say %q", msg, want)
		}
	}
}
