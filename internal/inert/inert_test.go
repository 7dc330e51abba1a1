package inert

import "testing"

func TestText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"a Windows path stays", `\Device\HarddiskVolume3\Program Files\Contoso\agent.log`, `\Device\HarddiskVolume3\Program Files\Contoso\agent.log`},
		{"non-ASCII names stay", "Küche 東京 ✓ 🙂", "Küche 東京 ✓ 🙂"},
		{"a tab stays", "a\tb", "a\tb"},
		{"SGR", "\x1b[31mred", `\x1b[31mred`},
		{"OSC title", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"CR and LF", "a\rb\nc", `a\rb\nc`},
		{"DEL and backspace", "a\x7f\bb", `a\x7f\x08b`},
		{"C1 CSI", "\u009b2J", `\u009b2J`},
		{"bidi override", "\u202eexe.txt", `\u202eexe.txt`},
		{"bytes that are no UTF-8", "a\xff\x9bb", `a\xff\x9bb`},
		{"U+FFFD itself stays", "a\uFFFDb", "a\uFFFDb"},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("%s: Text(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestLines(t *testing.T) {
	in := "rules.yaml:3:5: rule \"a\x1b[31m\": bad\n        when: x\r\n        ^"
	want := "rules.yaml:3:5: rule \"a\\x1b[31m\": bad\n        when: x\\r\n        ^"
	if got := Lines(in); got != want {
		t.Errorf("Lines(%q) = %q, want %q", in, got, want)
	}
}
