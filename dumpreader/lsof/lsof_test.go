package lsof

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// lsofDir holds the project's own lsof captures.
const lsofDir = "../../testdata/lsof"

// readLsofBytes reads data as lsof output named name, as dumpreader.Read
// does once it detects the format: through Read, then AddSource.
func readLsofBytes(t *testing.T, data []byte, name string) *facts.Snapshot {
	t.Helper()
	b := facts.NewBuilder()
	log := facts.NewSourceLog(name, Name)
	if err := Read(b, log, bytes.NewReader(data)); err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	b.AddSource(log)
	return b.Snapshot()
}

// readLsofFile reads the lsof capture at path.
func readLsofFile(t *testing.T, path string) *facts.Snapshot {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readLsofBytes(t, data, path)
}

func checkLsofLines(t *testing.T, snap *facts.Snapshot, path string) {
	t.Helper()
	if len(snap.Sources) != 1 {
		t.Fatalf("%d sources, want 1", len(snap.Sources))
	}
	src := snap.Sources[0]
	if src.Format != Name {
		t.Errorf("format %q, want %q", src.Format, Name)
	}
	l := src.Lines
	if l.Total == 0 {
		t.Errorf("no lines read")
	}
	if l.Parsed+l.Ignored+l.Unrecognized != l.Total {
		t.Errorf("parsed %d + ignored %d + unrecognized %d != total %d", l.Parsed, l.Ignored, l.Unrecognized, l.Total)
	}
	var warned int64
	for _, d := range snap.Diagnostics {
		if d.Path != path || d.Line < 1 || d.Line > l.Total {
			t.Errorf("diagnostic outside the file: %s:%d %s", d.Path, d.Line, d.Message)
		}
		if d.Code == facts.CodeUnrecognized {
			warned++
		}
	}
	if warned != l.Unrecognized {
		t.Errorf("%d unrecognized-line warnings for %d unrecognized lines", warned, l.Unrecognized)
	}
}

// lsofProcess returns the process with pid in snap, or fails.
func lsofProcess(t *testing.T, snap *facts.Snapshot, pid uint64) *facts.Process {
	t.Helper()
	for _, p := range snap.Processes {
		if p.PID == pid {
			return p
		}
	}
	t.Fatalf("no process %d", pid)
	return nil
}

func lsofCount(n int64) *int64 { return &n }

// TestReadLsofForms checks, capture by capture, the facts a reviewer
// would look for first: handle counts where the listing is whole and
// none where it is not, thread rows not counted, socket states, images.
func TestReadLsofForms(t *testing.T) {
	type want struct {
		pid         uint64
		image       string
		path        string
		ppid        uint64
		handleCount *int64
		parsed      int64
		byType      map[string]int64
		states      map[string]int64
	}
	tests := []struct {
		file  string
		procs []want
		codes []string // diagnostic codes that must be present
	}{
		{
			file: "listing-nP-root-tid-taskcmd-threads-4.93.txt",
			procs: []want{
				{pid: 1, image: "systemd", path: "/usr/lib/systemd/systemd", handleCount: lsofCount(13), parsed: 13,
					byType: map[string]int64{"device": 4, "eventpoll": 1, "signalfd": 1, "inotify": 1, "directory": 1, "timerfd": 1, "netlink": 1, "UNIX": 3}},
				{pid: 4242, image: "java", path: "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", handleCount: lsofCount(16), parsed: 16,
					byType: map[string]int64{"device": 1, "file": 4, "eventfd": 1, "eventpoll": 1, "pipe": 2, "TCP6": 5, "anon_inode": 1, "socket": 1},
					states: map[string]int64{"LISTEN": 1, "ESTABLISHED": 2, "CLOSE_WAIT": 2}},
			},
			codes: []string{CodeThreadRows, CodeToolWarning},
		},
		{
			file: "listing-p-java-closewait-leak-lock.txt",
			procs: []want{{pid: 4242, image: "java", path: "/usr/lib/jvm/java-11-openjdk-amd64/bin/java", handleCount: lsofCount(51), parsed: 51,
				states: map[string]int64{"LISTEN": 1, "ESTABLISHED": 5, "CLOSE_WAIT": 32, "TIME_WAIT": 1}}},
		},
		{
			file: "listing-i-listen-and-grep-deleted.txt",
			procs: []want{
				{pid: 812, image: "sshd", parsed: 2, states: map[string]int64{"LISTEN": 2}},
				{pid: 4242, image: "java", parsed: 2},
				{pid: 9911, image: "postgres", parsed: 1},
			},
			codes: []string{scan.CodePartial, CodeThreadRows, facts.CodeIgnoredCommand},
		},
		{
			file: "listing-user-R-nofd-escaped-command.txt",
			procs: []want{
				{pid: 1, image: "systemd", ppid: 0},
				{pid: 3101, image: "firefox", path: "/usr/lib/firefox/firefox", ppid: 2877, handleCount: lsofCount(12), parsed: 12},
				{pid: 3340, image: "Web Co", path: "/usr/lib/firefox/firefox", ppid: 3101, handleCount: lsofCount(6), parsed: 6},
			},
			codes: []string{facts.CodeMissing},
		},
		{
			file: "listing-old-4.82-sock-leak-anon-0000.txt",
			procs: []want{{pid: 2711, image: "python2.6", path: "/usr/bin/python2.6", handleCount: lsofCount(30), parsed: 30,
				byType: map[string]int64{"device": 3, "anon_inode": 1, "UNIX": 1, "TCP": 1, "socket": 24},
				states: map[string]int64{"ESTABLISHED": 1}}},
		},
		{
			file: "listing-repeat-r-root-prompt.txt",
			procs: []want{{pid: 777, image: "redis-ser", path: "/usr/bin/redis-server", handleCount: lsofCount(10), parsed: 10,
				states: map[string]int64{"LISTEN": 2, "ESTABLISHED": 2}}},
			codes: []string{facts.CodeDuplicate},
		},
		{
			file: "fields-pcfnt.txt",
			procs: []want{
				{pid: 812, image: "sshd", path: "/usr/sbin/sshd", handleCount: lsofCount(6), parsed: 6, byType: map[string]int64{"device": 1, "UNIX": 2, "IPv4": 2, "IPv6": 1}},
				{pid: 1302, image: "nginx", path: "/usr/sbin/nginx", handleCount: lsofCount(15), parsed: 15},
			},
		},
		{
			file: "fields-F0-default-set.txt",
			procs: []want{
				{pid: 812, image: "sshd", path: "/usr/sbin/sshd", ppid: 1, handleCount: lsofCount(6), parsed: 6, states: map[string]int64{"LISTEN": 2, "ESTABLISHED": 1}},
				{pid: 1302, image: "nginx", path: "/usr/sbin/nginx", ppid: 1301, handleCount: lsofCount(15), parsed: 15,
					states: map[string]int64{"LISTEN": 2, "CLOSE_WAIT": 2, "ESTABLISHED": 1, "TIME_WAIT": 1}},
			},
		},
		{
			file: "fields-default-set-threads-K.txt",
			procs: []want{{pid: 777, image: "redis-server", path: "/usr/bin/redis-server", ppid: 1, handleCount: lsofCount(10), parsed: 10,
				states: map[string]int64{"LISTEN": 2, "CLOSE_WAIT": 1, "ESTABLISHED": 1}}},
			codes: []string{CodeThreadRows},
		},
		{
			file: "damaged-forum-crlf-indent-entities-collapsed-cut.txt",
			procs: []want{
				{pid: 4242, image: "java", path: "/usr/lib/jvm/java-11-openjdk-amd64/bin/java", handleCount: lsofCount(8), parsed: 8,
					states: map[string]int64{"LISTEN": 1, "CLOSE_WAIT": 3, "ESTABLISHED": 1}},
				{pid: 5120, image: "java", path: "/usr/lib/jvm/java-11-openjdk-amd64/bin/java", parsed: 8},
			},
			codes: []string{facts.CodeTruncated, facts.CodeUnrecognized},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			snap := readLsofFile(t, filepath.Join(lsofDir, tc.file))
			for _, w := range tc.procs {
				p := lsofProcess(t, snap, w.pid)
				if p.Image != w.image {
					t.Errorf("pid %d: image %q, want %q", w.pid, p.Image, w.image)
				}
				if p.Path != w.path {
					t.Errorf("pid %d: path %q, want %q", w.pid, p.Path, w.path)
				}
				if p.PPID != w.ppid {
					t.Errorf("pid %d: ppid %d, want %d", w.pid, p.PPID, w.ppid)
				}
				if diff := cmp.Diff(w.handleCount, p.HandleCount); diff != "" {
					t.Errorf("pid %d: handle count diff (-want +got):\n%s", w.pid, diff)
				}
				if p.HandlesParsed != w.parsed {
					t.Errorf("pid %d: %d handles parsed, want %d", w.pid, p.HandlesParsed, w.parsed)
				}
				if w.byType != nil {
					if diff := cmp.Diff(w.byType, p.ByType); diff != "" {
						t.Errorf("pid %d: by type diff (-want +got):\n%s", w.pid, diff)
					}
				}
				if w.states != nil {
					if diff := cmp.Diff(w.states, p.SocketStates); diff != "" {
						t.Errorf("pid %d: socket states diff (-want +got):\n%s", w.pid, diff)
					}
				}
			}
			for _, code := range tc.codes {
				found := false
				for _, d := range snap.Diagnostics {
					found = found || d.Code == code
				}
				if !found {
					t.Errorf("no %q diagnostic", code)
				}
			}
		})
	}
}

// TestReadLsofBoundedMemory checks that what the reader keeps grows with
// processes and names, not lines: a listing of many rows of one process
// holding few distinct names interns few names.
func TestReadLsofBoundedMemory(t *testing.T) {
	var text bytes.Buffer
	text.WriteString("COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n")
	text.WriteString("java    4242  app  cwd    DIR  259,2     4096    2 /\n")
	for i := 0; i < 50000; i++ {
		text.WriteString("java    4242  app  12u a_inode 0,14        0 1058 [eventfd:9]\n")
	}
	b := facts.NewBuilder()
	log := facts.NewSourceLog("many.txt", Name)
	r := newLsofReader(b, log)
	if err := r.read(&text); err != nil {
		t.Fatal(err)
	}
	if r.names.Len() > 2 || len(r.procs) != 1 || len(r.order) != 1 {
		t.Errorf("%d names, %d processes kept for one process of one name", r.names.Len(), len(r.procs))
	}
	if log.Lines.Total != 50002 || log.Lines.Parsed != 50002 {
		t.Errorf("lines %+v, want 50002 parsed", log.Lines)
	}
}
