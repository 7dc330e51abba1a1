package scan

import "testing"

func TestCutTwoLinePrompt(t *testing.T) {
	for _, tc := range []struct {
		line, cmd string
		ok        bool
	}{
		{"└─$ lsof -i :4444   ", "lsof -i :4444", true},
		{"└─# ls -l /proc/12/fd", "ls -l /proc/12/fd", true},
		{"╰─# lsof  -p 53324 | wc -l", "lsof  -p 53324 | wc -l", true},
		{"└──╼ $lsof -p 12", "lsof -p 12", true},
		{"╰─➤  ls /proc/12/fd | wc -l", "ls /proc/12/fd | wc -l", true},
		{"└─$", "", true},
		{"└─ text of a tree", "", false},
		{"└── src/main.go", "", false},
		{"$ lsof", "", false},
		{"", "", false},
	} {
		cmd, ok := CutTwoLinePrompt([]byte(tc.line))
		if string(cmd) != tc.cmd || ok != tc.ok {
			t.Errorf("CutTwoLinePrompt(%q) = %q, %v, want %q, %v", tc.line, cmd, ok, tc.cmd, tc.ok)
		}
	}
}

func TestTwoLinePromptHead(t *testing.T) {
	for _, tc := range []struct {
		line, dir string
		ok        bool
	}{
		{"┌──(kali㉿kali)-[~]", "~", true},
		{"┌──(root㉿kali)-[/proc/1234/fd]", "/proc/1234/fd", true},
		{"┌─[user@parrot]─[~/src]", "~/src", true},
		{"╭─root@100-u20-manager /home/vagrant ", "/home/vagrant", true},
		{"╭─student@mac-013 ~/workspace/app  ‹main*›", "~/workspace/app", true},
		{"┌──────────┬─────┐", "", false},
		{"╭─ a box of text", "", false},
		{"[root@db fd]# ls", "", false},
	} {
		dir, ok := TwoLinePromptHead([]byte(tc.line))
		if string(dir) != tc.dir || ok != tc.ok {
			t.Errorf("TwoLinePromptHead(%q) = %q, %v, want %q, %v", tc.line, dir, ok, tc.dir, tc.ok)
		}
	}
}
