package reporters

import "testing"

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
