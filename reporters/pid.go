package reporters

import (
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
)

// pidText writes a suspect's pid as reports print it: "pid 4242", or
// "pid unknown" where the capture gives none (a user-mode dump's summary
// alone, or a debuggee named by its image only: `!analyze`'s
// PROCESS_NAME, a thread's Start module), whose 0 is no pid at all. The
// idle process, the one process whose pid is 0, keeps its 0.
func pidText(p *engine.ProcessRef) string {
	if p.PID == 0 && !isIdleImage(p.Image) {
		return "pid unknown"
	}
	return "pid " + strconv.FormatUint(p.PID, 10)
}

// isIdleImage reports whether image names the idle process as the tools
// that list it do: "System Idle Process" (Task Manager, tasklist, wmic,
// Get-Process's "Idle"), "[System Process]" (Sysinternals Handle,
// Process Explorer), "Idle" (kd's !process).
func isIdleImage(image string) bool {
	switch strings.ToLower(image) {
	case "system idle process", "idle", "[system process]", "system process":
		return true
	}
	return false
}
