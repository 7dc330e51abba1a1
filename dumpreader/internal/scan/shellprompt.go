package scan

import "bytes"

// IsBareShellPrompt recognizes a Unix shell's prompt alone on its line,
// as pastes keep it after a command's output: "$", "# ", "[ops@host ~]$",
// "user@host:~#", "analyst@ubuntu:/opt/volatility3$". line is trimmed.
func IsBareShellPrompt(line []byte) bool {
	if len(line) == 0 || len(line) > 80 {
		return false
	}
	last := line[len(line)-1]
	if last != '$' && last != '#' {
		return false
	}
	body := TrimSpace(line[:len(line)-1])
	return len(body) == 0 || bytes.IndexByte(body, '@') >= 0 || body[len(body)-1] == ']' || body[len(body)-1] == '~'
}
