package ruletest

import (
	"strings"
	"testing"
)

// TestInlineExitedObjects: handles `to` an exited inline process and to
// terminated threads count as handles to exited objects; the process
// counts as exited.
func TestInlineExitedObjects(t *testing.T) {
	snap, err := inline([]proc{
		{Image: "Launcher.exe", Handles: []handleSpec{
			{Type: "Process", Count: 3, To: "child.exe"},
			{Type: "Process", Count: 2, To: "Live.exe"},
			{Type: "Thread", Count: 4, Terminated: true},
			{Type: "Thread", Count: 7},
		}},
		{Image: "Child.exe", Exited: true},
		{Image: "Live.exe"},
	})
	if err != nil {
		t.Fatal(err)
	}
	l := snap.Processes[0]
	if l.Image != "Launcher.exe" || l.HandlesToExitedProcesses != 3 || l.HandlesToExitedThreads != 4 || l.HandlesParsed != 16 {
		t.Errorf("launcher: %s, %d to exited processes, %d to exited threads, %d handles; want 3, 4, 16",
			l.Image, l.HandlesToExitedProcesses, l.HandlesToExitedThreads, l.HandlesParsed)
	}
	if !snap.Processes[1].Exited || snap.Processes[2].Exited {
		t.Errorf("exited: %v %v, want true false", snap.Processes[1].Exited, snap.Processes[2].Exited)
	}
}

func TestInlineErrors(t *testing.T) {
	for _, c := range []struct {
		procs []proc
		want  string
	}{
		{[]proc{{Image: "a.exe", Handles: []handleSpec{{Type: "Event", Count: 1, To: "b.exe"}}}, {Image: "b.exe"}}, "give them type Process"},
		{[]proc{{Image: "a.exe", Handles: []handleSpec{{Type: "Process", Count: 1, To: "c.exe"}}}}, `no inline process has that image`},
		{[]proc{{Image: "a.exe", Handles: []handleSpec{{Type: "Event", Count: 1, Terminated: true}}}}, "`terminated` is for Thread handles"},
		{[]proc{{Handles: []handleSpec{{Type: "Event", Count: 1}}}}, "needs an image"},
		{[]proc{{Image: "a.exe", Handles: []handleSpec{{Type: "Event", Count: -1}}}}, "handle counts must be"},
	} {
		if _, err := inline(c.procs); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.procs, err, c.want)
		}
	}
}
