package reporters

import "testing"

// TestMDEscapeReadable: ordinary capture text stays as it reads (paths,
// !htrace, names with underscores, AT&T, a < b), and what could become
// markup is escaped.
func TestMDEscapeReadable(t *testing.T) {
	tests := []struct{ in, want string }{
		{`\REGISTRY\MACHINE\SOFTWARE\Contoso`, `\REGISTRY\MACHINE\SOFTWARE\Contoso`},
		{`enable !htrace on the process`, `enable !htrace on the process`},
		{`SYNC_STATE_LOCK`, `SYNC_STATE_LOCK`},
		{`AT&T, 3 < 4 -> ok`, `AT&T, 3 < 4 -> ok`},
		{`C:\Program Files\`, `C:\Program Files\\`},
		{`\Contoso\*`, `\Contoso\\\*`},
		{`\BaseNamedObjects\__X`, `\BaseNamedObjects\\\_\_X`},
		{`_emphasis_`, `\_emphasis\_`},
		{`[link](http://evil)`, `\[link\](http://evil)`},
		{`![img](x)`, `!\[img\](x)`},
		{`a | b`, `a \| b`},
		{"`code`", "\\`code\\`"},
		{`<script>alert(1)</script>`, `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{`<Data Not Accessible>`, `&lt;Data Not Accessible&gt;`},
		{`&amp; &#9;`, `&amp;amp; &amp;\#9;`},
		{"two\nlines", "two lines"},
		{"esc\x1b[31m", `esc\\x1b\[31m`},
	}
	for _, tc := range tests {
		if got := mdEscape(tc.in); got != tc.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestMDBlock: text that starts a line cannot start a list, a quote, a
// heading underline or a fence.
func TestMDBlock(t *testing.T) {
	tests := []struct{ in, want string }{
		{"- not a list", `\- not a list`},
		{"1. not a list", `1\. not a list`},
		{"2) not a list", `2\) not a list`},
		{"> not a quote", `\> not a quote`},
		{"=== no heading", `\=== no heading`},
		{"~~~ no fence", `\~~~ no fence`},
		{"# no heading", `\# no heading`},
		{"1,000 of 1,200 handles", "1,000 of 1,200 handles"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := mdBlock(tc.in); got != tc.want {
			t.Errorf("mdBlock(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
