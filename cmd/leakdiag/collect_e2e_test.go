package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// TestCollectE2E builds testdata/fdleak, starts it leaking files at 50 a
// second, and collects a series of three snapshots of it one second
// apart: the leak must show as growth of its file descriptors, all on the
// one file it opens.
func TestCollectE2E(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("collect reads Linux's /proc; this is %s", runtime.GOOS)
	}
	if testing.Short() {
		t.Skip("builds and runs a program for seconds: not with -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH, and the test builds testdata/fdleak with it")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "fdleak")
	build := exec.Command(goCmd, "build", "-o", bin, "./testdata/fdleak")
	build.Dir = "../.." // the module's root: tests run in cmd/leakdiag
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./testdata/fdleak: %v\n%s", err, out)
	}
	leaked := filepath.Join(dir, "leaked.dat")
	if err := os.WriteFile(leaked, []byte("held open, never closed\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	const rate = 50 // files a second
	child := exec.Command(bin, "-kind", "file", "-rate", fmt.Sprint(rate), "-max", "900", "-path", leaked)
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		child.Process.Kill()
		child.Wait()
	})
	started := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		started <- line
	}()
	select {
	case line := <-started:
		if want := fmt.Sprintf("fdleak pid %d\n", child.Process.Pid); line != want {
			t.Fatalf("fdleak printed %q, want %q", line, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("fdleak did not start within 10s")
	}
	time.Sleep(300 * time.Millisecond) // some files open before the first snapshot

	series := filepath.Join(dir, "series.json")
	pid := fmt.Sprint(child.Process.Pid)
	code, _, stderr := collectCLI(t, "collect", "--pid", pid, "--interval", "1s", "--count", "3", "-o", series)
	if code != exitOK {
		t.Fatalf("collect: exit %d, stderr:\n%s", code, stderr)
	}
	data, err := os.ReadFile(series)
	if err != nil {
		t.Fatal(err)
	}
	snaps := decodeSeries(t, data)
	if len(snaps) != 3 {
		t.Fatalf("%d snapshots, want 3", len(snaps))
	}
	wantPath, err := filepath.EvalSymlinks(bin)
	if err != nil {
		t.Fatal(err)
	}
	var files []int64
	var times []time.Time
	for i, snap := range snaps {
		if len(snap.Processes) != 1 || snap.Processes[0].PID != uint64(child.Process.Pid) {
			t.Fatalf("snapshot %d: %d processes, want fdleak's alone", i+1, len(snap.Processes))
		}
		p := snap.Processes[0]
		if p.Image != "fdleak" || p.Path != wantPath || p.DominantType != "file" || p.CreateTime == "" {
			t.Errorf("snapshot %d: image %q, path %q, dominant type %q, created %q; want fdleak, %s, file",
				i+1, p.Image, p.Path, p.DominantType, p.CreateTime, wantPath)
		}
		// The Go runtime holds a few files of its own (cgroup CPU limits).
		top := p.TopNames
		if len(top) == 0 || top[0].Name != leaked || top[0].Type != "file" || top[0].Count < p.ByType["file"]-5 {
			t.Fatalf("snapshot %d: top names %v, want %s holding nearly all %d files", i+1, top, leaked, p.ByType["file"])
		}
		if len(snap.Diagnostics) > 0 {
			t.Errorf("snapshot %d: diagnostics %v", i+1, snap.Diagnostics)
		}
		at, _ := facts.ParseCaptureTime(snap.CapturedAt)
		files, times = append(files, top[0].Count), append(times, at)
	}
	t.Logf("%s open %v times at %v", leaked, files, times)
	for i := 1; i < len(files); i++ {
		// 50 more a second; at least a fifth of it on a loaded machine.
		if files[i]-files[i-1] < rate/5 {
			t.Errorf("open files %v: want growth of about %d a snapshot", files, rate)
		}
		// Snapshots keep to a schedule from the first (snapshot i at i
		// intervals): one that ran late on a loaded machine is followed
		// by one sooner, so the schedule is checked, not each gap.
		if d := times[i].Sub(times[0]); d < time.Duration(i)*900*time.Millisecond {
			t.Errorf("snapshot %d is %v after the first, want %ds on the schedule", i+1, d, i)
		}
		if d := times[i].Sub(times[i-1]); d <= 0 || d > 5*time.Second {
			t.Errorf("snapshots %d and %d are %v apart, want about 1s", i, i+1, d)
		}
	}
	if !strings.Contains(stderr, "wrote 3 snapshots") {
		t.Errorf("stderr:\n%s", stderr)
	}

	// The series file is a series: analyze names the leaking process, its
	// executable, the kind it leaks and the growth.
	code, out, errOut := runCLI(t, "analyze", "--format", "json", series)
	if code != 1 {
		t.Fatalf("analyze the series: exit %d, %s", code, errOut)
	}
	var rep struct {
		Findings []struct {
			RuleID  string `json:"rule_id"`
			Process struct {
				PID   uint64 `json:"pid"`
				Image string `json:"image"`
				Path  string `json:"path"`
			} `json:"process"`
			Evidence []struct{ Name, Value string } `json:"evidence"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Process.Image != "fdleak" {
			continue
		}
		found[f.RuleID] = true
		if f.Process.Path != bin || strconv.FormatUint(f.Process.PID, 10) != pid {
			t.Errorf("%s names pid %d at %q, want %s at %s", f.RuleID, f.Process.PID, f.Process.Path, pid, bin)
		}
		if f.RuleID != "LD0013" {
			continue
		}
		ev := map[string]string{}
		for _, e := range f.Evidence {
			ev[e.Name] = e.Value
		}
		if !strings.HasPrefix(ev["grew most"], "file +") || !strings.Contains(ev["growth"], "rising at every capture") {
			t.Errorf("LD0013 evidence %v: want file growing at every capture", ev)
		}
		t.Logf("LD0013 on fdleak: %s; %s", ev["growth"], ev["grew most"])
	}
	if !found["LD0013"] {
		t.Errorf("no steady-growth finding on fdleak: %s", out)
	}
}
