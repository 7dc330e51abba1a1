package scan

import (
	"bytes"
	"unicode/utf8"
)

// Two-line prompts draw a box around the shell's prompt: Kali's default
// zsh prompt, Parrot's, and oh-my-zsh's bira and jonathan themes print
// the user, host and working directory on one line and the sign the
// command follows on the next:
//
//	┌──(kali㉿kali)-[/proc/1234/fd]
//	└─$ ls -l
//
//	┌─[user@parrot]─[~]
//	└──╼ $lsof -p 1234
//
//	╭─root@web01 /home/vagrant ‹main›
//	╰─# lsof -p 1234 | wc -l
//
// The readers see each line on its own: the first is no text of the
// capture, the second a command line like any other.

// CutTwoLinePrompt returns the command after the second line of a
// two-line prompt ("└─$ ", "╰─# ", "└──╼ $", "╰─➤  "): ok says line
// starts with one, cmd is empty where the prompt stands alone.
func CutTwoLinePrompt(line []byte) (cmd []byte, ok bool) {
	rest, ok := cutCorner(line, "└╰")
	if !ok {
		return nil, false
	}
	rest = bytes.TrimLeft(rest, " ")
	for _, sign := range [...]string{"$", "#", "%", "\u27a4"} { // ➤ of jonathan
		if after, found := bytes.CutPrefix(rest, []byte(sign)); found {
			return TrimSpace(after), true
		}
	}
	return nil, false
}

// TwoLinePromptHead reports whether line is the first line of a two-line
// prompt ("┌──(kali㉿kali)-[~]", "┌─[user@parrot]─[~]", "╭─root@web01
// /home/vagrant ‹main›") and returns the working directory it shows, nil
// where it shows none.
func TwoLinePromptHead(line []byte) (dir []byte, ok bool) {
	rest, ok := cutCorner(line, "┌╭")
	if !ok || len(rest) == 0 {
		return nil, false
	}
	if rest[0] == '(' || rest[0] == '[' {
		// Kali's (user㉿host)-[dir], Parrot's [user@host]─[dir]: the
		// last bracket holds the directory.
		open := bytes.LastIndexByte(rest, '[')
		end := bytes.LastIndexByte(rest, ']')
		if open < 0 || end < open {
			return nil, true
		}
		return rest[open+1 : end], true
	}
	// oh-my-zsh: user@host, then the directory.
	f := bytes.Fields(rest)
	if len(f) < 2 || bytes.IndexByte(f[0], '@') < 0 {
		return nil, false
	}
	return f[1], true
}

// cutCorner returns what follows a corner of corners ('└' and '╰', or '┌'
// and '╭') and the box's horizontal lines after it (─, and Parrot's ╼),
// at the start of line; ok is false unless at least one line follows the
// corner.
func cutCorner(line []byte, corners string) ([]byte, bool) {
	if len(line) < 6 || line[0] != 0xe2 {
		return nil, false // every box-drawing character is e2 94 xx or e2 95 xx in UTF-8
	}
	r, n := utf8.DecodeRune(line)
	if n < 3 || !bytes.ContainsRune([]byte(corners), r) {
		return nil, false
	}
	rest, lines := line[n:], 0
	for len(rest) > 0 {
		r, n = utf8.DecodeRune(rest)
		if r != '─' && r != '╼' {
			break
		}
		rest, lines = rest[n:], lines+1
	}
	return rest, lines > 0
}
