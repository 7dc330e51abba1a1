package proctable

import "bytes"

// stripANSI returns line without the terminal's colour codes: ESC [ ...
// m as PowerShell 7 writes around its table headers ("\x1b[32;1mHandles
// \x1b[0m"), and the same codes whose ESC a paste lost ("[32;1m"). The
// columns are then where the terminal showed them. A line without them
// is returned as is.
func stripANSI(line []byte) []byte {
	if bytes.IndexByte(line, 0x1b) < 0 && bytes.IndexByte(line, '[') < 0 {
		return line
	}
	var out []byte
	for i := 0; i < len(line); {
		n := sgrLen(line[i:])
		if n == 0 {
			if out != nil {
				out = append(out, line[i])
			}
			i++
			continue
		}
		if out == nil {
			out = append(make([]byte, 0, len(line)), line[:i]...)
		}
		i += n
	}
	if out == nil {
		return line
	}
	return out
}

// sgrLen returns the length of the colour code b starts with, 0 if none:
// an optional ESC, '[', digits and ';' (at least one digit), 'm'.
func sgrLen(b []byte) int {
	i := 0
	if i < len(b) && b[i] == 0x1b {
		i++
	}
	if i >= len(b) || b[i] != '[' {
		return 0
	}
	i++
	digits := 0
	for i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == ';') {
		if b[i] != ';' {
			digits++
		}
		i++
	}
	if i >= len(b) || b[i] != 'm' || (digits == 0 && b[0] != 0x1b) || i > 16 {
		return 0
	}
	return i + 1
}
