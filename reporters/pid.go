package reporters

import (
	"strconv"

	"github.com/leakdiag/leakdiag/engine"
)

// pidText writes a suspect's pid as reports print it: "pid 4242", or
// "pid unknown" where the capture gives neither pid nor image (a
// user-mode dump's summary alone), whose 0 is no pid at all. A process
// named pid 0 with its image (System Idle Process) keeps its 0.
func pidText(p *engine.ProcessRef) string {
	if p.PID == 0 && p.Image == "" {
		return "pid unknown"
	}
	return "pid " + strconv.FormatUint(p.PID, 10)
}
