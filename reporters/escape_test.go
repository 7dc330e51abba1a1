package reporters

import "testing"

func TestTermEscape(t *testing.T) {
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
		if got := termEscape(tc.in); got != tc.want {
			t.Errorf("%s: termEscape(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestWebURL(t *testing.T) {
	for ref, want := range map[string]bool{
		"https://learn.microsoft.com/x":     true,
		"HTTP://example.com":                true,
		"javascript:alert(1)":               false,
		"JavaScript://example.com/%0a":      false,
		"data:text/html,<script>":           false,
		"//example.com/x":                   false,
		"https:/no-host":                    false,
		"https://example.com/\x1b[31m":      false,
		"docs/rules.md#the-default-rules":   false,
		" https://example.com/leading-sp":   false,
		"vbscript:msgbox(1)":                false,
		"file:///etc/passwd":                false,
		"https://example.com/a?b=c#d":       true,
		"http://[::1]:8080/path":            true,
		"ftp://example.com/pub":             false,
		"mailto:security@example.com":       false,
		"https://user@example.com/x":        true,
		"https://exa mple.com/x":            false,
		"https://example.com/%zz":           false,
		"\thttps://example.com/leading-tab": false,
	} {
		if got := webURL(ref); got != want {
			t.Errorf("webURL(%q) = %v, want %v", ref, got, want)
		}
	}
}
