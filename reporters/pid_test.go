package reporters

import (
	"testing"

	"github.com/leakdiag/leakdiag/engine"
)

// A suspect the capture gives no pid of is "pid unknown", not pid 0,
// whether or not it names its image; the idle process keeps its 0.
func TestPidText(t *testing.T) {
	for _, c := range []struct {
		p    engine.ProcessRef
		want string
	}{
		{engine.ProcessRef{PID: 4242, Image: "agent.exe"}, "pid 4242"},
		{engine.ProcessRef{PID: 4242}, "pid 4242"},
		{engine.ProcessRef{}, "pid unknown"},
		{engine.ProcessRef{Image: "System Idle Process"}, "pid 0"},
		{engine.ProcessRef{Image: "Idle"}, "pid 0"},
		{engine.ProcessRef{Image: "contoso.exe"}, "pid unknown"},
	} {
		if got := pidText(&c.p); got != c.want {
			t.Errorf("pidText(%+v) = %q, want %q", c.p, got, c.want)
		}
	}
}
