package lsof

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// TestElidedRow checks rows whose columns an author replaced by "..." or
// "…": what stands where only it can stand is read, DEVICE, SIZE/OFF and
// NODE are not, and a row whose FD was cut is no row.
func TestElidedRow(t *testing.T) {
	type got struct {
		Cmd, FD, Type, Proto, Name string
		Dev, Size, Node            string
		PID                        uint64
		TID, Elided                bool
	}
	const header = "COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF  NODE NAME"
	tests := []struct {
		name, header, row string
		want              *got // nil: not a row
	}{
		{"DEVICE and SIZE/OFF cut", "", "java 1234 app 45u IPv6 ... TCP host:443->peer:5521 (CLOSE_WAIT)",
			&got{Cmd: "java", PID: 1234, FD: "45", Type: "IPv6", Proto: "TCP", Name: "host:443->peer:5521 (CLOSE_WAIT)", Elided: true}},
		{"an ellipsis character, under a header", header, "java 1234 app 45u IPv6 … TCP host:443->peer:5521 (CLOSE_WAIT)",
			&got{Cmd: "java", PID: 1234, FD: "45", Type: "IPv6", Proto: "TCP", Name: "host:443->peer:5521 (CLOSE_WAIT)", Elided: true}},
		{"a number left between marks", "", "java 1234 app 45u IPv6 [...] 0t0 ... TCP host:443->peer:5521 (CLOSE_WAIT)",
			&got{Cmd: "java", PID: 1234, FD: "45", Type: "IPv6", Proto: "TCP", Name: "host:443->peer:5521 (CLOSE_WAIT)", Elided: true}},
		{"the protocol cut too", "", "java 1234 app 45u IPv6 ... host:443->peer:5521 (CLOSE_WAIT)",
			&got{Cmd: "java", PID: 1234, FD: "45", Type: "IPv6", Name: "host:443->peer:5521 (CLOSE_WAIT)", Elided: true}},
		{"TYPE cut", "", "java 1234 app 45u ... TCP host:443->peer:5521 (CLOSE_WAIT)",
			&got{Cmd: "java", PID: 1234, FD: "45", Proto: "TCP", Name: "host:443->peer:5521 (CLOSE_WAIT)", Elided: true}},
		{"the NAME cut", "", "java 1234 app 45u IPv6 ...",
			&got{Cmd: "java", PID: 1234, FD: "45", Type: "IPv6", Elided: true}},
		{"a file's columns cut", "", "java 1234 app 12r REG ... /srv/app/lib/a.jar",
			&got{Cmd: "java", PID: 1234, FD: "12", Type: "REG", Name: "/srv/app/lib/a.jar", Elided: true}},
		{"USER cut: the rest is whole", "", "java 1234 ... 12r REG 259,2 4096 1835001 /srv/app/lib/a.jar",
			&got{Cmd: "java", PID: 1234, FD: "12", Type: "REG", Dev: "259,2", Size: "4096", Node: "1835001", Name: "/srv/app/lib/a.jar", Elided: true}},
		{"a thread's row", "", "java 1234 1240 app 45u IPv6 ... TCP host:443->peer:5521 (CLOSE_WAIT)",
			&got{Cmd: "java", PID: 1234, TID: true, FD: "45", Type: "IPv6", Proto: "TCP", Name: "host:443->peer:5521 (CLOSE_WAIT)", Elided: true}},
		{"a mark in the NAME is no elision", "", "java 1234 app 12r REG 259,2 4096 1835001 /srv/a ... b",
			&got{Cmd: "java", PID: 1234, FD: "12", Type: "REG", Dev: "259,2", Size: "4096", Node: "1835001", Name: "/srv/a ... b"}},
		{"the FD cut", "", "java 1234 app ... IPv6 ... TCP host:443->peer:5521 (CLOSE_WAIT)", nil},
		{"USER and FD cut", "", "java 1234 ... IPv6 ... TCP host:443->peer:5521 (CLOSE_WAIT)", nil},
		{"prose", "", "we saw 1234 sockets ... then it died", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newLsofReader(facts.NewBuilder(), facts.NewSourceLog("t", Name))
			if tc.header != "" && !r.headerLine([]byte(tc.header)) {
				t.Fatalf("headerLine(%q) = false", tc.header)
			}
			line := []byte(tc.row)
			var row lsofRow
			if !r.hdr.parseRow(line, lsofSpans(line, nil), &row) {
				if tc.want != nil {
					t.Errorf("parseRow(%q) = false, want a row", tc.row)
				}
				return
			}
			if tc.want == nil {
				t.Fatalf("parseRow(%q) = %+v, want no row", tc.row, row)
			}
			f := &row.file
			g := got{Cmd: string(row.cmd), PID: row.pid, TID: row.tid, FD: string(f.fd), Type: string(f.typ),
				Proto: string(f.proto), Name: string(f.name), Dev: string(f.dev), Size: string(f.size), Node: string(f.node), Elided: row.elided}
			if diff := cmp.Diff(*tc.want, g); diff != "" {
				t.Errorf("parseRow(%q) diff (-want +got):\n%s", tc.row, diff)
			}
		})
	}
}

// TestReadElidedRows reads rows with columns elided: the file is lsof's
// (with or without the command above the rows), every row a descriptor of
// its kind, and a diagnostic says columns were elided.
func TestReadElidedRows(t *testing.T) {
	rows := "java 1234 app 45u IPv6 ... TCP api01:443->10.0.9.4:5521 (CLOSE_WAIT)\n" +
		"java 1234 app 46u IPv6 ... TCP api01:443->10.0.9.4:5522 (CLOSE_WAIT)\n" +
		"java 1234 app 47u IPv6 … TCP api01:443->10.0.9.4:5530 (ESTABLISHED)\n"
	for _, text := range []string{rows, "$ lsof -p 1234 | grep TCP\n" + rows} {
		if !Sniff([]byte(text)) {
			t.Errorf("Sniff(%q) = false, want true", text)
		}
		snap := readLsofBytes(t, []byte(text), "elided.txt")
		p := lsofProcess(t, snap, 1234)
		if p.Image != "java" || p.HandlesParsed != 3 {
			t.Errorf("image %q, %d descriptors read, want java, 3", p.Image, p.HandlesParsed)
		}
		if diff := cmp.Diff(map[string]int64{"TCP6": 3}, p.ByType); diff != "" {
			t.Errorf("types: diff (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]int64{"CLOSE_WAIT": 2, "ESTABLISHED": 1}, p.SocketStates); diff != "" {
			t.Errorf("socket states: diff (-want +got):\n%s", diff)
		}
		if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
			t.Errorf("%d lines unrecognized, want 0", n)
		}
		var found int
		for _, d := range snap.Diagnostics {
			if d.Code == CodeElidedColumns {
				found++
				if d.Severity != facts.SevInfo {
					t.Errorf("%s diagnostic of severity %v, want info", CodeElidedColumns, d.Severity)
				}
			}
		}
		if found != 1 {
			t.Errorf("%d %s diagnostics, want 1", found, CodeElidedColumns)
		}
	}
}
