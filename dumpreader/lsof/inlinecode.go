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
//
// Or the author marks the whole paste as one span of inline code, which
// markdown lets run over several lines: a backtick opens its first line
// and another closes its last, and the lines between have none.
//
//	`contoso   4242   app   5r   REG   0,18   4194304   81 /run/log/a.journal (deleted)
//	contoso   4242   app   8r   REG   0,18   4194304   82 /run/log/b.journal (deleted)`
//
// Read with it, the first row's COMMAND would be "`contoso", a process
// other than the next row's of the same pid, and the last row's file
// would not end in " (deleted)". A backtick alone at the start or at the
// end of a line is such a mark, and is dropped: lsof prints no COMMAND
// that starts with one (a name with a backtick in it has the backtick
// after the first character) and the NAME of no file it lists ends in
// one but a file named so, whose backtick the paste's markdown would
// have taken as well.

// unInlineCode returns line without the backticks that mark it, whole
// or as the first or last line of a span, as inline code; any other line
// as it is.
func unInlineCode(line []byte) []byte {
	n := len(line)
	if n < 2 || (line[0] != '`' && line[n-1] != '`') {
		return line
	}
	inner := bytes.Count(line, []byte{'`'})
	switch {
	case n >= 3 && inner == 2 && line[0] == '`' && line[n-1] == '`':
		return bytes.TrimSpace(line[1 : n-1])
	case inner != 1:
		return line // a fence, or backticks inside the line
	case line[0] == '`' && line[1] != ' ':
		return line[1:] // the span opens here
	case line[n-1] == '`' && line[n-2] != ' ':
		return line[:n-1] // the span closes here
	}
	return line
}
