package lsof

import "bytes"

// An author who does not fence a paste may mark each line of it as
// inline code instead, a backtick at either end:
//
//	`# lsof +L | grep -E 'COM|contoso'`
//	`COMMAND     PID   TID TASKCMD   USER   FD   TYPE  DEVICE SIZE/OFF NLINK  NODE NAME`
//
// Such a line is read without its backticks. No line of lsof's own
// starts and ends with one: a name with backticks in it has them inside.

// unInlineCode returns line without the backticks that mark it, whole,
// as inline code; any other line as it is.
func unInlineCode(line []byte) []byte {
	n := len(line)
	if n < 3 || line[0] != '`' || line[n-1] != '`' || bytes.IndexByte(line[1:n-1], '`') >= 0 {
		return line
	}
	return bytes.TrimSpace(line[1 : n-1])
}
