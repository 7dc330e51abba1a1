package volatility

import "strings"

// plugin is what printed a table: it says what an exit time means.
type plugin uint8

const (
	// pluginUnknown: a Volatility 3 process table whose command the
	// capture does not show (pslist, psscan and pstree print the same
	// columns).
	pluginUnknown plugin = iota
	// pluginList: the active process list (pslist, pstree).
	pluginList
	// pluginScan: psscan, which finds freed EPROCESS structures too.
	pluginScan
	// pluginHandles: a handle listing.
	pluginHandles
	// pluginOther: another plugin, whose output is not read.
	pluginOther
)

// kind is what one column of a row holds, as far as telling it from its
// neighbours goes when blanks are all that separate them.
type kind uint8

const (
	kHex   kind = iota // an address or mask, 0x...
	kDec               // a pid
	kCount             // a count, or a mark of none ("-", "------", "N/A")
	kName              // an image name: any number of words, none included
	kFlag              // Wow64: True, False, 0, 1
	kTime              // a time, a mark of none, or nothing
	kType              // an object type: one word or two ("ALPC Port")
	kRest              // what is left of the row
	// kTreeName: Volatility 2's pstree cell, its level in dots, the
	// process's address and its image: ".. 0x81e87020:csrss.exe".
	kTreeName
)

// slot is where a column's value goes in a row.
type slot uint8

const (
	sNone slot = iota
	sOffset
	sPID
	sPPID
	sImage
	sThreads
	sHandles
	sSession
	sCreated
	sExited
	sObject
	sValue
	sType
	sName
	sTreeName
	numSlots
)

// column is one column of a layout.
type column struct {
	kind kind
	slot slot
}

// layout is one table a plugin prints: its heading, as a Key of its
// words, and its columns in order.
type layout struct {
	what    string
	heading string
	// more: the heading may go on with columns not read (Volatility 3's
	// "File output", pstree's "Audit Cmd Path").
	more   bool
	plugin plugin
	// virtual: the offset column is the object's virtual address, which
	// a handle to the process names (not a physical offset).
	virtual bool
	cols    []column
}

var vol3Procs = []column{
	{kDec, sPID}, {kDec, sPPID}, {kName, sImage}, {kHex, sOffset}, {kCount, sThreads},
	{kCount, sHandles}, {kCount, sSession}, {kFlag, sNone}, {kTime, sCreated}, {kTime, sExited},
	{kRest, sNone},
}

var listCols = []column{
	{kHex, sOffset}, {kName, sImage}, {kDec, sPID}, {kDec, sPPID}, {kCount, sThreads},
	{kCount, sHandles}, {kCount, sSession}, {kFlag, sNone}, {kTime, sCreated}, {kTime, sExited},
}

// layouts are the tables read.
var layouts = []layout{{
	what:    "Volatility 3 process table",
	heading: "pid ppid imagefilename offset(v) threads handles sessionid wow64 createtime exittime",
	more:    true, plugin: pluginUnknown, virtual: true, cols: vol3Procs,
}, {
	// --physical: the offsets are physical, which no handle names.
	what:    "Volatility 3 process table (physical offsets)",
	heading: "pid ppid imagefilename offset(p) threads handles sessionid wow64 createtime exittime",
	more:    true, plugin: pluginUnknown, cols: vol3Procs,
}, {
	// psscan of Volatility 3 before 2.0 names its physical offset
	// "Offset".
	what:    "Volatility 3 psscan (offset unnamed)",
	heading: "pid ppid imagefilename offset threads handles sessionid wow64 createtime exittime",
	more:    true, plugin: pluginUnknown, cols: vol3Procs,
}, {
	what:    "Volatility 3 windows.handles",
	heading: "pid process offset handlevalue type grantedaccess name",
	plugin:  pluginHandles, virtual: true,
	cols: []column{{kDec, sPID}, {kName, sImage}, {kHex, sObject}, {kHex, sValue}, {kType, sType}, {kHex, sNone}, {kRest, sName}},
}, {
	what:    "Volatility 2 pslist",
	heading: "offset(v) name pid ppid thds hnds sess wow64 start exit",
	plugin:  pluginList, virtual: true, cols: listCols,
}, {
	what:    "Volatility 2 psscan",
	heading: "offset(p) name pid ppid pdb time created time exited",
	plugin:  pluginScan,
	cols:    []column{{kHex, sNone}, {kName, sImage}, {kDec, sPID}, {kDec, sPPID}, {kHex, sNone}, {kTime, sCreated}, {kTime, sExited}},
}, {
	what:    "Volatility 2 handles",
	heading: "offset(v) pid handle access type details",
	plugin:  pluginHandles, virtual: true,
	cols: []column{{kHex, sObject}, {kDec, sPID}, {kHex, sValue}, {kHex, sNone}, {kType, sType}, {kRest, sName}},
}, {
	what:    "Volatility 2 handles (physical offsets)",
	heading: "offset(p) pid handle access type details",
	plugin:  pluginHandles,
	cols:    []column{{kHex, sNone}, {kDec, sPID}, {kHex, sValue}, {kHex, sNone}, {kType, sType}, {kRest, sName}},
}, {
	what:    "Volatility 2 pstree",
	heading: "name pid ppid thds hnds time",
	plugin:  pluginList, virtual: true,
	cols: []column{{kTreeName, sTreeName}, {kDec, sPID}, {kDec, sPPID}, {kCount, sThreads}, {kCount, sHandles}, {kTime, sCreated}},
}, {
	what:    "Rekall pslist",
	heading: "_eprocess name pid ppid thread_count handle_count session_id wow64 process_create_time process_exit_time",
	plugin:  pluginList, virtual: true, cols: listCols,
}}

// v1List is Volatility 1's pslist, whose heading ("Name Pid PPid Thds
// Hnds Time") is the one of Volatility 2's pstree: the reader takes it
// for that table's when its first row fits it (reader.row), so it is no
// entry of layouts. Its time is the C library's ("Thu Jan 28 16:11:40
// 2010").
var v1List = layout{
	what:    "Volatility 1 pslist",
	heading: "name pid ppid thds hnds time",
	plugin:  pluginList,
	cols:    []column{{kName, sImage}, {kDec, sPID}, {kDec, sPPID}, {kCount, sThreads}, {kCount, sHandles}, {kTime, sCreated}},
}

// findLayout returns the layout whose heading key is, nil if none.
func findLayout(key string) *layout {
	for i := range layouts {
		l := &layouts[i]
		if key == l.heading || (l.more && len(key) > len(l.heading) && key[len(l.heading)] == ' ' && strings.HasPrefix(key, l.heading)) {
			return l
		}
	}
	return nil
}

// extraCols finds, in a tab-separated heading of Volatility 3's process
// tables, the cells past those of layout l that hold a process's
// command line (Cmd) and path (Path), -1 for none: pstree prints them
// (Audit, Cmd, Path), pslist none. The engine names what a host
// process (svchost.exe, rundll32.exe...) runs from its command line.
func extraCols(heading []byte, l *layout) (cmd, path int) {
	cmd, path = -1, -1
	if !l.more {
		return cmd, path
	}
	for i, c := range strings.Split(string(heading), "\t") {
		if i < len(l.cols)-1 {
			continue // the layout's own, the last of which (kRest) is the rest
		}
		switch strings.ToLower(strings.TrimSpace(c)) {
		case "cmd":
			cmd = i
		case "path":
			path = i
		case "cmdpath":
			// The two headings glued where a paste lost the tab between
			// them; the rows keep theirs.
			cmd, path = i, i+1
		}
	}
	return cmd, path
}
