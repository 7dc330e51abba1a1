package proctable

import (
	"bytes"
)

// KeyValue splits a line of a record block: "Key : Value" as
// PowerShell's Format-List prints it (the key padded with blanks), or
// "Key=Value" as wmic's list formats print it, per sep. The key is a
// property name: letters, digits and '_', and for ':' blanks inside
// ("Handle Count") are not taken. The value may be empty.
func KeyValue(line []byte, sep byte) (key, value []byte, ok bool) {
	i := bytes.IndexByte(line, sep)
	if i <= 0 {
		return nil, nil, false
	}
	key = bytes.TrimRight(line[:i], " \t")
	if sep == ':' && len(key) == i {
		// Format-List puts a blank before the colon.
		return nil, nil, false
	}
	if sep == '=' && len(key) != i {
		return nil, nil, false
	}
	if len(key) == 0 || len(key) > 64 {
		return nil, nil, false
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return nil, nil, false
		}
	}
	return key, bytes.TrimSpace(line[i+1:]), true
}
