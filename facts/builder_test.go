package facts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func handle(value uint64, typ, name string) *Handle {
	h := &Handle{Value: value, Type: typ, Name: name, Naming: Unnamed}
	if name != "" {
		h.Naming = Named
	}
	return h
}

func TestBuilderAggregates(t *testing.T) {
	b := NewBuilder()
	pos := Position{Path: "c.txt", Line: 1}
	p := b.Process("897e6c00", pos)
	p.P.PID, p.P.Image = 0x4fc, "smss.exe"
	for i := uint64(1); i <= 6; i++ {
		p.AddHandle(handle(i*4, "Event", "")) // anonymous flood
	}
	p.AddHandle(handle(0x40, "Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso`))
	p.AddHandle(handle(0x44, "Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso`))
	p.AddHandle(handle(0x48, "File", `\Windows {HarddiskVolume1}`))
	p.AddHandle(&Handle{Value: 0x4c, Type: "File", Naming: NameUnknown})
	p.AddHandle(&Handle{Value: 0x50}) // no type shown
	if got := p.AddHandle(handle(0x40, "Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso`)); got != AddedDuplicate {
		t.Errorf("AddHandle of a value already added = %v, want AddedDuplicate", got)
	}
	got := b.Snapshot().Processes[0]

	want := &Process{
		PID: 0x4fc, Image: "smss.exe", Address: "897e6c00",
		HandlesParsed:  11,
		ByType:         map[string]int64{"Event": 6, "Key": 2, "File": 2},
		TypeCountsFrom: CountsFromHandles,
		DominantType:   "Event", DominantShare: 0.6,
		DistinctNames: 2, Unnamed: 6, UnnamedByType: map[string]int64{"Event": 6}, Untyped: 1,
		TopNames: []NameCount{
			{Name: `\REGISTRY\MACHINE\SOFTWARE\Contoso`, Type: "Key", Count: 2},
			{Name: `\Windows {HarddiskVolume1}`, Type: "File", Count: 1},
		},
		OpenStacks: []Stack{},
		Source:     pos,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
}

func TestRicherDumpOfAHandleIsMerged(t *testing.T) {
	b := NewBuilder()
	p := b.Debuggee(Position{})
	name := `\Sessions\1\BaseNamedObjects\SyncSvcShutdown`
	steps := []struct {
		h    *Handle
		want Added
	}{
		{&Handle{Value: 0x1c}, AddedNew},                                              // !handle 1c 2: no type
		{&Handle{Value: 0x1c, Type: "Event"}, AddedMerged},                            // !handle 1c 1: type
		{&Handle{Value: 0x1c, Type: "Event"}, AddedDuplicate},                         // again
		{&Handle{Value: 0x1c, Type: "Event", Name: name, Naming: Named}, AddedMerged}, // !handle 1c f
		{&Handle{Value: 0x1c, Type: "Event", Naming: Unnamed}, AddedDuplicate},
	}
	for i, s := range steps {
		if got := p.AddHandle(s.h); got != s.want {
			t.Errorf("step %d: AddHandle = %v, want %v", i, got, s.want)
		}
	}
	got := b.Snapshot().Processes[0]
	if got.HandlesParsed != 1 || got.Untyped != 0 || got.ByType["Event"] != 1 || got.DistinctNames != 1 ||
		len(got.TopNames) != 1 || got.TopNames[0].Name != name {
		t.Errorf("after merging: %+v", got)
	}
}

func TestThreadsCountOnce(t *testing.T) {
	b := NewBuilder()
	p := b.Process("815f0da0", Position{})
	p.AddThread(0x829dd020, false)
	p.AddThread(0x829dd020, true) // shown again, now terminated
	p.AddThread(0x829dd020, false)
	p.AddThread(0x829de020, false)
	got := b.Snapshot().Processes[0]
	if got.Threads != 2 || got.TerminatedThreads != 1 {
		t.Errorf("threads %d, terminated %d; want 2 and 1", got.Threads, got.TerminatedThreads)
	}
}

func TestSummaryNoneRowIsUntyped(t *testing.T) {
	b := NewBuilder()
	p := b.Debuggee(Position{})
	p.ReportTypeTable()
	p.ReportTypeCount("None", 26)
	p.ReportTypeCount("Event", 74)
	got := b.Snapshot().Processes[0]
	if got.Untyped != 26 || got.ByType["None"] != 0 || got.DominantShare != 1 {
		t.Errorf("untyped %d, by type %v, share %v", got.Untyped, got.ByType, got.DominantShare)
	}
}

func TestDominantTieGoesToFirstName(t *testing.T) {
	typ, share := dominant(map[string]int64{"Port": 1, "File": 1, "KeyedEvent": 1})
	if typ != "File" || share != 1.0/3 {
		t.Errorf("dominant = %q, %v; want File, 1/3", typ, share)
	}
	if typ, share := dominant(map[string]int64{}); typ != "" || share != 0 {
		t.Errorf("dominant(empty) = %q, %v", typ, share)
	}
}

func TestSummaryCountsOverrideParsed(t *testing.T) {
	b := NewBuilder()
	p := b.Debuggee(Position{})
	p.AddHandle(handle(4, "Event", ""))
	p.AddHandle(handle(8, "File", ""))
	p.ReportTypeCount("Event", 13)
	got := b.Snapshot().Processes[0]
	if diff := cmp.Diff(map[string]int64{"Event": 13, "File": 1}, got.ByType); diff != "" {
		t.Errorf("ByType diff (-want +got):\n%s", diff)
	}
	if got.TypeCountsFrom != CountsFromSummary || got.HandlesParsed != 2 {
		t.Errorf("TypeCountsFrom = %q, HandlesParsed = %d", got.TypeCountsFrom, got.HandlesParsed)
	}
}

func TestKernelTableMergesIntoSystem(t *testing.T) {
	b := NewBuilder()
	sys := b.Process("8a5295f0", Position{Line: 3})
	sys.P.PID, sys.P.Image = 4, "System"
	sys.AddHandle(handle(4, "Process", ""))
	k := b.KernelTable(Position{Line: 9})
	k.AddHandle(handle(4, "Process", "")) // the same slot seen through the kernel table
	k.AddHandle(handle(0x478, "File", ""))
	snap := b.Snapshot()
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want System only", len(snap.Processes))
	}
	if p := snap.Processes[0]; p.HandlesParsed != 2 || p.ByType["File"] != 1 || p.ByType["Process"] != 1 {
		t.Errorf("System = %d parsed, types %v; want 2, Process 1, File 1", p.HandlesParsed, p.ByType)
	}
}

func TestKernelTableStandInMovesIntoSystemShownLater(t *testing.T) {
	b := NewBuilder()
	k := b.KernelTable(Position{Line: 2}) // csrss context, System not shown yet
	k.AddHandle(handle(0x478, "File", ""))
	k.AddHandle(handle(4, "Process", ""))
	sys := b.Process("8a5295f0", Position{Line: 9})
	sys.P.PID, sys.P.Image = 4, "System"
	sys.AddHandle(handle(4, "Process", ""))
	snap := b.Snapshot()
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want System only", len(snap.Processes))
	}
	if p := snap.Processes[0]; p.HandlesParsed != 2 || p.ByType["File"] != 1 || p.ByType["Process"] != 1 {
		t.Errorf("System = %d parsed, types %v; want 2, Process 1, File 1", p.HandlesParsed, p.ByType)
	}
}

func TestHandlesToExitedProcessesAndThreads(t *testing.T) {
	b := NewBuilder()
	zombie := b.Process("815f0da0", Position{})
	zombie.P.PID, zombie.P.Image, zombie.P.Exited = 0x694, "explorer.exe", true
	holder := b.Process("8164c698", Position{})
	holder.P.PID, holder.P.Image = 0x794, "agent.exe"
	holder.AddHandle(&Handle{Value: 4, Type: "Process", Object: 0x815f0da0})
	holder.AddHandle(&Handle{Value: 8, Type: "Process", Object: 0x815f0da0})
	holder.AddHandle(&Handle{Value: 0xc, Type: "Process", Object: 0x8164c698})
	holder.AddHandle(&Handle{Value: 0x10, Type: "Thread", Object: 0x829dd020})
	b.ThreadTerminated(0x829dd020)
	for _, p := range b.Snapshot().Processes {
		if p.Image == "agent.exe" && (p.HandlesToExitedProcesses != 2 || p.HandlesToExitedThreads != 1) {
			t.Errorf("agent.exe: %d handles to exited processes, %d to exited threads; want 2 and 1",
				p.HandlesToExitedProcesses, p.HandlesToExitedThreads)
		}
	}
}

func TestTopNamesAreCappedAndOrdered(t *testing.T) {
	b := NewBuilder()
	p := b.Debuggee(Position{})
	v := uint64(4)
	for i := 0; i < TopNamesLimit+5; i++ {
		for j := 0; j <= i%3; j++ {
			p.AddHandle(handle(v, "Key", fmt.Sprintf(`\REGISTRY\K%02d`, i)))
			v += 4
		}
	}
	names := b.Snapshot().Processes[0].TopNames
	if len(names) != TopNamesLimit {
		t.Fatalf("%d top names, want %d", len(names), TopNamesLimit)
	}
	if names[0].Name != `\REGISTRY\K02` || names[0].Count != 3 || names[TopNamesLimit-1].Count != 2 {
		t.Errorf("top names = %+v", names)
	}
}

func TestDiagnosticsAreCappedPerCode(t *testing.T) {
	log := NewSourceLog("big.txt", "kd")
	for i := int64(1); i <= diagLimit+50; i++ {
		log.Diag(i, SevWarning, CodeUnrecognized, "line %d", i)
	}
	log.Diag(7, SevInfo, CodeElision, "cut")
	b := NewBuilder()
	b.AddSource(log)
	snap := b.Snapshot()
	var unrec, more int
	for _, d := range snap.Diagnostics {
		switch d.Code {
		case CodeUnrecognized:
			unrec++
		case CodeMoreOmitted:
			more++
			if d.Line != diagLimit+50 {
				t.Errorf("omitted-count diagnostic at line %d, want the last omitted line", d.Line)
			}
		}
	}
	if unrec != diagLimit || more != 1 {
		t.Errorf("%d unrecognized and %d summaries kept, want %d and 1", unrec, more, diagLimit)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	b := NewBuilder()
	p := b.Process("ffffc38e2c0dc080", Position{Path: "a.txt", Line: 2})
	p.P.PID, p.P.Image = 0x8fc, "agent.exe"
	n := int64(45)
	p.P.HandleCount = &n
	p.AddHandle(handle(4, "File", `\Input {ConDrv}`))
	b.Process("ffffe00024c4b040", Position{Path: "a.txt", Line: 9}).P.Image = "System"
	log := NewSourceLog("a.txt", "kd")
	log.Lines = LineCounts{Total: 10, Parsed: 8, Ignored: 2}
	log.Diag(3, SevInfo, CodeElision, "cut")
	b.AddSource(log)
	snap := b.Snapshot()

	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := DecodeJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap, back); diff != "" {
		t.Errorf("round trip diff (-want +got):\n%s", diff)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"handle_count": null`)) || !bytes.Contains(buf.Bytes(), []byte(`"top_names": []`)) {
		t.Errorf("unknown counts must be null and empty lists []:\n%s", buf.String())
	}
}

// TestWriteJSONIsEncodingJSON checks that the streamed encoding is what
// encoding/json writes for the whole snapshot, for snapshots with and
// without the optional fields, processes and lists.
func TestWriteJSONIsEncodingJSON(t *testing.T) {
	full := NewBuilder()
	full.SetHost("EXCH01", "Windows 10 Kernel Version 19041 MP (2 procs) Free x64", "Fri Nov 27 21:07:11.123 2026 (UTC + 0:00)")
	p := full.Process("ffffc38e2c0dc080", Position{Path: "a.txt", Line: 2})
	p.P.Image = "<agent> & co.exe"
	p.AddHandle(handle(4, "File", `\Input {ConDrv}`))
	full.Process("ffffe00024c4b040", Position{Path: "a.txt", Line: 9})
	log := NewSourceLog("a.txt", "kd")
	log.Diag(3, SevInfo, CodeElision, "cut")
	full.AddSource(log)
	for name, snap := range map[string]*Snapshot{
		"empty":     NewBuilder().Snapshot(),
		"full":      full.Snapshot(),
		"nil lists": {SchemaVersion: 1},
	} {
		t.Run(name, func(t *testing.T) {
			var want, got bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			norm := *snap
			norm.normalize()
			if err := enc.Encode(&norm); err != nil {
				t.Fatal(err)
			}
			if err := snap.WriteJSON(&got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.String(), got.String()); diff != "" {
				t.Errorf("diff (-encoding/json +WriteJSON):\n%s", diff)
			}
		})
	}
}

func TestDecodeJSONRejects(t *testing.T) {
	for _, in := range []string{
		`{"schema_version": 2, "sources": [], "processes": [], "diagnostics": []}`,
		`{"schema_version": 1, "surprise": true}`,
		`{"schema_version": 1} {}`,
		`[1, 2]`,
	} {
		if _, err := DecodeJSON(bytes.NewReader([]byte(in))); err == nil {
			t.Errorf("DecodeJSON(%s) = nil error", in)
		}
	}
}

func TestHandleSet(t *testing.T) {
	var s handleSet
	values := []uint64{4, 8, 0x10000, 4, 0x7ffffffc, 0x10000}
	var added []bool
	for _, v := range values {
		added = append(added, s.add(v))
	}
	if diff := cmp.Diff([]bool{true, true, true, false, true, false}, added); diff != "" {
		t.Errorf("add: diff (-want +got):\n%s", diff)
	}

	// Past the short list's limit, into pages and on: each value new
	// once, its tag bits aside.
	for _, n := range []int{smallSetLimit - 1, smallSetLimit, smallSetLimit + 1, 5000} {
		var s handleSet
		seen := map[uint64]bool{}
		for i := range 3 * n {
			v := uint64((i*7919)%n)*4 + uint64(i%4)
			if got, want := s.add(v), !seen[v>>2]; got != want {
				t.Fatalf("%d values: add(%#x) = %v, want %v", n, v, got, want)
			}
			seen[v>>2] = true
		}
	}
}

// TestProcessJSONIsEncodingJSON checks the hand-written process encoder
// against encoding/json on processes with every kind of value, odd
// strings and numbers included.
func TestProcessJSONIsEncodingJSON(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	odd := "a\"b\\c\x01\n\t\r\b\f<>&\u2028\u2029\xff\xfe é 日本 \U0001F600"
	procs := []*Process{
		{},
		{PID: 1<<63 + 5, PPID: 4, Session: n(-1), Image: odd, Address: "ffff", ObjectTable: "e1",
			HandleCount: n(0), TableEntries: n(1 << 40), HandlesParsed: 3,
			ByType: map[string]int64{"b": 1, "a": 2, odd: 3}, TypeCountsFrom: CountsFromSummary,
			DominantType: "a", DominantShare: 1.0 / 3, DistinctNames: 2, Unnamed: 1,
			UnnamedByType: map[string]int64{}, Untyped: 7, TopNames: []NameCount{},
			Exited: true, Frozen: true, HandlesToExitedProcesses: 2, HandlesToExitedThreads: 3, Inheritable: 4,
			Source: Position{Path: odd, Line: 12}},
		{Image: "x", ByType: map[string]int64{"Event": 1}, DominantShare: 1e-7,
			TopNames: []NameCount{{Name: odd, Type: "Key", Count: 9, First: Position{Path: "p", Line: 3}}, {Name: "n"}}},
		{DominantShare: 2.5e21, OpenStacks: []Stack{}},
		{OpenStacks: []Stack{{Frames: []string{odd, "ntdll!NtCreateEvent+0x14"}, Count: 3, Type: "Event", SinceSnapshot: true,
			First: Position{Path: "h", Line: 2}}, {Frames: []string{}}}, OpenTraced: 3, TracedOpens: 4, TracedCloses: 1, TracedBadReferences: 2},
		{DominantShare: 0.000001},
		{DistinctNames: 123456, DistinctNamesEstimated: true,
			TopNames:  []NameCount{{Name: "k", Type: "Key", Count: 40, Error: 7, First: Position{Path: "p", Line: 3}}},
			TopFolder: &Folder{Type: "File", Path: odd, Handles: 8000, Names: 7990, Of: 8192}},
		{Image: "app.exe", Path: `C:\Program Files\App\app.exe`, Cmdline: odd, Services: []string{"Winmgmt", odd}, CreateTime: "2026-11-27T10:00:00Z", FDLimit: n(1024), SocketStates: map[string]int64{"CLOSE_WAIT": 3, "ESTABLISHED": 1},
			Modules: []Module{{Name: "app.exe", Path: odd, Base: "0x400000", Size: 4096, Timestamp: "2020-01-01T00:00:00Z", Version: "1.2.3.4"}, {Name: "b.dll", Base: "0x0"}},
			Source:  Position{Path: "a.dmp", Offset: 0x40}},
	}
	for i, p := range procs {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("    ", "  ")
		if err := enc.Encode(p); err != nil {
			t.Fatal(err)
		}
		got := string(appendProcessJSON(nil, p, "    ")) + "\n"
		if diff := cmp.Diff(want.String(), got); diff != "" {
			t.Errorf("process %d: diff (-encoding/json +appendProcessJSON):\n%s", i, diff)
		}
	}
}

func TestFormatCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345",
		1234567: "1,234,567", -1: "-1", -1234: "-1,234", -123456: "-123,456"} {
		if got := FormatCount(n); got != want {
			t.Errorf("FormatCount(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestSnapshotLetsGoOfTheBuilder: the process builders let go of their
// handle and name sets once their processes are finished, and a second
// call gives the same processes, their figures intact, with the sources
// added since.
func TestSnapshotLetsGoOfTheBuilder(t *testing.T) {
	b := NewBuilder()
	pb := b.Process("897e6c00", Position{Path: "c.txt", Line: 1})
	pb.P.PID, pb.P.Image = 0x4fc, "smss.exe"
	pb.AddHandle(handle(4, "Key", `\REGISTRY\MACHINE\SOFTWARE`))
	pb.AddHandle(handle(8, "Event", ""))
	first := b.Snapshot()
	p := first.Processes[0]
	if a := pb.hsRead(); a.types != nil || a.seen.pages != nil || a.seen.small != nil || a.names.pages != nil {
		t.Errorf("the builder still holds its types or handle set after Snapshot")
	}
	b.AddSource(NewSourceLog("d.txt", "kd"))
	second := b.Snapshot()
	if len(second.Processes) != 1 || second.Processes[0] != p {
		t.Fatalf("a second Snapshot gives processes %v, want the first call's", second.Processes)
	}
	if want := map[string]int64{"Key": 1, "Event": 1}; !cmp.Equal(p.ByType, want) || p.HandlesParsed != 2 || len(p.TopNames) != 1 {
		t.Errorf("after a second Snapshot: by type %v, %d parsed, top names %v; want %v, 2, one name", p.ByType, p.HandlesParsed, p.TopNames, want)
	}
	if len(second.Sources) != 1 || second.Sources[0].Path != "d.txt" {
		t.Errorf("sources %v, want d.txt", second.Sources)
	}
}
