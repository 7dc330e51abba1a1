package scan

import "testing"

func TestIsElision(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"...", true},
		{"[...]", true},
		{"(...)", true},
		{"[…]", true},
		{"*snip*", true},
		{"<Output Snipped due to space constraints>", true},
		{"(略)", true},
		{"（略）", true},
		{"以下省略", true},
		{"생략", true},
		{"⋮", true},
		{"・・・", true},
		{"（･･･）", true},
		{"・", false},
		{"・メモ", false},
		{"重启前：", false},
		{"例子", false},
		{"重启后：", false},
		{"-- snip --", true},
		{"===== output omitted =====", true},
		{"---trunct-----", true},
		{"[output truncated]", true},
		{"/---OUTPUT TRUNCATED---/", true},
		{"/== snip ==/", true},
		{"/var/log/truncated/", false},
		{"/--- the first rows ---/", false},
		{"--- the first rows ---", false},
		{"-rw-r--r-- 1 root root 12 Jan  1 10:00 snip.txt", false},
		{"----------", false},
		{".", false},
		{"()", false},
		{"[..]", false},
		{"[ 1 ]", false},
	}
	for _, tc := range tests {
		if got := IsElision([]byte(tc.line)); got != tc.want {
			t.Errorf("IsElision(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
