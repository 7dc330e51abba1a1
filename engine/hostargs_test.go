package engine

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitCommandLine(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`svchost.exe -k netsvcs -p -s Winmgmt`, []string{"svchost.exe", "-k", "netsvcs", "-p", "-s", "Winmgmt"}},
		{`"C:\Program Files\Contoso\agent.exe"  --name "a b"	x`, []string{`C:\Program Files\Contoso\agent.exe`, "--name", "a b", "x"}},
		{`w3wp.exe -w "" -m 0`, []string{"w3wp.exe", "-w", "", "-m", "0"}},
		{`app.exe --json "{\"a\": 1}"`, []string{"app.exe", "--json", `{"a": 1}`}},
		{`rundll32.exe "C:\Program Files\Contoso\hook.dll",Start`, []string{"rundll32.exe", `C:\Program Files\Contoso\hook.dll,Start`}},
		{`  `, nil},
		{`"unterminated quote`, nil},
		{`powershell -f "C:\Users\me\Start Menu\sig`, []string{"powershell", "-f"}},
	} {
		if got := splitCommandLine(c.in); !cmp.Equal(got, c.want) {
			t.Errorf("splitCommandLine(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSplitCommandLineBounded: a capture's command line is untrusted; what
// is read of it is bounded.
func TestSplitCommandLineBounded(t *testing.T) {
	if got := splitCommandLine(strings.Repeat("a ", 100000)); len(got) != maxArgs {
		t.Errorf("%d arguments of 100,000, want the first %d", len(got), maxArgs)
	}
	long := strings.Repeat("x", 1<<20)
	if got := splitCommandLine(long); len(got) != 1 || len(got[0]) != maxCommandLine {
		t.Errorf("a 1 MiB argument read as %d arguments, the first of %d bytes; want one of %d", len(got), len(got[0]), maxCommandLine)
	}
}

func TestOptionValue(t *testing.T) {
	args := []string{"-k", "netsvcs", "/S:Winmgmt", "-ap=Pool", "-last"}
	for opt, want := range map[string]string{"-k": "netsvcs", "-s": "Winmgmt", "-ap": "Pool", "-last": "", "-x": ""} {
		if got := optionValue(args, opt); got != want {
			t.Errorf("optionValue(%q) = %q, want %q", opt, got, want)
		}
	}
}
