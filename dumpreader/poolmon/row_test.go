package poolmon

import "testing"

func TestParseRow(t *testing.T) {
	tests := []struct {
		line string
		want row
		ok   bool
	}{
		{"Ctso Nonp   5200000 (  310)    300000 (   12) 4900000 1254400000 ( 76288)    256 [contosoflt.sys - Unknown]",
			row{tag: "Ctso", allAlloc: 5200000, allocs: 4900000, bytes: 1254400000, mapped: "[contosoflt.sys - Unknown]", console: true}, true},
		{"CM    Paged   1283  ( 0)  1002  ( 0)   281  1377312   ( 0)  4901",
			row{tag: "CM", paged: true, allAlloc: 1283, allocs: 281, bytes: 1377312, console: true}, true},
		{"Irp  Nonp    900 (-2)  800 (+1)  100  48000 (-480)  480", row{tag: "Irp", allAlloc: 900, allocs: 100, bytes: 48000, console: true}, true},
		{"Irp  Nonp    900  800  100  48000  480", row{tag: "Irp", allAlloc: 900, allocs: 100, bytes: 48000}, true},
		{"Irp  Nonp    900 (0)  800 (0)  101  48000 (0)  480", row{}, false}, // Diff is not Allocs minus Frees
		{"Irp  Both    900  800  100  48000  480", row{}, false},
		{"Thread Nonp  900  800  100  48000  480", row{}, false},
		{"Dh 1 Paged        24 (   0)        24 (   0)        0       0 (     0)      0",
			row{tag: "Dh 1", paged: true, allAlloc: 24, console: true}, true},
		{"Dh 12 Paged  24  24  0  0  0", row{}, false}, // five characters: no tag
		{"Dh 1 Both  24  24  0  0  0", row{}, false},
		{"Irp  Nonp    900  800  100  48000", row{}, false},
		{"Irp  Nonp    9x0  800  100  48000  480", row{}, false},
		{"Tag  Type     Allocs            Frees            Diff   Bytes       Per Alloc", row{}, false},
		{"", row{}, false},
	}
	for _, tc := range tests {
		got, ok := parseRow([]byte(tc.line))
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseRow(%q) = %+v, %v, want %+v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

func TestKBAfter(t *testing.T) {
	for _, tc := range []struct {
		line, label string
		want        int64
		ok          bool
	}{
		{"Pool N:294336K P:459092K", "Pool N:", 294336, true},
		{"Pool N: 744K P: 2180K", " P:", 2180, true},
		{"Pool N: 744 P: 2180", "Pool N:", 744, true},
		{"Pool N: K", "Pool N:", 0, false},
		{"Pool N: 7x4K", "Pool N:", 0, false},
		{"Peak: 5K", " P:", 0, false},
	} {
		got, ok := kbAfter([]byte(tc.line), tc.label)
		if got != tc.want || ok != tc.ok {
			t.Errorf("kbAfter(%q, %q) = %d, %v, want %d, %v", tc.line, tc.label, got, ok, tc.want, tc.ok)
		}
	}
}

// TestSniffText checks detection on short texts: PoolMon's forms, and
// texts that share its words or its numbers.
func TestSniffText(t *testing.T) {
	header := " Tag  Type     Allocs            Frees            Diff   Bytes       Per Alloc\n"
	tests := []struct {
		name, text string
		want       bool
	}{
		{"header and a row", header + " Thre Nonp  91000 (  4)  88000 (  4)  3000  3840000 (  0)  1280\n", true},
		{"memory line and a row", " Memory: 8388608K Avail: 1048576K\n Thre Nonp  91000  88000  3000  3840000  1280\n", true},
		{"markdown heading of the header", "## " + header[1:] + "Thre Paged 10 (0) 4 (0) 6 600 (0) 100\n", true},
		{"header alone", header, false},
		{"a row alone", " Thre Nonp  91000 (  4)  88000 (  4)  3000  3840000 (  0)  1280\n", false},
		{"a console row under prose that names PoolMon", "poolmon.exe shows the following:\n```\n" +
			"Thre Paged      2418 (   0)         0 (   0)     2418   633864192 (          0)      262144\n```\n", true},
		{"a row without the console's changes under prose that names PoolMon", "poolmon.exe shows the following:\n" +
			"Thre Paged      2418         0     2418   633864192      262144\n", false},
		{"prose that names PoolMon over a row that does not add up", "poolmon.exe shows the following:\n" +
			"Thre Paged      2418 (   0)         0 (   0)     2417   633864192 (          0)      262144\n", false},
		{"a row that does not add up", header + " Thre Nonp  91000  88000  3001  3840000  1280\n", false},
		{"!poolused", " Tag    Allocs     Used    Allocs     Used\n Thre   1725  4416000   0   0\n", false},
		{"header flattened onto one line with rows", "Tag Type Allocs Frees Diff Bytes Per Alloc --- CM Paged 1283 ( 0) 1002 ( 0) 281 1377312 ( 0) 4901\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.text)); got != tc.want {
				t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestMapped(t *testing.T) {
	for _, tc := range []struct{ in, bin, desc string }{
		{"[dxgkrnl.sys - Unknown]", "dxgkrnl.sys", ""},
		{"[ntoskrnl.exe - Thread objects]", "ntoskrnl.exe", "Thread objects"},
		{"[ < unknown > ]", "< unknown >", ""},
	} {
		if b, d := mapped(tc.in); b != tc.bin || d != tc.desc {
			t.Errorf("mapped(%q) = %q, %q, want %q, %q", tc.in, b, d, tc.bin, tc.desc)
		}
	}
}

func TestIsSessionTitle(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"System pool information", false},
		{"Session pool information", true},
		{"All sessions pool information", true},
		{"Session 0 pool information", true},
		{"Session x pool information", false},
		{"All pool information", false},
		{"Session 1 pool", false},
	} {
		if got := isSessionTitle([]byte(tc.line)); got != tc.want {
			t.Errorf("isSessionTitle(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
