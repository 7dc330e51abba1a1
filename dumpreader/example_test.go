package dumpreader_test

import (
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader"
)

// Read a capture pasted from a web page: the typographic dashes, the
// author's cut and the missing handles are all accounted for.
func ExampleRead() {
	capture := `0: kd> .process –p –r 897e6c00
Implicit process is now 897e6c00
0: kd> !handle
processor number 0, process 897e6c00
PROCESS 897e6c00 SessionId: none Cid: 04fc Peb: 7ffd4000 ParentCid: 0004
DirBase: 0acc0040 ObjectTable: e1648628 HandleCount: 21.
Image: smss.exe

Handle table at e1674000 with 21 Entries in use
0004: Object: e1009568 GrantedAccess: 000f0003 Entry: e1674008
Object: e1009568 Type: (8a5258b8) KeyedEvent
ObjectHeader: e1009550 (old version)
HandleCount: 53 PointerCount: 54
Directory Object: e10030a8 Name: CritSecOutOfMemoryEvent

...
`
	snap, err := dumpreader.Read(strings.NewReader(capture), "ticket.txt", dumpreader.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range snap.Processes {
		fmt.Printf("pid %d %s: %d handles reported, %d shown, types %v\n", p.PID, p.Image, *p.HandleCount, p.HandlesParsed, p.ByType)
	}
	fmt.Printf("lines %+v\n", snap.Sources[0].Lines)
	for _, d := range snap.Diagnostics {
		fmt.Printf("%s:%d: %s: %s\n", d.Path, d.Line, d.Severity, d.Message)
	}
	// Output:
	// pid 1276 smss.exe: 21 handles reported, 1 shown, types map[KeyedEvent:1]
	// lines {Total:16 Parsed:13 Ignored:3 Unrecognized:0}
	// ticket.txt:1: info: typographic dashes in place of '-' undone before reading: 1 line(s) had them, this one first
	// ticket.txt:9: warning: handle table reports 21 entries in use; the capture shows 1 (the capture elides output)
	// ticket.txt:16: info: the capture omits output here (an elision by whoever pasted it)
}
