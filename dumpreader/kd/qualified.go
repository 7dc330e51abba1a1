package kd

import "bytes"

// extensionDLLs are the debugger's own extension DLLs whose commands this
// reader reads, as a command names them to pick one of several
// extensions that define it: `!kdexts.handle`, `!ntsdexts.htrace`,
// `!ext.analyze`. Third-party extensions (`!mex.grep`) are not among
// them: their commands are other commands.
var extensionDLLs = []string{"kdexts.", "kdextx86.", "ntsdexts.", "exts.", "ext.", "uext."}

// unqualify drops the extension DLL from the commands of a command line
// ("!kdexts.poolused 2" is "!poolused 2"), so that they are read as the
// commands they are. It returns text itself when there is none.
func unqualify(text []byte) []byte {
	if bytes.IndexByte(text, '.') < 0 {
		return text
	}
	var out []byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '!' {
			if n := qualifierLen(text[i+1:]); n > 0 {
				if out == nil {
					out = append(make([]byte, 0, len(text)), text[:i]...)
				}
				out = append(out, '!')
				i += n
				continue
			}
		}
		if out != nil {
			out = append(out, c)
		}
	}
	if out == nil {
		return text
	}
	return out
}

// qualifierLen returns the length of the extension DLL qualifier rest
// starts with ("kdexts."), when a command name follows it, else 0.
func qualifierLen(rest []byte) int {
	for _, dll := range extensionDLLs {
		n := len(dll)
		if len(rest) > n && bytes.EqualFold(rest[:n], []byte(dll)) && isLetter(rest[n]) {
			return n
		}
	}
	return 0
}
