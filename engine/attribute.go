package engine

import (
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// attribute names the component behind a process's handles, from the
// strongest evidence available (see the package documentation).
func attribute(owners []*rules.Owner, knownGood []*rules.Pattern, p *facts.Process) Component {
	if c, ok := stackComponent(owners, knownGood, p, false); ok {
		return c
	}
	if c, ok := verifierOwnerComponent(owners, knownGood, p); ok {
		return c
	}
	// The stack a verifier stop broke in on names the code that hit the
	// check, not always the code that opened the handle: it comes after
	// the DLL the stop holds responsible.
	if c, ok := stackComponent(owners, knownGood, p, true); ok {
		return c
	}
	c := attributeWithoutStacks(owners, p)
	if len(p.OpenStacks) > 0 {
		c.Reason += "; " + unresolvedNote
	}
	return c
}

// attributeWithoutStacks names the component from object names, owner
// entries and the image, for a process whose stacks name none.
func attributeWithoutStacks(owners []*rules.Owner, p *facts.Process) Component {
	total := p.HandlesParsed
	// The names the process holds most handles to, most first. A name
	// with under a tenth of the handles explains no leak, whoever owns it.
	for _, n := range p.TopNames {
		if n.Count*10 < total {
			break
		}
		if o := bestOwner(owners, p.Image, n.Name, true); o != nil {
			return Component{
				Name: o.Component, Vendor: o.Vendor, Contact: o.Contact, InferredFrom: InferredOwnerName,
				Reason: fmt.Sprintf("%s of %s handles are to %s %s, which the owner entry at %s (%s) assigns to it",
					facts.FormatCount(n.Count), facts.FormatCount(total), n.Type, n.Name, o.Pos, o.ObjectName.Text),
			}
		}
	}
	if o := bestOwner(owners, p.Image, "", false); o != nil {
		return Component{
			Name: o.Component, Vendor: o.Vendor, Contact: o.Contact, InferredFrom: InferredOwnerImage,
			Reason: fmt.Sprintf("the owner entry at %s (image %s) assigns %s to it", o.Pos, o.Image.Text, p.Image),
		}
	}
	for _, n := range p.TopNames {
		if n.Count*10 < total {
			break // a name with under a tenth of the handles explains no leak
		}
		if o, ok := originOf(n.Name); ok {
			return o.componentBecause(fmt.Sprintf("%s of %s handles are to %s %s",
				facts.FormatCount(n.Count), facts.FormatCount(total), n.Type, n.Name))
		}
		if prefix := vendorPrefix(n.Name); prefix != "" {
			return Component{
				Name: prefix, InferredFrom: InferredPrefix,
				Reason: fmt.Sprintf("%s of %s handles are to %s %s, whose name starts with %q (a guess from the name alone: confirm with an owner entry)",
					facts.FormatCount(n.Count), facts.FormatCount(total), n.Type, n.Name, prefix),
			}
		}
	}
	if c, ok := folderComponent(p, total); ok {
		return c
	}
	if c, ok := hostComponent(p); ok {
		return c
	}
	return imageComponent(p)
}

// imageComponent names the process's image, the suspect when nothing
// better names the component, with the vendor or package of the folder
// its executable is in where the capture gives its path.
func imageComponent(p *facts.Process) Component {
	const none = "no owner entry or vendor path names the component"
	if p.Image == "" {
		return Component{Name: "(unknown image)", InferredFrom: InferredImage,
			Reason: none + ", and the capture does not name the process's image"}
	}
	path := executablePath(p)
	if o, ok := originOf(path); ok {
		_, vendor := o.component()
		return Component{Name: p.Image, Vendor: vendor, InferredFrom: InferredImagePath,
			Reason: fmt.Sprintf("no owner entry or name the process holds names the component; the process image is the suspect, and its executable %s is %s", path, o.under())}
	}
	return Component{Name: p.Image, InferredFrom: InferredImage, Reason: none + "; the process image is the suspect"}
}

// executablePath is the path of the process's executable: Path where the
// capture gives it, else the first argument of its command line when that
// is a path to a file of the image's name.
func executablePath(p *facts.Process) string {
	if p.Path != "" {
		return p.Path
	}
	if p.Cmdline == "" {
		return ""
	}
	args := splitCommandLine(p.Cmdline)
	exe := func(name string) string { return strings.TrimSuffix(strings.ToLower(name), ".exe") }
	if len(args) == 0 || exe(baseName(args[0])) != exe(p.Image) {
		return ""
	}
	return args[0]
}

// folderComponent names the vendor of the folder most of the process's
// names are under (a leak of a new file or key each time, whose every
// name is held once): when the folder holds a tenth of the process's
// handles or, where the names were too many to count one by one (their
// number estimated), half of those counted.
func folderComponent(p *facts.Process, total int64) (Component, bool) {
	f := p.TopFolder
	partial := p.DistinctNamesEstimated
	if f == nil || f.Names > f.Handles || f.Handles > f.Of || f.Of > total {
		return Component{}, false // none, or figures a reader never gives (a snapshot made by hand)
	}
	if f.Handles*10 < total && !(partial && f.Handles*2 >= f.Of) {
		return Component{}, false
	}
	o, ok := originOfFolder(f.Path)
	if !ok {
		return Component{}, false
	}
	held := fmt.Sprintf("%s of %s handles are", facts.FormatCount(f.Handles), facts.FormatCount(total))
	if partial {
		held = fmt.Sprintf("%s of the %s handles counted by name (of %s) are", facts.FormatCount(f.Handles), facts.FormatCount(f.Of), facts.FormatCount(total))
	}
	return o.componentBecause(fmt.Sprintf("%s to %s %s names under %s, no one name held often",
		held, facts.FormatCount(f.Names), f.Type, f.Path)), true
}

// bestOwner returns the most specific owner entry matching the process
// image and, with byName, the object name; nil if none does. An entry
// with an object_name pattern only matches byName; one without only
// matches when not byName.
func bestOwner(owners []*rules.Owner, image, name string, byName bool) *rules.Owner {
	var best *rules.Owner
	bestSpec := -1
	for _, o := range owners {
		if o.Module != nil {
			continue // a module entry matches a stack frame (moduleOwner), never an object name or image alone
		}
		if byName != (o.ObjectName != nil) {
			continue
		}
		if o.ObjectName != nil && !o.ObjectName.Match(name) {
			continue
		}
		if o.Image != nil && !o.Image.Match(image) {
			continue
		}
		if s := specificity(o); s > bestSpec {
			best, bestSpec = o, s
		}
	}
	return best
}

func specificity(o *rules.Owner) int {
	n := 0
	for _, p := range []*rules.Pattern{o.Image, o.ObjectName, o.Module} {
		if p != nil {
			n += p.Specificity()
		}
	}
	return n
}

// windowsPrefixes are the starts of object names Windows itself uses,
// lowercase: no vendor.
var windowsPrefixes = map[string]bool{
	"global": true, "local": true, "session": true, "sessions": true, "msctf": true, "wnf": true,
	"ctf": true, "shellnotify": true, "winsta": true, "microsoft": true, "windows": true, "dwm": true,
	"termsrv": true, "rpc": true, "lrpc": true, "olepfx": true, "ole": true, "com": true, "dbwin": true,
	"crypt": true, "wininet": true, "winhttp": true, "explorer": true, "shell": true, "user": true,
	"system": true, "kernel": true, "net": true, "perf": true, "wmi": true, "etw": true, "sm": true,
	"lsa": true, "sam": true, "netlogon": true, "bits": true, "cor": true, "clr": true, "dotnet": true,
	"mscorlib": true, "immersive": true, "sessionimmersivecolorset": true, "userprofile": true,
}

// vendorPrefix guesses a vendor from a named object's own name, as in
// \BaseNamedObjects\Contoso_AgentReady or Fabrikam.Sync.Lock: a run of
// letters of four or more followed by '_', '.', '-' or ':', not one Windows
// uses. It returns "" for anything else: registry keys, files (kd's,
// Handle's and lsof's paths), devices, connections and hosts with their
// ports (localhost:6379), the names Linux gives a descriptor that is no
// file (socket:[9458743], anon_inode:[eventfd]), names without such a
// prefix.
func vendorPrefix(name string) string {
	if isRegistryKey(name) || strings.Contains(name, " {") || strings.HasPrefix(name, `\Device\`) || isFilePath(name) || strings.Contains(name, "->") ||
		strings.HasPrefix(name, "anon_inode:") || strings.Contains(name, ":[") {
		return ""
	}
	base := name
	if i := strings.LastIndexAny(name, `\/`); i >= 0 {
		base = name[i+1:]
	}
	end := 0
	for end < len(base) && (base[end] >= 'a' && base[end] <= 'z' || base[end] >= 'A' && base[end] <= 'Z') {
		end++
	}
	if end < 4 || end == len(base) || !strings.ContainsRune("_.-:", rune(base[end])) {
		return ""
	}
	if base[end] == ':' && end+1 < len(base) && (base[end+1] >= '0' && base[end+1] <= '9' || base[end+1] == '*') {
		return "" // a host and its port (localhost:6379), not a vendor
	}
	prefix := base[:end]
	if windowsPrefixes[strings.ToLower(prefix)] {
		return ""
	}
	return prefix
}

// isFilePath reports whether name is a file's path as Handle, lsof or
// /proc show it: absolute on Unix, with a drive letter, or a share's.
func isFilePath(name string) bool {
	switch {
	case strings.HasPrefix(name, "/"), strings.HasPrefix(name, `\\`):
		return true
	case len(name) > 2 && name[1] == ':' && (name[2] == '\\' || name[2] == '/'):
		c := name[0] | 0x20
		return c >= 'a' && c <= 'z'
	}
	return false
}

// stripDevice drops a kd device suffix (" {HarddiskVolume3}") from a path
// segment.
func stripDevice(s string) string {
	if i := strings.Index(s, " {"); i > 0 && strings.HasSuffix(s, "}") {
		return s[:i]
	}
	return s
}
