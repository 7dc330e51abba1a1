package facts

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeJSONSeries(t *testing.T) {
	var buf bytes.Buffer
	for _, host := range []string{"web1", "web1", "web1"} {
		s := &Snapshot{SchemaVersion: SchemaVersion, Host: host, CapturedAt: "2026-11-27T10:00:00Z"}
		if err := s.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
	}
	snaps, err := DecodeJSONSeries(&buf)
	if err != nil || len(snaps) != 3 || snaps[2].Host != "web1" || snaps[1].Processes == nil {
		t.Fatalf("DecodeJSONSeries = %d snapshots, %v", len(snaps), err)
	}
	for _, c := range []struct{ in, want string }{
		{"", "no snapshot"},
		{`{"schema_version": 1} {"schema_version": 2}`, "snapshot JSON 2: schema_version 2"},
		{`{"schema_version": 1} {"bogus": 1}`, `snapshot JSON 2: json: unknown field "bogus"`},
		{`{"schema_version": 1} [`, "snapshot JSON 2"},
	} {
		if _, err := DecodeJSONSeries(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("DecodeJSONSeries(%q): %v, want %q", c.in, err, c.want)
		}
	}
}

// TestDecodeJSONChecksAccounting: a snapshot whose lines or bytes do not
// add up was edited or damaged, and is refused.
func TestDecodeJSONChecksAccounting(t *testing.T) {
	for _, in := range []string{
		`{"schema_version": 1, "sources": [{"path": "a.txt", "format": "kd", "lines": {"total": 3, "parsed": 9, "ignored": 4, "unrecognized": 0}}]}`,
		`{"schema_version": 1, "sources": [{"path": "a.dmp", "format": "minidump", "lines": {"total": 0, "parsed": 0, "ignored": 0, "unrecognized": 0}, "bytes": {"total": 10, "parsed": 4, "skipped": 4, "other": 4}}]}`,
	} {
		if _, err := DecodeJSON(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "is not the") {
			t.Errorf("DecodeJSON(%.60s...): %v, want an accounting error", in, err)
		}
		if _, err := DecodeJSONSeries(strings.NewReader(in)); err == nil {
			t.Errorf("DecodeJSONSeries(%.60s...): no error", in)
		}
	}
}

// snapshotWith is a snapshot JSON of one process whose fields are the
// defaults with procFields added (a JSON object's members, or "").
func snapshotWith(procFields string) string {
	p := `"pid": 812, "ppid": 4, "session": 1, "image": "agent.exe", "handle_count": 40, "table_entries": null,` +
		` "handles_parsed": 3, "by_type": {"Event": 3}, "type_counts_from": "handles", "dominant_type": "Event",` +
		` "distinct_names": 0, "unnamed": 3, "unnamed_by_type": {"Event": 3}, "untyped": 0, "top_names": [],` +
		` "threads": 0, "terminated_threads": 0, "exited": false, "frozen": false,` +
		` "handles_to_exited_processes": 0, "handles_to_exited_threads": 0, "open_stacks": [], "open_traced": 0,` +
		` "traced_opens": 0, "traced_closes": 0, "traced_bad_references": 0, "source": {"path": "a.txt", "line": 2}`
	// A later member of the same name wins in encoding/json: the
	// process's own fields are overridden by those given.
	if procFields != "" {
		p += ", " + procFields
	}
	return `{"schema_version": 1, "sources": [], "processes": [{` + p + `}], "diagnostics": []}`
}

// repeated joins n copies of item with commas.
func repeated(item string, n int) string {
	return strings.TrimSuffix(strings.Repeat(item+",", n), ",")
}

// TestDecodeJSONHostile: snapshot JSON is input like any other. Values no
// capture gives are refused with an error that names them; values past a
// limit are cut to it with a "capped" diagnostic; nothing decodes to a sum
// that overflows or a share that is not one.
func TestDecodeJSONHostile(t *testing.T) {
	defer func(n int) { maxProcesses = n }(maxProcesses)
	maxProcesses = 1000
	max := int64(math.MaxInt64)
	tests := []struct {
		name string
		in   string
		// wantErr is part of the error; "" for a snapshot read.
		wantErr string
		// wantDiag is part of the one diagnostic added, "" for none.
		wantDiag string
		check    func(t *testing.T, s *Snapshot)
	}{{
		name:    "negative count",
		in:      snapshotWith(`"handle_count": -2`),
		wantErr: "processes[0].handle_count: -2 is negative (in the value at byte 51)",
	}, {
		name:    "negative count in a map",
		in:      snapshotWith(`"by_type": {"Event": -1}`),
		wantErr: `processes[0].by_type["Event"]: -1 is negative`,
	}, {
		name:    "several problems, all listed",
		in:      snapshotWith(`"threads": -1, "unnamed": -3, "dominant_share": 2`),
		wantErr: "3 values no capture has:\nprocesses[0].dominant_share: 2 is not a share (0 to 1)",
	}, {
		name:    "count too large for an int64",
		in:      snapshotWith(`"handle_count": 1e30`),
		wantErr: "cannot unmarshal number 1e30",
	}, {
		name:     "counts whose sum overflows",
		in:       snapshotWith(fmt.Sprintf(`"by_type": {"Event": %d, "File": %d}`, max, max)),
		wantDiag: `processes[0].by_type["Event"]: 9223372036854775807 is over the limit of 1099511627776, which it is cut to`,
		check: func(t *testing.T, s *Snapshot) {
			if got := s.Processes[0].ByType; got["Event"] != countLimit || got["File"] != countLimit {
				t.Errorf("by_type = %v, want both cut to %d", got, int64(countLimit))
			}
		},
	}, {
		name:    "share over 1",
		in:      snapshotWith(`"dominant_share": 1.5`),
		wantErr: "processes[0].dominant_share: 1.5 is not a share (0 to 1)",
	}, {
		name:    "negative share",
		in:      snapshotWith(`"dominant_share": -0.1`),
		wantErr: "is not a share",
	}, {
		name:    "infinite share",
		in:      snapshotWith(`"dominant_share": 1e400`),
		wantErr: "cannot unmarshal number 1e400",
	}, {
		name:     "uncapped top_names",
		in:       snapshotWith(`"top_names": [` + repeated(`{"name": "n", "type": "Event", "count": 1, "first": {"path": "a.txt", "line": 3}}`, 499) + `, {"name": "big", "type": "Event", "count": 9, "first": {"path": "a.txt", "line": 4}}]`),
		wantDiag: "processes[0].top_names: 500 entries, over the 10 a snapshot holds: the first 10 kept",
		check: func(t *testing.T, s *Snapshot) {
			if got := s.Processes[0].TopNames; len(got) != TopNamesLimit || got[0].Name != "big" {
				t.Errorf("top_names = %d, first %+v; want %d, the most held first", len(got), got[0], TopNamesLimit)
			}
		},
	}, {
		name:     "uncapped open_stacks",
		in:       snapshotWith(`"open_stacks": [` + repeated(`{"frames": ["a!b"], "count": 1, "type": "", "type_from": "", "since_snapshot": false, "first": {"path": "a.txt", "line": 3}}`, 21) + `]`),
		wantDiag: "processes[0].open_stacks: 21 entries, over the 20 a snapshot holds",
	}, {
		name:     "uncapped frames",
		in:       snapshotWith(`"open_stacks": [{"frames": [` + repeated(`"a!b"`, listLimit+1) + `], "count": 1, "type": "", "type_from": "", "since_snapshot": false, "first": {"path": "a.txt", "line": 3}}]`),
		wantDiag: "processes[0].open_stacks[0].frames: 65537 entries, over the 65536 a snapshot holds",
	}, {
		name:     "uncapped memory list",
		in:       `{"schema_version": 1, "memory": {"vm": {"physical_kb": 1, "available_kb": 1, "commit_kb": 1, "commit_limit_kb": 1, "nonpaged_pool_kb": 1, "nonpaged_pool_max_kb": 1, "paged_pool_kb": 1, "paged_pool_max_kb": 1, "free_system_ptes": 1, "pool_failures": 0, "pte_failures": 0, "commit_failures": 0, "warnings": [], "processes_listed": 51, "source": {"path": "a.txt", "line": 1}, "top_commit": [` + repeated(`{"pid": 1, "image": "a", "commit_kb": 1, "source": {"path": "a.txt", "line": 2}}`, 51) + `]}}}`,
		wantDiag: "memory.vm.top_commit: 51 entries, over the 50 a snapshot holds",
	}, {
		name:     "long string",
		in:       snapshotWith(`"image": "` + strings.Repeat("é", 40<<10) + `"`),
		wantDiag: "processes[0].image: a string of 81920 bytes, clipped to 65536",
		check: func(t *testing.T, s *Snapshot) {
			if got := s.Processes[0].Image; len(got) != stringLimit || !utf8.ValidString(got) {
				t.Errorf("image of %d bytes (valid UTF-8: %v), want %d", len(got), utf8.ValidString(got), stringLimit)
			}
		},
	}, {
		name:     "long map key",
		in:       snapshotWith(`"by_type": {"` + strings.Repeat("x", 70<<10) + `": 3}`),
		wantDiag: "a string of 71680 bytes, clipped to 65536",
	}, {
		name:    "100 MB string",
		in:      snapshotWith(`"cmdline": "` + strings.Repeat("x", 100<<20) + `"`),
		wantErr: "processes[0]: a value of over 67108864 bytes (at byte 51)",
	}, {
		name:    "more processes than the limit",
		in:      `{"schema_version": 1, "processes": [` + repeated("null", 1001) + `]}`,
		wantErr: "processes: more than 1000 (at byte 5035)",
	}, {
		name:    "unknown severity",
		in:      `{"schema_version": 1, "diagnostics": [{"path": "a", "line": 1, "severity": "fatal", "code": "x", "message": "m"}]}`,
		wantErr: `diagnostics[0].severity: severity "fatal": want error, warning or info`,
	}, {
		name:    "processes given twice",
		in:      `{"schema_version": 1, "processes": [], "processes": []}`,
		wantErr: `"processes" given twice`,
	}, {
		name:    "no schema_version",
		in:      `{"processes": []}`,
		wantErr: "no schema_version",
	}, {
		name:    "lines that add up only by overflowing",
		in:      fmt.Sprintf(`{"schema_version": 1, "sources": [{"path": "a.txt", "format": "kd", "lines": {"total": 0, "parsed": %d, "ignored": %d, "unrecognized": 2}}]}`, max, max),
		wantErr: "is not the 0 in all",
	}, {
		name:    "data after the snapshot",
		in:      `{"schema_version": 1} ]`,
		wantErr: "data after the snapshot object",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := DecodeJSON(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("DecodeJSON = %.200v, want an error saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeJSON: %.300v", err)
			}
			var capped []string
			for _, d := range s.Diagnostics {
				capped = append(capped, d.Message)
			}
			if tc.wantDiag == "" && len(capped) > 0 || tc.wantDiag != "" && (len(capped) == 0 || !strings.Contains(capped[0], tc.wantDiag)) {
				t.Errorf("diagnostics %.300q, want one saying %q", capped, tc.wantDiag)
			}
			if tc.check != nil {
				tc.check(t, s)
			}
			if err := validAsRead(s); err != nil {
				t.Error(err)
			}
		})
	}
}

// validAsRead checks what every snapshot read promises: its values are
// within the limits, so a second validation finds nothing to refuse or
// cut, and its JSON form reads back the same.
func validAsRead(s *Snapshot) error {
	v := newValidator("")
	for i, p := range s.Processes {
		v.process(p, i, 0)
	}
	for i := range s.Diagnostics {
		v.diagnostic(&s.Diagnostics[i], i, 0)
	}
	v.snapshot(s)
	if err := v.err(); err != nil {
		return fmt.Errorf("a snapshot read is not valid: %v", err)
	}
	if len(v.diags) > 0 {
		return fmt.Errorf("a snapshot read still has values to cut: %v", v.diags)
	}
	var first, second bytes.Buffer
	if err := s.WriteJSON(&first); err != nil {
		return err
	}
	back, err := DecodeJSON(bytes.NewReader(first.Bytes()))
	if err != nil {
		return fmt.Errorf("its JSON does not read back: %v", err)
	}
	if err := back.WriteJSON(&second); err != nil {
		return err
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		return fmt.Errorf("its JSON reads back otherwise:\n%s", cmp.Diff(first.String(), second.String()))
	}
	return nil
}

// TestBuiltSnapshotCapped: a capture's figures past the limits (a damaged
// paste's count of 10^17) are cut when the snapshot is built, with a
// diagnostic at the process's source, so what leakdiag writes reads back.
func TestBuiltSnapshotCapped(t *testing.T) {
	b := NewBuilder()
	pb := b.ProcessByPID(812, Position{Path: "a.txt", Line: 7})
	n := int64(99999999999999999)
	pb.P.HandleCount = &n
	b.ReportTypeTotal("File", n)
	log := NewSourceLog("a.txt", "handle")
	log.Lines = LineCounts{Total: 9, Parsed: 9}
	b.AddSource(log)
	s := b.Snapshot()
	if *s.Processes[0].HandleCount != countLimit || s.TypeTotals["File"] != countLimit {
		t.Errorf("handle_count %d, type total %d; want both %d", *s.Processes[0].HandleCount, s.TypeTotals["File"], int64(countLimit))
	}
	var got []string
	for _, d := range s.Diagnostics {
		got = append(got, fmt.Sprintf("%s %s: %s", d.Where(), d.Code, d.Message))
	}
	want := []string{
		`a.txt:1 capped: type_totals["File"]: 99999999999999999 is over the limit of 1099511627776, which it is cut to`,
		"a.txt:7 capped: processes[0].handle_count: 99999999999999999 is over the limit of 1099511627776, which it is cut to",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics: diff (-want +got):\n%s", diff)
	}
	if err := validAsRead(s); err != nil {
		t.Error(err)
	}
}
