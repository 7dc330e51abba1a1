package dumpreader_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/mdwrite"
)

// The bundled minidump example, written by exampleDump (go test
// ./dumpreader -run MinidumpExample -update rewrites it).
const minidumpExample = "../testdata/examples/contoso-agent-events.dmp.gz"

// Module bases of the example process.
const (
	agentBase  = 0x140000000
	hookBase   = 0x7ff9a0000000
	kbaseBase  = 0x7ffa10000000
	ntdllBase  = 0x7ffa20000000
	examplePID = 4242
)

// exampleDump builds, as DbgHelp writes it with handle data and Application
// Verifier's handle traces, a dump of ContosoAgent.exe in which its
// telemetry hook (contosohook.dll) opened 5,400 events and never closed
// them: 40-byte descriptors with object names where objects have them,
// and one trace per handle operation, oldest first.
func exampleDump() []byte {
	b := mdwrite.New()
	b.DescriptorSize = 40
	b.UnusedSlots = 3
	b.SetTime(time.Date(2026, 11, 20, 3, 12, 0, 0, time.UTC))
	b.SetMisc(examplePID, time.Date(2026, 11, 18, 22, 5, 0, 0, time.UTC))
	b.SetSystemInfo(mdwrite.SystemInfo{Arch: 9, Processors: 8, ProductType: 3, Major: 10, Minor: 0, Build: 20348, Platform: 2})
	b.AddModule(`C:\Program Files\Contoso\Agent\ContosoAgent.exe`, agentBase, 0x80000, 0x6540a1b2, 7, 1, 0, 12)
	b.AddModule(`C:\Windows\System32\ntdll.dll`, ntdllBase, 0x1f8000, 0x5e6c1a2b, 10, 0, 20348, 2227)
	b.AddModule(`C:\Windows\System32\KERNELBASE.dll`, kbaseBase, 0x3a0000, 0x5e6c1a2c, 10, 0, 20348, 2227)
	b.AddModule(`C:\Program Files\Contoso\Agent\contosohook.dll`, hookBase, 0x40000, 0x6540a1b3, 7, 1, 0, 12)
	for _, tid := range []uint32{5120, 5124, 5128} {
		b.AddThread(tid)
	}
	leak := []uint64{ntdllBase + 0x9d4f4, kbaseBase + 0x2f1a6, hookBase + 0x1a42, hookBase + 0x2b10, agentBase + 0x3c00}
	other := []uint64{ntdllBase + 0x9d6a4, kbaseBase + 0x41b20, agentBase + 0x51d0}
	value := uint64(4)
	add := func(typ, name string) uint64 {
		v := value
		b.AddHandle(v, typ, name, 0, 0x1f0003, 1, 32769)
		value += 4
		return v
	}
	for i := range 60 {
		add("File", fmt.Sprintf(`\Device\HarddiskVolume3\ProgramData\Contoso\Agent\spool\%03d.dat`, i))
	}
	for range 40 {
		add("Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent`)
	}
	for range 300 {
		// Opened and closed again by the agent, then the value reused.
		v := add("Event", "")
		b.AddHandleOp(v, examplePID, 5124, 1, other)
		b.AddHandleOp(v, examplePID, 5124, 2, other)
		b.AddHandleOp(v, examplePID, 5124, 1, other)
	}
	for range 5400 {
		v := add("Event", "")
		b.AddHandleOp(v, examplePID, 5128, 1, leak)
	}
	add("Thread", "")
	add("ALPC Port", "")
	return b.Bytes()
}

func gz(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.ModTime = time.Time{}
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMinidumpExample: the bundled example is what exampleDump writes.
func TestMinidumpExample(t *testing.T) {
	want := gz(t, exampleDump())
	if *update {
		if err := os.WriteFile(minidumpExample, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(minidumpExample)
	if err != nil {
		t.Fatalf("%v (go test ./dumpreader -run MinidumpExample -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what exampleDump writes: go test ./dumpreader -run MinidumpExample -update", minidumpExample)
	}
}

// TestMinidumpFacts: a DbgHelp-style dump with names and traces yields the
// process (pid, image, path, create time, modules), the handles by type
// with names, and the open stacks resolved to module+offset; the same
// whether read from the file, gzip'd or on standard input.
func TestMinidumpFacts(t *testing.T) {
	raw := exampleDump()
	dir := t.TempDir()
	plain := filepath.Join(dir, "agent.dmp")
	if err := os.WriteFile(plain, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	read := map[string]func() (*facts.Snapshot, error){
		"file": func() (*facts.Snapshot, error) { return dumpreader.ReadFile(plain, dumpreader.Options{}) },
		"gzip": func() (*facts.Snapshot, error) { return dumpreader.ReadFile(minidumpExample, dumpreader.Options{}) },
		"stdin": func() (*facts.Snapshot, error) {
			return dumpreader.ReadFiles([]string{"-"}, dumpreader.Options{Stdin: bytes.NewReader(raw)})
		},
	}
	for how, f := range read {
		t.Run(how, func(t *testing.T) {
			snap, err := f()
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Processes) != 1 {
				t.Fatalf("%d processes, want 1", len(snap.Processes))
			}
			p := snap.Processes[0]
			if p.PID != examplePID || p.Image != "ContosoAgent.exe" || p.Path != `C:\Program Files\Contoso\Agent\ContosoAgent.exe` ||
				p.CreateTime != "2026-11-18T22:05:00Z" || len(p.Modules) != 4 || p.Modules[3].Name != "contosohook.dll" || p.Modules[3].Version != "7.1.0.12" ||
				p.Threads != 3 || *p.HandleCount != 5802 || p.HandlesParsed != 5802 {
				t.Errorf("process: pid %d image %q path %q created %q modules %+v threads %d handles %v/%d",
					p.PID, p.Image, p.Path, p.CreateTime, p.Modules, p.Threads, *p.HandleCount, p.HandlesParsed)
			}
			wantTypes := map[string]int64{"Event": 5700, "File": 60, "Key": 40, "Thread": 1, "ALPC Port": 1}
			if d := cmp.Diff(wantTypes, p.ByType); d != "" {
				t.Errorf("by type (-want +got):\n%s", d)
			}
			if p.Unnamed != 5702 || p.TopNames[0].Name != `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent` || p.TopNames[0].Count != 40 || p.TopNames[0].First.Offset == 0 {
				t.Errorf("names: unnamed %d, top %+v", p.Unnamed, p.TopNames[0])
			}
			if len(p.OpenStacks) != 2 || p.OpenTraced != 5700 || p.OpenStacks[1].Count != 300 {
				t.Fatalf("open stacks %+v, open traced %d; want the leak's stack and the agent's reused one", p.OpenStacks, p.OpenTraced)
			}
			st := p.OpenStacks[0]
			wantFrames := []string{"ntdll+0x9d4f4", "KERNELBASE+0x2f1a6", "contosohook+0x1a42", "contosohook+0x2b10", "ContosoAgent+0x3c00"}
			if d := cmp.Diff(wantFrames, st.Frames); d != "" || st.Count != 5400 || st.Type != "Event" || st.TypeFrom != "handle table" {
				t.Errorf("stack %+v, frames (-want +got):\n%s", st, d)
			}
			if p.TracedOpens != 6000 || p.TracedCloses != 300 {
				t.Errorf("traced opens %d closes %d, want 6000 and 300", p.TracedOpens, p.TracedCloses)
			}
			if snap.OSVersion != "Windows 10.0.20348 x64" || snap.CapturedAt != "2026-11-20T03:12:00Z" {
				t.Errorf("os %q captured %q", snap.OSVersion, snap.CapturedAt)
			}
			bc := snap.Sources[0].Bytes
			if bc == nil || bc.Total != int64(len(raw)) || bc.Parsed+bc.Skipped+bc.Other != bc.Total {
				t.Errorf("byte accounting %+v of %d bytes", bc, len(raw))
			}
		})
	}
}

// TestMinidumpCorpusFacts: the corpus's dumps with handle data give their
// per-type counts as facts (the minidump package's own table has the
// rest); every dump reads with its bytes accounted for.
func TestMinidumpCorpusFacts(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "minidump")
	files, _ := filepath.Glob(filepath.Join(dir, "*.dmp"))
	if len(files) == 0 {
		t.Skipf("no corpus at %s", dir)
	}
	want := map[string]struct {
		pid     uint64
		image   string
		handles int64
		byType  map[string]int64
	}{
		"breakpad_tiny-exe-with-cet-xsave.dmp": {15444, "tiny.exe", 147, map[string]int64{"ALPC Port": 1, "Desktop": 1, "Directory": 2, "Event": 18, "File": 11,
			"IRTimer": 4, "IoCompletion": 3, "Key": 8, "Section": 31, "Semaphore": 12, "TpWorkerFactory": 2, "WaitCompletionPacket": 6, "WindowStation": 2}},
		"rust-minidump_stability-report.dmp": {15212, "electron.exe", 302, map[string]int64{"ALPC Port": 3, "Desktop": 1, "Directory": 2, "Event": 91, "File": 30,
			"IRTimer": 8, "IoCompletion": 9, "Key": 11, "Mutant": 1, "Process": 1, "Section": 12, "Semaphore": 19, "Thread": 28, "TpWorkerFactory": 4,
			"WaitCompletionPacket": 12, "WindowStation": 2}},
	}
	for _, f := range files {
		snap, err := dumpreader.ReadFile(f, dumpreader.Options{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		bc := snap.Sources[0].Bytes
		if st, _ := os.Stat(f); bc == nil || bc.Total != st.Size() || bc.Parsed+bc.Skipped+bc.Other != bc.Total {
			t.Errorf("%s: byte accounting %+v", f, bc)
		}
		w, ok := want[filepath.Base(f)]
		p := snap.Processes[0]
		if !ok {
			if p.HandleCount != nil || p.HandlesParsed != 0 {
				t.Errorf("%s: handles %v/%d from a dump without handle data", f, p.HandleCount, p.HandlesParsed)
			}
			continue
		}
		if p.PID != w.pid || p.Image != w.image || *p.HandleCount != w.handles || p.Untyped != w.handles-sum(w.byType) {
			t.Errorf("%s: pid %d image %q handles %d untyped %d", f, p.PID, p.Image, *p.HandleCount, p.Untyped)
		}
		if d := cmp.Diff(w.byType, p.ByType); d != "" {
			t.Errorf("%s: by type (-want +got):\n%s", f, d)
		}
	}
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// TestMinidumpMiscDiagnostic: a dump without MiscInfoStream says it has
// none; one whose stream cannot be read says that, not that it has none.
func TestMinidumpMiscDiagnostic(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		size       int // SizeOfInfo written; -1 writes no stream
	}{
		{"no stream", "no misc info stream: the process id is unknown", -1},
		{"unreadable stream", "the misc info stream could not be read (see its problem): the process id is unknown", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mdwrite.New()
			b.SetSystemInfo(mdwrite.SystemInfo{Arch: 9, Major: 10, Build: 19041, Platform: 2})
			if tc.size >= 0 {
				b.SetMiscRaw(tc.size, 1, 5, 0)
			}
			path := filepath.Join(t.TempDir(), "m.dmp")
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			snap, err := dumpreader.ReadFile(path, dumpreader.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range snap.Diagnostics {
				if d.Code == facts.CodeMissing {
					got = append(got, d.Message)
				}
			}
			if d := cmp.Diff([]string{tc.want}, got); d != "" {
				t.Errorf("missing-value diagnostics (-want +got):\n%s", d)
			}
		})
	}
}
