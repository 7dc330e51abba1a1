package kd

import "testing"

// TestLiquidFencesAndPrefixedObject: a static site's Liquid tags around
// a pasted block are fences, not lines of the capture, and a kernel entry
// whose object address the debugger printed with 0x (the handle was asked
// for as 0x...) is read as an entry; tags of other kinds are not fences.
func TestLiquidFencesAndPrefixedObject(t *testing.T) {
	const block = "2: kd> !handle 0xffffffff80000a10\n" +
		"\n" +
		"PROCESS fffffa8018db5040\n" +
		"    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000\n" +
		"    DirBase: 00187000  ObjectTable: fffff8a000001720  HandleCount: 512.\n" +
		"    Image: System\n" +
		"\n" +
		"Kernel handle table at fffff8a000001720 with 512 entries in use\n" +
		"\n" +
		"80000a10: Object: 0xfffffa801a850b20  GrantedAccess: 00000003 Entry: fffff8a000f81eb0\n" +
		"Object: fffffa801a850b20  Type: (fffffa8018e4d2a0) File\n" +
		"    ObjectHeader: fffffa801a850af0 (new version)\n" +
		"        HandleCount: 1  PointerCount: 1\n"
	tests := []struct {
		name, capture string
		unrecognized  int64
	}{
		{"highlight tags", "{% highlight bash %}\n" + block + "{% endhighlight %}\n", 0},
		{"raw tags, trimmed", "{%- raw -%}\n" + block + "{% endraw %}\n", 0},
		{"a Ruby block comment", "=begin\n" + block + "=end\n", 0},
		{"another tag is text", "{% include note.html %}\n" + block, 1},
		{"an equals sign before a word is text", "=beginning\n" + block, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if n := snap.Sources[0].Lines.Unrecognized; n != tc.unrecognized {
				t.Errorf("%d unrecognized lines, want %d: %+v", n, tc.unrecognized, snap.Diagnostics)
			}
			if len(snap.Processes) != 1 {
				t.Fatalf("%d processes, want 1", len(snap.Processes))
			}
			p := snap.Processes[0]
			if p.HandlesParsed != 1 || p.ByType["File"] != 1 {
				t.Errorf("System: %d handles parsed, by type %v, want the one File entry", p.HandlesParsed, p.ByType)
			}
		})
	}
}
