package lsof

import (
	"strings"
	"testing"
)

// TestInlineCodeLines checks a paste whose every line an author marked as
// inline code, a backtick at either end: it reads as the lines do without
// them, and a fence or a name with backticks inside is left as it is.
func TestInlineCodeLines(t *testing.T) {
	const plain = "$ lsof -p 4242\n" +
		"COMMAND     PID   TID TASKCMD   USER   FD   TYPE DEVICE SIZE/OFF NLINK    NODE NAME\n" +
		"contoso   4242                  app  cwd    DIR  259,2     4096     3 1835010 /srv/app\n" +
		"contoso   4242                  app    0r   CHR    1,3      0t0     1       5 /dev/null\n" +
		"contoso   4242                  app   11u  IPv4  91333      0t0     0     TCP 10.0.3.17:43107->10.0.9.4:5432 (CLOSE_WAIT)\n"
	var b strings.Builder
	for _, l := range strings.SplitAfter(plain, "\n") {
		if l != "" {
			b.WriteString("`" + strings.TrimSuffix(l, "\n") + "`\n")
		}
	}
	marked := "```\n" + b.String() + "```\n"
	checkParallel(t, "inline code", marked)
	want := readLsofBytes(t, []byte(plain), "plain.txt")
	got := readLsofBytes(t, []byte(marked), "marked.txt")
	wp, gp := lsofProcess(t, want, 4242), lsofProcess(t, got, 4242)
	if gp.HandleCount == nil || *gp.HandleCount != 2 || gp.HandlesParsed != wp.HandlesParsed || gp.SocketStates["CLOSE_WAIT"] != 1 {
		t.Errorf("marked lines read as count %v, %d parsed, states %v; want 2, %d, one CLOSE_WAIT",
			gp.HandleCount, gp.HandlesParsed, gp.SocketStates, wp.HandlesParsed)
	}
	if u := got.Sources[0].Lines.Unrecognized; u != 0 {
		t.Errorf("%d lines unrecognized, want 0", u)
	}
	for _, line := range []string{"```", "``", "`a`b`", "x `y`"} {
		if got := string(unInlineCode([]byte(line))); got != line {
			t.Errorf("unInlineCode(%q) = %q, want it unchanged", line, got)
		}
	}
}

// TestInlineCodeSpan checks a paste an author marked as one span of
// inline code over several lines, a backtick before its first row and
// after its last: the first row's COMMAND is the same as the others'
// (the pid is no process reused under a new name) and the last row's file
// is still deleted.
func TestInlineCodeSpan(t *testing.T) {
	const plain = "contoso   4242   app    5r   REG   0,18   4194304   81 /run/log/contoso/a.journal (deleted)\n" +
		"contoso   4242   app    8r   REG   0,18   4194304   82 /run/log/contoso/b.journal (deleted)\n" +
		"contoso   4242   app    9r   REG   0,18   4194304   83 /run/log/contoso/c.journal (deleted)\n"
	marked := "3. lsof | grep deleted\n`" + strings.TrimSuffix(plain, "\n") + "`\n"
	checkParallel(t, "inline span", marked)
	got := readLsofBytes(t, []byte(marked), "span.txt")
	p := lsofProcess(t, got, 4242)
	if p.Image != "contoso" || p.HandlesParsed != 3 || p.DeletedFDs != 3 {
		t.Errorf("span read as image %q, %d parsed, %d deleted; want contoso, 3, 3", p.Image, p.HandlesParsed, p.DeletedFDs)
	}
	for _, d := range got.Diagnostics {
		if d.Code == "pid-image-conflict" {
			t.Errorf("diagnostic %s at line %d: %s", d.Code, d.Line, d.Message)
		}
	}
	for line, want := range map[string]string{
		"`contoso 4242":     "contoso 4242",
		"x (deleted)`":      "x (deleted)",
		"` x":               "` x",
		"x `":               "x `",
		"`a` b`":            "`a` b`",
		"run `lsof -p 4242": "run `lsof -p 4242",
	} {
		if got := string(unInlineCode([]byte(line))); got != want {
			t.Errorf("unInlineCode(%q) = %q, want %q", line, got, want)
		}
	}
}
