package facts

import (
	"cmp"
	"slices"
	"strings"
)

// Folder is the folder most of a process's named handles of one type are
// under, where no one name is held often: a leak that opens a new file per
// request (\ProgramData\Contoso\Agent\Spool\request-1, request-2, ...)
// or a registry key per session holds each name once, so TopNames says
// little, but they all share a folder.
type Folder struct {
	Type string `json:"type"`
	// Path is the folder: a file's directory, a key's parent key, with
	// kd's device suffix (" {HarddiskVolume3}") kept.
	Path string `json:"path"`
	// Handles counts the handles to names under Path, and Names those
	// names, among the named handles counted name by name (Of): every
	// one, up to NameTableLimit distinct names; past it, those of the
	// names the process's table held when the reader left the process
	// (a Space-Saving summary: the most held and the latest), so Handles
	// and Names are then lower bounds, and Of is short of the named
	// handles.
	Handles int64 `json:"handles"`
	Names   int64 `json:"names"`
	Of      int64 `json:"of"`
}

// Bounds of Process.TopFolder.
const (
	// folderMinNames: a folder of fewer names is no pattern.
	folderMinNames = 3
	// folderKeep is how many folders a process's tally keeps between the
	// passes that count names into it, the most held: a capture's
	// processes are tallied as the reader leaves them, and kept to the
	// end of the capture.
	folderKeep = 4
	// folderTallyLimit bounds the folders one pass counts: past it, names
	// under other folders are counted in Of only.
	folderTallyLimit = 4096
	// folderTallyFrom: a process is tallied when its name table holds at
	// least this many names as the reader leaves it or finishes it. A
	// leak of a new name each time fills the table (NameTableLimit); the
	// hundreds of names of a busy process are left alone (a first version
	// that tallied every process, each tally kept whole to the end of the
	// read, took bench/perf.sh's 550 MB capture well past its 64 MB goal).
	folderTallyFrom = 1024
)

// splitFolder returns the folder a name is under, what comes before its
// last '\' or '/', and kd's device suffix (" {HarddiskVolume3}") apart,
// both parts of name; false for a name in no folder or right under a
// root (\Endpoint, C:\x, /x).
func splitFolder(name string) (dir, device string, ok bool) {
	base := name
	if i := strings.LastIndex(name, " {"); i > 0 && strings.HasSuffix(name, "}") {
		base, device = name[:i], name[i:]
	}
	i := strings.LastIndexAny(base, `\/`)
	if i <= 0 || i == len(base)-1 {
		return "", "", false
	}
	dir = base[:i]
	if len(dir) == 2 && dir[1] == ':' {
		return "", "", false // a drive's root
	}
	return dir, device, true
}

// folderKey is a folder of names of one type (its id in the process's
// list of types), its device suffix apart: both are parts of a name, so
// counting a name costs no string.
type folderKey struct {
	typ         uint32
	dir, device string
}

// folderCount is what a tally counted under one folder.
type folderCount struct {
	key            folderKey
	handles, names int64
}

// folderTally counts a process's named handles by folder, a pass at a
// time as names leave its name table: those a seal lets go of when the
// reader turns to another process, then those left when the process is
// finished. Between passes it keeps the folderKeep folders with the most
// handles (a leak's folder gains at every pass). A seal of fewer than
// folderTallyFrom names lets them go uncounted: the tally is incomplete
// then, and names no folder.
type folderTally struct {
	kept       []folderCount
	of         int64
	pass       map[folderKey]int // index in kept during a pass
	incomplete bool
}

// begin starts a pass.
func (f *folderTally) begin() {
	f.pass = make(map[folderKey]int, len(f.kept))
	for i, c := range f.kept {
		f.pass[c.key] = i
	}
}

// add counts handles to name, of type typ, in the pass begun.
func (f *folderTally) add(typ uint32, name string, handles int64) {
	f.of += handles
	dir, device, ok := splitFolder(name)
	if !ok {
		return
	}
	k := folderKey{typ, dir, device}
	i, seen := f.pass[k]
	if !seen {
		if len(f.pass) >= folderTallyLimit {
			return
		}
		i = len(f.kept)
		f.pass[k] = i
		f.kept = append(f.kept, folderCount{key: k})
	}
	f.kept[i].handles += handles
	f.kept[i].names++
}

// end ends a pass, keeping the folderKeep folders first in Folder's
// order: most handles, then most names, then by type (typeName giving
// a type's name) and path.
func (f *folderTally) end(typeName func(uint32) string) {
	f.pass = nil
	slices.SortFunc(f.kept, func(a, b folderCount) int {
		switch {
		case a.handles != b.handles:
			return cmp.Compare(b.handles, a.handles)
		case a.names != b.names:
			return cmp.Compare(b.names, a.names)
		case a.key.typ != b.key.typ:
			return strings.Compare(typeName(a.key.typ), typeName(b.key.typ))
		}
		return strings.Compare(a.key.dir+a.key.device, b.key.dir+b.key.device)
	})
	if len(f.kept) > folderKeep {
		f.kept = slices.Clone(f.kept[:folderKeep]) // the pass's array goes
	}
}

// top returns the first folder kept (end's order) that explains what the
// top name does not: at least folderMinNames names, twice the handles of
// the most held name (topName), and a tenth of the handles counted.
func (f *folderTally) top(typeName func(uint32) string, topName int64) *Folder {
	if f.incomplete {
		return nil
	}
	for _, c := range f.kept {
		if c.names >= folderMinNames && c.handles >= 2*topName && c.handles*10 >= f.of {
			return &Folder{Type: typeName(c.key.typ), Path: c.key.dir + c.key.device, Handles: c.handles, Names: c.names, Of: f.of}
		}
	}
	return nil
}
