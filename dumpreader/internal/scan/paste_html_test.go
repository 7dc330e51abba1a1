package scan

import "testing"

// TestHTMLEntity: every named entity pasted captures carry is read, with
// its length; other names, and numeric forms, as the reader takes them.
func TestHTMLEntity(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rune
		n    int
	}{
		{"&gt;", '>', 4}, {"&lt;x", '<', 4}, {"&amp;", '&', 5}, {"&quot;", '"', 6}, {"&apos;", '\'', 6},
		{"&nbsp;", 0xA0, 6}, {"&ensp;", ' ', 6}, {"&emsp;", ' ', 6}, {"&thinsp;", ' ', 8},
		{"&ndash;", 0x2013, 7}, {"&mdash;", 0x2014, 7}, {"&hellip;", 0x2026, 8},
		{"&zwsp;", 0x200B, 6}, {"&zwnj;", 0x200C, 6}, {"&zwj;", 0x200D, 5},
		{"&#8203;", 0x200B, 7}, {"&#x200b;", 0x200B, 8},
		{"&GT;", 0, 0}, {"&copy;", 0, 0}, {"&gt", 0, 0}, {"&;", 0, 0},
	} {
		if r, n := htmlEntity([]byte(tc.in)); r != tc.want || n != tc.n {
			t.Errorf("htmlEntity(%q) = %q, %d, want %q, %d", tc.in, r, n, tc.want, tc.n)
		}
	}
}

// TestHTMLTagLen: the tags pasted captures carry, in any case, opening or
// closing, are cut; what the debugger prints in angle brackets is not.
func TestHTMLTagLen(t *testing.T) {
	for _, tag := range []string{
		"font", "b", "i", "u", "em", "strong", "span", "br", "pre", "code", "a", "div", "p", "tt",
		"kbd", "samp", "mark", "small", "big", "sup", "sub", "del", "ins", "s", "strike", "var",
	} {
		for _, in := range []string{"<" + tag + ">", "</" + tag + ">", "<" + tag + " class=\"k\">"} {
			if n := htmlTagLen([]byte(in + "text")); n != len(in) {
				t.Errorf("htmlTagLen(%q) = %d, want %d", in+"text", n, len(in))
			}
		}
	}
	for _, in := range []string{"<FONT color=red>", "<Br/>"} {
		if n := htmlTagLen([]byte(in)); n != len(in) {
			t.Errorf("htmlTagLen(%q) = %d, want %d", in, n, len(in))
		}
	}
	for _, in := range []string{"<none>", "<Data Not Accessible>", "<Invalid process>", "<table>", "<>", "<script>"} {
		if n := htmlTagLen([]byte(in)); n != 0 {
			t.Errorf("htmlTagLen(%q) = %d, want 0", in, n)
		}
	}
}
