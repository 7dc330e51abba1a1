package facts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestPoolUsageKeepsTopTagsOfEachPool(t *testing.T) {
	b := NewBuilder()
	u := b.PoolUsage()
	// 3*MemoryLimit tags: nonpaged bytes rise with i, paged bytes fall.
	n := 3 * MemoryLimit
	for i := 0; i < n; i++ {
		u.AddTag(PoolTag{Tag: fmt.Sprintf("T%03d", i), NonPagedBytes: int64(i + 1), PagedBytes: int64(n - i)})
	}
	if len(u.TopNonPaged) != MemoryLimit || len(u.TopPaged) != MemoryLimit {
		t.Fatalf("kept %d nonpaged and %d paged tags, want %d each", len(u.TopNonPaged), len(u.TopPaged), MemoryLimit)
	}
	if got, want := u.TopNonPaged[0].Tag, fmt.Sprintf("T%03d", n-1); got != want {
		t.Errorf("top nonpaged tag %s, want %s", got, want)
	}
	if got := u.TopPaged[0].Tag; got != "T000" {
		t.Errorf("top paged tag %s, want T000", got)
	}
	for i := 1; i < MemoryLimit; i++ {
		if u.TopNonPaged[i-1].NonPagedBytes < u.TopNonPaged[i].NonPagedBytes {
			t.Fatalf("nonpaged tags out of order at %d", i)
		}
	}
	// A tag shown again takes its latest figures, once; one with no bytes
	// in a pool leaves that pool's list.
	u.AddTag(PoolTag{Tag: "T000", NonPagedBytes: 1 << 40})
	if u.TopNonPaged[0].Tag != "T000" || u.TopNonPaged[0].NonPagedBytes != 1<<40 {
		t.Errorf("updated tag not first: %+v", u.TopNonPaged[0])
	}
	for _, tg := range u.TopPaged {
		if tg.Tag == "T000" {
			t.Errorf("T000 has no paged bytes now but is listed for paged pool")
		}
	}
	seen := map[string]bool{}
	for _, tg := range u.TopNonPaged {
		if seen[tg.Tag] {
			t.Errorf("tag %s listed twice", tg.Tag)
		}
		seen[tg.Tag] = true
	}
}

func TestPoolUsageTotals(t *testing.T) {
	u := &PoolUsage{}
	u.AddTotals(PoolTotals{NonPagedBytes: 100, PagedBytes: 900}, false)
	u.AddTotals(PoolTotals{NonPagedBytes: 300, PagedBytes: 50}, false)
	if u.NonPagedBytes != 300 || u.PagedBytes != 900 || u.TotalsFrom != TotalsFromRows {
		t.Errorf("sums of rows: got %d/%d from %q, want the larger of each, 300/900 from rows", u.NonPagedBytes, u.PagedBytes, u.TotalsFrom)
	}
	u.AddTotals(PoolTotals{NonPagedBytes: 250, PagedBytes: 1000}, true)
	u.AddTotals(PoolTotals{NonPagedBytes: 9999, PagedBytes: 9999}, false)
	if u.NonPagedBytes != 250 || u.PagedBytes != 1000 || u.TotalsFrom != TotalsFromTotalRow {
		t.Errorf("TOTAL row: got %d/%d from %q, want 250/1000 from the TOTAL row", u.NonPagedBytes, u.PagedBytes, u.TotalsFrom)
	}
}

func TestVMKeepsTopCommitAndWarningsBounded(t *testing.T) {
	v := NewBuilder().VM(Position{Path: "c.txt", Line: 1})
	for i := 0; i < 1000; i++ {
		v.AddProcessCommit(ProcessCommit{PID: uint64(i), Image: "p.exe", CommitKB: int64(i % 97)})
		v.AddWarning(fmt.Sprintf("warning %d", i%40))
	}
	v.AddProcessCommit(ProcessCommit{PID: 5, Image: "P.EXE", CommitKB: 1 << 30})
	if len(v.TopCommit) != MemoryLimit || v.ProcessesListed != 1001 {
		t.Fatalf("%d commit rows kept of %d listed, want %d of 1001", len(v.TopCommit), v.ProcessesListed, MemoryLimit)
	}
	if v.TopCommit[0].PID != 5 {
		t.Errorf("a process listed again does not take its latest commit: %+v", v.TopCommit[0])
	}
	if len(v.Warnings) != vmWarningLimit {
		t.Errorf("%d warnings kept, want %d", len(v.Warnings), vmWarningLimit)
	}
	long := strings.Repeat("é", memoryTextLimit)
	v.AddWarning(long)
	u := NewBuilder().PoolUsage()
	u.AddTag(PoolTag{Tag: "Long", NonPagedBytes: 1, Description: long})
	if d := u.TopNonPaged[0].Description; len(d) > memoryTextLimit || !strings.HasPrefix(long, d) {
		t.Errorf("description not clipped at a character boundary: %d bytes", len(d))
	}
}

func TestMemoryFacts(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		name string
		mem  *Memory
		want SnapshotFacts
	}{{
		name: "no memory output",
		want: SnapshotFacts{PhysicalMemoryKB: -1, AvailableMemoryKB: -1, CommitKB: -1, CommitLimitKB: -1,
			NonPagedPoolKB: -1, NonPagedPoolMaxKB: -1, PagedPoolKB: -1, PagedPoolMaxKB: -1, FreeSystemPTEs: -1,
			FileTableAllocated: -1, FileTableMax: -1},
	}, {
		name: "a Linux machine's file table, full",
		mem:  &Memory{FileTable: &FileTable{Allocated: 64320, Max: 65536, LimitReached: 3, LimitReachedMax: 65536}},
		want: SnapshotFacts{PhysicalMemoryKB: -1, AvailableMemoryKB: -1, CommitKB: -1, CommitLimitKB: -1,
			NonPagedPoolKB: -1, NonPagedPoolMaxKB: -1, PagedPoolKB: -1, PagedPoolMaxKB: -1, FreeSystemPTEs: -1,
			FileTableAllocated: 64320, FileTableMax: 65536, FileTableUsedShare: 64320.0 / 65536,
			FileMaxReachedMessages: 3, FileMaxReachedLimit: 65536},
	}, {
		name: "a file table's maximum alone",
		mem:  &Memory{FileTable: &FileTable{Allocated: -1, Max: 9223372036854775807}},
		want: SnapshotFacts{PhysicalMemoryKB: -1, AvailableMemoryKB: -1, CommitKB: -1, CommitLimitKB: -1,
			NonPagedPoolKB: -1, NonPagedPoolMaxKB: -1, PagedPoolKB: -1, PagedPoolMaxKB: -1, FreeSystemPTEs: -1,
			FileTableAllocated: -1, FileTableMax: 9223372036854775807},
	}, {
		name: "!vm and a !poolused with its TOTAL row",
		mem: &Memory{
			VM: &VM{PhysicalKB: n(4096000), NonPagedPoolKB: n(240000), NonPagedPoolMaxKB: n(262144),
				PagedPoolKB: n(100000), PagedPoolMaxKB: n(400000), FreeSystemPTEs: n(812), PoolFailures: 7},
			Pool: &PoolUsage{NonPagedBytes: 200 << 20, PagedBytes: 64 << 20, TotalsFrom: TotalsFromTotalRow,
				TopNonPaged: []PoolTag{{Tag: "Thre", NonPagedAllocs: 9, NonPagedBytes: 150 << 20, Description: "Thread objects", Binary: "nt!ps"}},
				TopPaged:    []PoolTag{{Tag: "CM31", PagedAllocs: 3, PagedBytes: 16 << 20, Binary: "nt!cm"}}},
		},
		want: SnapshotFacts{MemoryKnown: true, PhysicalMemoryKB: 4096000, AvailableMemoryKB: -1, CommitKB: -1, CommitLimitKB: -1,
			NonPagedPoolKB: 240000, NonPagedPoolMaxKB: 262144, NonPagedPoolUsedShare: 240000.0 / 262144,
			PagedPoolKB: 100000, PagedPoolMaxKB: 400000, PagedPoolUsedShare: 0.25, FreeSystemPTEs: 812, PoolFailures: 7,
			PoolTagsKnown: true, NonPagedPoolTagBytes: 200 << 20, PagedPoolTagBytes: 64 << 20,
			TopNonPagedTag: "Thre", TopNonPagedTagDesc: "Thread objects, nt!ps", TopNonPagedTagBytes: 150 << 20,
			TopNonPagedTagAllocs: 9, TopNonPagedTagShare: 0.75,
			TopPagedTag: "CM31", TopPagedTagDesc: "nt!cm", TopPagedTagBytes: 16 << 20, TopPagedTagAllocs: 3, TopPagedTagShare: 0.25,
			FileTableAllocated: -1, FileTableMax: -1},
	}, {
		// Without a TOTAL row the share is of !vm's pool usage; without
		// that too it is unknown, 0, however dominant the rows shown.
		name: "listings cut short",
		mem: &Memory{
			VM: &VM{PagedPoolKB: n(1024)},
			Pool: &PoolUsage{NonPagedBytes: 100, PagedBytes: 512 << 10, TotalsFrom: TotalsFromRows,
				TopNonPaged: []PoolTag{{Tag: "Cont", NonPagedBytes: 90}},
				TopPaged:    []PoolTag{{Tag: "MmSt", PagedBytes: 512 << 10}}},
		},
		want: SnapshotFacts{MemoryKnown: true, PhysicalMemoryKB: -1, AvailableMemoryKB: -1, CommitKB: -1, CommitLimitKB: -1,
			NonPagedPoolKB: -1, NonPagedPoolMaxKB: -1, PagedPoolKB: 1024, PagedPoolMaxKB: -1, FreeSystemPTEs: -1,
			PoolTagsKnown: true, NonPagedPoolTagBytes: 100, PagedPoolTagBytes: 512 << 10,
			TopNonPagedTag: "Cont", TopNonPagedTagBytes: 90, TopPagedTag: "MmSt", TopPagedTagBytes: 512 << 10, TopPagedTagShare: 0.5,
			FileTableAllocated: -1, FileTableMax: -1},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			var got SnapshotFacts
			memoryFacts(&got, tc.mem)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(SnapshotFacts{})); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHandleRank(t *testing.T) {
	b := NewBuilder()
	for i, c := range []int64{300, 900, 300, 0} {
		p := b.Process(fmt.Sprintf("a%d", i), Position{Path: "c.txt", Line: int64(i + 1)})
		p.P.PID, p.P.Image, p.P.HandleCount = uint64(0x40-8*i), "p.exe", &c
	}
	_, procs := Views(b.Snapshot())
	got := map[int64]int64{}
	for _, p := range procs {
		got[p.PID] = p.HandleRank
	}
	// pids 0x40 (300), 0x38 (900), 0x30 (300), 0x28 (0): the tie at 300
	// goes to the lower pid.
	want := map[int64]int64{0x38: 1, 0x30: 2, 0x40: 3, 0x28: 4}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranks: diff (-want +got):\n%s", diff)
	}
}

// TestMemoryJSONRoundTrip: a snapshot with memory facts writes as
// encoding/json would and reads back to the same facts.
func TestMemoryJSONRoundTrip(t *testing.T) {
	b := NewBuilder()
	v := b.VM(Position{Path: "c.txt", Line: 3})
	kb := int64(1234)
	v.NonPagedPoolKB, v.PoolFailures = &kb, 2
	v.AddWarning("Excessive NonPaged Pool Usage")
	v.AddProcessCommit(ProcessCommit{PID: 0xa18, Image: "agent.exe", CommitKB: 99, Source: Position{Path: "c.txt", Line: 9}})
	u := b.PoolUsage()
	u.AddListing(PoolListing{Command: "!poolused 2", Sort: PoolSortNonPaged, Flags: 2, Rows: 1, Source: Position{Path: "c.txt", Line: 20}})
	u.AddTag(PoolTag{Tag: "Thre", NonPagedAllocs: 3, NonPagedBytes: 1920, Description: "Thread <objects> & co", Binary: "nt!ps"})
	u.AddTotals(PoolTotals{NonPagedAllocs: 3, NonPagedBytes: 1920}, true)
	snap := b.Snapshot()

	var want, got bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(snap); err != nil {
		t.Fatal(err)
	}
	if err := snap.WriteJSON(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.String(), got.String()); diff != "" {
		t.Errorf("diff (-encoding/json +WriteJSON):\n%s", diff)
	}
	back, err := DecodeJSON(bytes.NewReader(got.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap, back); diff != "" {
		t.Errorf("round trip: diff (-want +got):\n%s", diff)
	}
}

// TestTagDriver: the driver a pool tag's binary names, none for an
// unknown tag or the kernel's own.
func TestTagDriver(t *testing.T) {
	for binary, want := range map[string]string{
		"i8042prt.sys": "i8042prt.sys", " tcpip.sys ": "tcpip.sys", "fltmgr": "fltmgr", "ntfs.sys": "ntfs.sys",
		"nt!ps": "", "NT!io": "", "nt": "", "ntoskrnl.exe": "", "ntkrnlmp.exe": "", "hal": "", "hal.dll": "", "hal!x": "",
		"": "", "< unknown >": "", "<unknown>": "", "Unknown Driver": "",
	} {
		if got := tagDriver(binary); got != want {
			t.Errorf("tagDriver(%q) = %q, want %q", binary, got, want)
		}
	}
}
