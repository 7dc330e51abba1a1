package scan

import (
	"strings"
	"testing"
	"time"
)

// TestCleanUndoesPasteDamage checks each kind of markdown and HTML damage
// alone, and what must survive it: the debugger's own angle brackets and
// stars, and backslashes that separate path components.
func TestCleanUndoesPasteDamage(t *testing.T) {
	tests := []struct {
		name, in, want string
		found          Damage
	}{
		{"blockquote", "> PROCESS 896f6a98  SessionId: 0  Cid: 02fc", "PROCESS 896f6a98  SessionId: 0  Cid: 02fc", dmgBlockquote},
		{"nested blockquote", "> > 0:000> !handle", "0:000> !handle", dmgBlockquote},
		{"empty quoted line", ">", "", dmgBlockquote},
		{"bold command", "0:000> **!handle 0 0**", "0:000> !handle 0 0", dmgBold},
		{"bold value", "HandleCount: **1056**.", "HandleCount: 1056.", dmgBold},
		{"redaction stars in a name", "TCP ip-10-**-**-**.contoso.internal:19459->db-**-**.fabrikam.com:8086 (ESTABLISHED)", "TCP ip-10-**-**-**.contoso.internal:19459->db-**-**.fabrikam.com:8086 (ESTABLISHED)", 0},
		{"redaction stars then bold", "addr 10.**.**.7 and **1056** handles", "addr 10.**.**.7 and 1056 handles", dmgBold},
		{"bold command of stars after a prompt", `0:001> **~\***`, "0:001> ~*", dmgBold | dmgEscape},
		{"bold command after a kernel prompt", `0: kd> **~\***`, "0: kd> ~*", dmgBold | dmgEscape},
		{"stars alone in bold without a prompt are kept", `see **~\*** below`, "see **~*** below", dmgEscape},
		{"kd's own stars", "**** NT ACTIVE PROCESS DUMP ****", "**** NT ACTIVE PROCESS DUMP ****", 0},
		{"symbol warning stars", "*** WARNING: Unable to verify checksum for agent.exe", "*** WARNING: Unable to verify checksum for agent.exe", 0},
		{"escaped count", `HandleCount: 124\.`, "HandleCount: 124.", dmgEscape},
		{"escaped image", `Image: svchost\.exe`, "Image: svchost.exe", dmgEscape},
		{"escaped prompt", `kd\> !process 0 0`, "kd> !process 0 0", dmgEscape},
		{"escaped bang", `0:000\> \!htrace \-diff`, "0:000> !htrace -diff", dmgEscape},
		{"escaped underscore before the path", `Image: my\_agent.exe`, "Image: my_agent.exe", dmgEscape},
		{"escaped stars", `\*\*\*\* NT ACTIVE PROCESS DUMP \*\*\*\*`, "**** NT ACTIVE PROCESS DUMP ****", dmgEscape},
		{"escaped parentheses before the path", `1C: File  \(---\)   D:\Contoso\logs`, `1C: File  (---)   D:\Contoso\logs`, dmgEscape},
		{"escaped parentheses in Handle's banner", `Copyright \(C\) 1997-2011 Mark Russinovich`, "Copyright (C) 1997-2011 Mark Russinovich", dmgEscape},
		{"path keeps a parenthesis after a backslash", `Name: \Device\(agent)`, `Name: \Device\(agent)`, 0},
		{"handle's unreadable owner", `System pid: 4 \<unable to open process>`, `System pid: 4 \<unable to open process>`, 0},
		{"drive root prompt", `C:\>handle -s`, `C:\>handle -s`, 0},
		{"path keeps its underscores", `Name: \BaseNamedObjects\__ComCatalogCache__`, `Name: \BaseNamedObjects\__ComCatalogCache__`, 0},
		{"path keeps a dot folder", `Name: \Users\dev\.cache {HarddiskVolume3}`, `Name: \Users\dev\.cache {HarddiskVolume3}`, 0},
		{"path with a space keeps its underscore", `Name: \Program Files\My App\_cache`, `Name: \Program Files\My App\_cache`, 0},
		{"pipe path", `Name: \\.\pipe\_agent`, `Name: \\.\pipe\_agent`, 0},
		{"drive path", `C:\Windows\_temp`, `C:\Windows\_temp`, 0},
		{"handle's elision in a path", `  1E8: Section       \...\AgentMap`, `1E8: Section       \...\AgentMap`, 0},
		{"named entities", "kd&gt; !handle 0 3 0 &quot;File&quot; &amp;&amp; x &lt;y", `kd> !handle 0 3 0 "File" && x <y`, dmgEntity},
		{"zero-width entity", "SessionId&#8203;: 0  Cid&#x200b;: 02fc", "SessionId: 0  Cid: 02fc", dmgEntity},
		{"numeric entities", "&#62; &#x3E; &#39;", "> > '", dmgEntity},
		{"nbsp entity", "&nbsp;     DirBase: 7132b000", "DirBase: 7132b000", dmgEntity},
		{"not an entity", "Name: \\R&D;x AT&T", "Name: \\R&D;x AT&T", 0},
		{"font tag", `PROCESS <font color="#ff0000">815f0da0</font>  SessionId: 0`, "PROCESS 815f0da0  SessionId: 0", dmgTag},
		{"code and br tags", "<code>0: kd> !process 0 0</code><br/>", "0: kd> !process 0 0", dmgTag},
		{"kd's angle brackets", "HandleCount: <Data Not Accessible>", "HandleCount: <Data Not Accessible>", 0},
		{"invalid process", "Owning Process 00000000 Image: <Invalid process>", "Owning Process 00000000 Image: <Invalid process>", 0},
		{"none", "Name <none>", "Name <none>", 0},
		{"raw zero-width space", "Cid\u200b: 02fc", "Cid: 02fc", dmgInvisible},
		{"no-break space", "Name\u00a0<none>", "Name <none>", dmgNoBreakSpace},
		{"dashes", "0: kd> .process \u2013p \u2014r 897e6c00", "0: kd> .process -p -r 897e6c00", dmgDash},
		{"bad UTF-8", "Name: \\x\xff", "Name: \\x\uFFFD", dmgBadUTF8},
		{"several", "> **kd\\>** !process 0 0&nbsp;", "kd> !process 0 0", dmgBlockquote | dmgBold | dmgEscape | dmgEntity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c Cleaner
			if got := string(c.Clean([]byte(tc.in))); got != tc.want {
				t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if NeedsRepair([]byte(tc.in)) && c.found != tc.found {
				t.Errorf("clean(%q) found damage %b, want %b", tc.in, c.found, tc.found)
			}
		})
	}
}

// TestCleanTakesLinearTime checks that no kind of damage makes cleaning a
// long line cost more than in proportion to its length: a megabyte of
// unclosed bold markers, entities, tags or escapes is cleaned at once.
func TestCleanTakesLinearTime(t *testing.T) {
	for _, unit := range []string{"**a ", "&#8203", "&amp;", "<font x", "<b>", `\_a `, `a\.`, "> ", `\B\_`} {
		line := []byte(strings.Repeat(unit, (1<<20)/len(unit)))
		start := time.Now()
		var c Cleaner
		c.Clean(line)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("clean(%q repeated to 1 MiB) took %v", unit, d)
		}
	}
}
