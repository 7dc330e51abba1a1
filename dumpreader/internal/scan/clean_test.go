package scan

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"    Image: smss.exe  ", "Image: smss.exe"},
		{`PROCESS <font color="#ff0000">815f0da0</font>  SessionId: 0`, "PROCESS 815f0da0  SessionId: 0"},
		{"kd&gt; !process 0 0", "kd> !process 0 0"},
		// Tags escaped, as a page's source shows the tags of its text.
		{`PROCESS &lt;font color="#ff0000"&gt;815f0da0&lt;/font&gt;  SessionId: 0`, "PROCESS 815f0da0  SessionId: 0"},
		{"HandleCount: &lt;Data Not Accessible&gt;", "HandleCount: <Data Not Accessible>"},
		{"&gt; &gt; Image: smss.exe", "Image: smss.exe"},
		// A quote, indented as a markdown code block indents it.
		{"> > Image: smss.exe", "Image: smss.exe"},
		{"    > kd> !process 0 0", "kd> !process 0 0"},
		{"\t> Image: smss.exe", "Image: smss.exe"},
		{`\*\*\*\* NT ACTIVE PROCESS DUMP \*\*\*\*  `, "**** NT ACTIVE PROCESS DUMP ****"},
		{`0: kd\> !process ffffa70442304400 7`, "0: kd> !process ffffa70442304400 7"},
		{"0: kd> .process \u2013p \u2013r 897e6c00", "0: kd> .process -p -r 897e6c00"},
		{"Name\u00a0<none>", "Name <none>"},
		// GitHub's folded block around a paste.
		{"<details>", ""},
		{"<summary>lsof -p 4242</summary>", "lsof -p 4242"},
		{"</details>", ""},
		// What the debugger prints in angle brackets stays.
		{"HandleCount: <Data Not Accessible>", "HandleCount: <Data Not Accessible>"},
		{"Owning Process 00000000 Image: <Invalid process>", "Owning Process 00000000 Image: <Invalid process>"},
		// Backslashes in names are not markdown escapes.
		{`Name: \BaseNamedObjects\__ComCatalogCache__`, `Name: \BaseNamedObjects\__ComCatalogCache__`},
	}
	var c Cleaner
	for _, tc := range tests {
		if got := string(c.Clean([]byte(tc.in))); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestNeedsRepairAgreesWithBytes checks the word-at-a-time scan against a
// byte loop, for every damage byte at every position of lines of every
// length up to 40.
func TestNeedsRepairAgreesWithBytes(t *testing.T) {
	slow := func(b []byte) bool {
		for i, c := range b {
			if c == '<' || c == '&' || c == '*' || c >= 0x80 || (c == '>' && len(strings.TrimLeft(string(b[:i]), " \t")) == 0 && i <= 7) {
				return true
			}
			if c == '\\' && i+1 < len(b) && strings.IndexByte("*>._-!#[]+`()", b[i+1]) >= 0 {
				return true
			}
		}
		return false
	}
	for n := 0; n <= 40; n++ {
		clean := []byte(strings.Repeat("a0 =:(_", 6)[:n])
		if NeedsRepair(clean) != slow(clean) {
			t.Fatalf("needsRepair(%q) = %v", clean, !slow(clean))
		}
		for i := 0; i < n; i++ {
			for _, c := range []byte{'<', '>', '&', '*', 0x80, 0xC2, 0xFF, '=', '(', '\\', '/', '|', '^', '~', 0x1C, '?', ';', '.', 0x7F} {
				line := append([]byte(nil), clean...)
				line[i] = c
				if got, want := NeedsRepair(line), slow(line); got != want {
					t.Fatalf("needsRepair(%q) = %v, want %v", line, got, want)
				}
			}
		}
	}
}
