package drmemory_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/drmemory"
	"github.com/leakdiag/leakdiag/facts"
)

// read reads text as a Dr. Memory report.
func read(t *testing.T, text string) *facts.Snapshot {
	t.Helper()
	snap, err := dumpreader.Read(strings.NewReader(text), "t.txt", dumpreader.Options{Format: dumpreader.FormatDrMemory})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return snap
}

// got is what a test compares of the one process a report names.
type got struct {
	PID      uint64
	Image    string
	Reported int64
	Stacks   [][]string
	Counts   []int64
}

func gotOf(snap *facts.Snapshot) []got {
	var out []got
	for _, p := range snap.Processes {
		g := got{PID: p.PID, Image: p.Image, Reported: p.ReportedLeaks}
		for _, s := range p.OpenStacks {
			g.Stacks = append(g.Stacks, s.Frames)
			g.Counts = append(g.Counts, s.Count)
		}
		out = append(out, g)
	}
	return out
}

func TestRead(t *testing.T) {
	tests := []struct {
		name         string
		text         string
		want         []got
		unrecognized int64
	}{
		{
			name: "a console report: the similar handles count, the closing note's stack does not",
			text: "~~Dr.M~~ Running \"C:\\app\\contoso.exe -x\"\n" +
				"~~Dr.M~~ Error #1: HANDLE LEAK: KERNEL handle 0x70 and 2 similar handle(s) were opened but not closed:\n" +
				"~~Dr.M~~ # 0 system call NtOpenFile\n" +
				"~~Dr.M~~ # 1 KERNELBASE.dll!FindFirstFileA       +0x58     (0x000007fefcede979 <KERNELBASE.dll+0x3e979>)\n" +
				"~~Dr.M~~ # 2 test_file_handles                    [d:\\src\\tests\\handle.cpp:107]\n" +
				"~~Dr.M~~ Note: handles created with the same callstack are closed here:\n" +
				"~~Dr.M~~ Note: # 0 system call NtClose\n",
			want: []got{{Image: "contoso.exe", Reported: 3,
				Stacks: [][]string{{"ntdll!NtOpenFile", "KERNELBASE!FindFirstFileA+0x58", "contoso!test_file_handles"}}, Counts: []int64{3}}},
		},
		{
			name: "results.txt: the header names the pid, the summary counts an error the capture leaves out",
			text: "Dr. Memory results for pid 77: \"agent.exe\"\n" +
				"Error #1: HANDLE LEAK: KERNEL Handle 0x0000020c was opened but not closed:\n" +
				"#0 system call NtDuplicateObject\n#1 ntdll.dll!TpAllocPool\n\n" +
				"ERRORS FOUND:\n      2 unique,     2 total handle leak(s)\n",
			want: []got{{PID: 77, Image: "agent.exe", Reported: 2,
				Stacks: [][]string{{"ntdll!NtDuplicateObject", "ntdll!TpAllocPool"}}, Counts: []int64{1}}},
		},
		{
			name: "the log directory names image and pid; GDI leaks and heap leaks are not handles",
			text: "Error #1: HANDLE LEAK: GDI Handle 0x171014d1 was opened but not closed:\n#0 system call NtGdiCreatePatternBrushInternal\n" +
				"Error #2: LEAK 52 direct bytes 0x024946d0-0x02494704 + 4128 indirect bytes\n# 0 replace_RtlAllocateHeap\n\n" +
				"NO ERRORS FOUND:\n      1 unique,     1 total handle leak(s)\n" +
				"Details: D:\\logs\\DrMemory-my.app.exe.3548.000\\results.txt\n",
			want: []got{{PID: 3548, Image: "my.app.exe"}},
		},
		{
			name: "a log path on a harness's line names the program",
			text: "5:   D:\\logs\\DrMemory-handle.exe.3548.000\\results.txt\n" +
				"Error `#2`: HANDLE LEAK: KERNEL handle 0x70 was opened but not closed:\n#0 system call NtOpenFile\n#1 test_file_handles [handle.cpp:107]\n",
			want: []got{{PID: 3548, Image: "handle.exe", Reported: 1,
				Stacks: [][]string{{"ntdll!NtOpenFile", "handle!test_file_handles"}}, Counts: []int64{1}}},
		},
		{
			name:         "frames without an error are not read",
			text:         "# 0 system call NtOpenFile\n",
			unrecognized: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := read(t, tc.text)
			if diff := cmp.Diff(tc.want, gotOf(snap)); diff != "" {
				t.Errorf("processes (-want +got):\n%s", diff)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != tc.unrecognized {
				t.Errorf("%d unrecognized lines, want %d: %v", n, tc.unrecognized, snap.Diagnostics)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"the console banner", "~~Dr.M~~ Dr. Memory version 2.5.0\n", true},
		{"a handle leak of results.txt", "Error #2: HANDLE LEAK: KERNEL handle 0x70 was opened but not closed:\n", true},
		{"the summary", "NO ERRORS FOUND:\n      0 unique,     0 total handle leak(s)\n", true},
		{"a heap leak on the console", "~~Dr.M~~ Error #2: LEAK 52 direct bytes\n~~Dr.M~~ # 0 replace_RtlAllocateHeap\n", true},
		{"a stack alone", "#0 system call NtOpenFile\n#1 KERNELBASE.dll!FindFirstFileA\n", false},
		{"an lsof row", "java 10 r 3u REG 8,1 0 12 /tmp/x\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := drmemory.Sniff([]byte(tc.text)); got != tc.want {
				t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

// TestReadBounded: a report of more errors than the reader keeps stacks
// for still counts every handle.
func TestReadBounded(t *testing.T) {
	var b bytes.Buffer
	const n = 5000
	for i := range n {
		b.WriteString("Error #1: HANDLE LEAK: KERNEL handle 0x70 was opened but not closed:\n")
		b.WriteString("# 0 system call NtOpenFile\n# 1 app.exe!Open" + strings.Repeat("x", i%50) + "\n")
	}
	snap := read(t, b.String())
	if len(snap.Processes) != 1 || snap.Processes[0].ReportedLeaks != n || len(snap.Processes[0].OpenStacks) > facts.StackLimit {
		t.Errorf("processes %+v, want one with %d reported leaks", gotOf(snap), n)
	}
}
