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
		if vendor, product, how := vendorInName(n.Name); vendor != "" {
			name := vendor
			if product != "" {
				name = vendor + " " + product
			}
			return Component{
				Name: name, Vendor: vendor, InferredFrom: how,
				Reason: fmt.Sprintf("%s of %s handles are to %s %s, under %s's %s",
					facts.FormatCount(n.Count), facts.FormatCount(total), n.Type, n.Name, vendor, map[Inference]string{
						InferredRegistry: "registry key", InferredPath: "installation folder",
					}[how]),
			}
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
	image := p.Image
	if image == "" {
		image = "(unknown image)"
	}
	return Component{Name: image, InferredFrom: InferredImage,
		Reason: "no owner entry or vendor path names the component; the process image is the suspect"}
}

// folderComponent names the vendor of the folder most of the process's
// names are under (a leak of a new file or key each time, whose every
// name is held once): when the folder holds a tenth of the process's
// handles or, where the names were too many to count one by one (their
// number estimated), half of those counted.
func folderComponent(p *facts.Process, total int64) (Component, bool) {
	f := p.TopFolder
	partial := p.DistinctNamesEstimated
	if f == nil || (f.Handles*10 < total && !(partial && f.Handles*2 >= f.Of)) {
		return Component{}, false
	}
	vendor, product, how := vendorInName(stripDevice(f.Path) + `\*`)
	if vendor == "" {
		return Component{}, false
	}
	name := vendor
	if product != "" {
		name = vendor + " " + product
	}
	held := fmt.Sprintf("%s of %s handles are", facts.FormatCount(f.Handles), facts.FormatCount(total))
	if partial {
		held = fmt.Sprintf("%s of the %s handles counted by name (of %s) are", facts.FormatCount(f.Handles), facts.FormatCount(f.Of), facts.FormatCount(total))
	}
	return Component{
		Name: name, Vendor: vendor, InferredFrom: how,
		Reason: fmt.Sprintf("%s to %s %s names under %s, no one name held often, under %s's %s",
			held, facts.FormatCount(f.Names), f.Type, f.Path, vendor, map[Inference]string{
				InferredRegistry: "registry key", InferredPath: "installation folder",
			}[how]),
	}, true
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

// transparent are path segments between SOFTWARE or Program Files and the
// vendor: WOW6432Node for 32-bit programs, Common Files for shared ones,
// Policies for the policy keys of a vendor's software.
var transparent = map[string]bool{"wow6432node": true, "common files": true, "policies": true}

// notThirdParty are segments where a vendor would stand that are Windows'
// own: a key or folder there names no third-party vendor.
var notThirdParty = map[string]bool{
	"microsoft": true, "windows": true, "classes": true, "windows nt": true,
	"windowsapps": true, "internet explorer": true, "windows defender": true, "windows kits": true,
	"clients": true, "registeredapplications": true, "odbc": true, "windows mail": true,
	"windows media player": true, "windows photo viewer": true, "windows sidebar": true,
	"windowspowershell": true, "modifiablewindowsapps": true, "reference assemblies": true,
	"packages": true, "regedit": true, "setup": true,
}

// registryRoots are the first segments of a registry key's name, lowercase:
// the kernel's (\REGISTRY\MACHINE\..., as kd prints it), the root keys'
// and their abbreviations (HKLM\SOFTWARE\..., as Handle, Process Explorer
// and System Informer print them), and the hives' names alone
// (MACHINE\SOFTWARE\..., as Volatility's windows.handles prints them).
var registryRoots = map[string]bool{
	"registry": true, "machine": true, "user": true,
	"hklm": true, "hkcu": true, "hku": true, "hkcr": true, "hkcc": true,
	"hkey_local_machine": true, "hkey_current_user": true, "hkey_users": true,
	"hkey_classes_root": true, "hkey_current_config": true,
}

// isRegistryKey reports whether name is a registry key's as one of the
// tools leakdiag reads prints it.
func isRegistryKey(name string) bool {
	name = strings.TrimPrefix(name, `\`)
	root, _, nested := strings.Cut(name, `\`)
	return nested && registryRoots[strings.ToLower(root)]
}

// vendorInName reads a vendor (and product) from an object name: a
// registry key under SOFTWARE\Vendor\Product (of the machine or of a user),
// a file under Program Files\Vendor\Product or ProgramData\Vendor\Product.
// Keys and folders of Windows itself name no vendor.
func vendorInName(name string) (vendor, product string, how Inference) {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '\\' || r == '/' })
	registry := isRegistryKey(name)
	for i := 0; i < len(parts)-1; i++ {
		seg := strings.ToLower(stripDevice(parts[i]))
		switch {
		case registry && seg == "software":
			how = InferredRegistry
		case !registry && (seg == "program files" || seg == "program files (x86)" || seg == "programdata"):
			how = InferredPath
		default:
			continue
		}
		j := i + 1
		for j < len(parts) && transparent[strings.ToLower(stripDevice(parts[j]))] {
			j++
		}
		if j >= len(parts) {
			return "", "", ""
		}
		vendor = stripDevice(parts[j])
		if v := strings.ToLower(vendor); notThirdParty[v] || strings.HasPrefix(v, "microsoft") {
			return "", "", ""
		}
		// The segment after the vendor is its product, unless it is the
		// file itself.
		if j+1 < len(parts)-1 || (how == InferredRegistry && j+1 < len(parts)) {
			product = stripDevice(parts[j+1])
		}
		return vendor, product, how
	}
	return "", "", ""
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
