package counterlog

import (
	"testing"
)

// TestMemoryCounters checks that the Memory object's pool, memory and
// commit counters of a log (typeperf's CSV, Get-Counter's table) are
// read into each sample's memory summary, in KB, and that a sample
// without them, or a counter of another host, gives none.
func TestMemoryCounters(t *testing.T) {
	type want struct{ nonpaged, paged, commit int64 } // KB, -1: none
	tests := []struct {
		name string
		text string
		want []want
	}{
		{
			name: "typeperf, pools only",
			text: `"(PDH-CSV 4.0) (UTC)(0)","\\WIN1\Memory\Pool Nonpaged Bytes","\\WIN1\Memory\Pool Paged Bytes","\\WIN1\Processor(_Total)\% Processor Time"` + "\n" +
				`"09/22/2026 08:00:00.000","20971520","104857600","3.5"` + "\n" +
				`"09/22/2026 09:00:00.000","41943040","","3.5"` + "\n",
			want: []want{{20480, 102400, -1}, {40960, -1, -1}},
		},
		{
			name: "typeperf, with processes and commit",
			text: `"(PDH-CSV 4.0)","\\WIN1\Process(agent)\Handle Count","\\WIN1\Memory\Committed Bytes","\\WIN2\Memory\Pool Paged Bytes"` + "\n" +
				`"09/22/2026 08:00:00.000","120","2147483648","1048576"` + "\n",
			want: []want{{-1, -1, 2097152}},
		},
		{
			name: "no Memory counter",
			text: `"(PDH-CSV 4.0)","\\WIN1\Process(agent)\Handle Count"` + "\n" +
				`"09/22/2026 08:00:00.000","120"` + "\n",
			want: []want{{-1, -1, -1}},
		},
		{
			name: "Get-Counter",
			text: "Timestamp                 CounterSamples\n" +
				"---------                 --------------\n" +
				"3/1/2024 10:00:00 AM      \\\\srv01\\memory\\pool nonpaged bytes :\n" +
				"                          1048576\n" +
				"\n" +
				"                          \\\\srv01\\memory\\pool paged bytes :\n" +
				"                          2097152\n" +
				"\n" +
				"3/1/2024 11:00:00 AM      \\\\srv01\\memory\\pool nonpaged bytes :\n" +
				"                          3145728\n",
			want: []want{{1024, 2048, -1}, {3072, -1, -1}},
		},
	}
	kb := func(v *int64) int64 {
		if v == nil {
			return -1
		}
		return *v
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snaps, _ := read(t, tc.text)
			if len(snaps) != len(tc.want) {
				t.Fatalf("%d snapshots, want %d", len(snaps), len(tc.want))
			}
			for i, w := range tc.want {
				m := snaps[i].Memory
				if w == (want{-1, -1, -1}) {
					if m != nil {
						t.Errorf("sample %d: memory %+v, want none", i, m.VM)
					}
					continue
				}
				if m == nil || m.VM == nil {
					t.Fatalf("sample %d: no memory, want %+v", i, w)
				}
				got := want{kb(m.VM.NonPagedPoolKB), kb(m.VM.PagedPoolKB), kb(m.VM.CommitKB)}
				if got != w {
					t.Errorf("sample %d: nonpaged, paged, commit KB = %v, want %v", i, got, w)
				}
				if m.VM.Source.Line == 0 || !m.VM.Counters {
					t.Errorf("sample %d: memory at %v, counters %v: want its line, from counters", i, m.VM.Source, m.VM.Counters)
				}
			}
		})
	}
}
