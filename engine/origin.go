package engine

import "strings"

// origin is what the path of an object name says of who put it there:
// Windows' vendor and product (a registry key under SOFTWARE\Vendor\Product,
// a file under Program Files\Vendor\Product or a user's AppData\Roaming\
// Vendor\Product), or, on Unix, the package whose folder holds it
// (/opt/PKG, /usr/local/PKG, /snap/PKG, a Python or Node.js library's
// site-packages/PKG or node_modules/PKG, a plugin's plugins/PKG).
type origin struct {
	vendor, product string
	pkg             string
	how             Inference
	// where says what the folder or key is, for a component's reason:
	// "registry key", "installation folder", "data folder".
	where string
}

// component returns the component an origin names, and its vendor where
// the path names one (a Unix package's folder names none).
func (o origin) component() (name, vendor string) {
	switch {
	case o.pkg != "":
		return o.pkg, ""
	case o.product != "":
		return o.vendor + " " + o.product, o.vendor
	}
	return o.vendor, o.vendor
}

// componentBecause returns the component o names, its reason what the
// process holds (held) and where that is: "..., under Contoso's registry
// key", "..., under package fabrikam's installation folder".
func (o origin) componentBecause(held string) Component {
	name, vendor := o.component()
	return Component{Name: name, Vendor: vendor, InferredFrom: o.how, Reason: held + ", " + o.under()}
}

// under says where the path is: "under Contoso's registry key", "under
// package fabrikam's installation folder".
func (o origin) under() string {
	if o.pkg != "" {
		return "under package " + o.pkg + "'s " + o.where
	}
	return "under " + o.vendor + "'s " + o.where
}

// originOfFolder reads the origin of the names under a folder (kd's
// device suffix kept): every part of its path is a folder, none the file.
func originOfFolder(dir string) (origin, bool) {
	sep := `\`
	if strings.HasPrefix(dir, "/") {
		sep = "/"
	}
	return originOf(stripDevice(dir) + sep + "*")
}

// originOf reads an object name's origin; false when its path follows no
// convention, or names Windows' own keys and folders, or a runtime's.
func originOf(name string) (origin, bool) {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '\\' || r == '/' })
	if strings.HasPrefix(name, "/") {
		return unixOrigin(parts)
	}
	return windowsOrigin(parts, isRegistryKey(name))
}

// transparent are path segments between SOFTWARE or Program Files and the
// vendor: WOW6432Node for 32-bit programs, Common Files for shared ones,
// Policies for the policy keys of a vendor's software, a user's
// AppData\Local\Programs for programs installed for that user alone.
var transparent = map[string]bool{"wow6432node": true, "common files": true, "policies": true, "programs": true}

// notThirdParty are segments where a vendor would stand that are Windows'
// own: a key or folder there names no third-party vendor.
var notThirdParty = map[string]bool{
	"microsoft": true, "windows": true, "classes": true, "windows nt": true,
	"windowsapps": true, "internet explorer": true, "windows defender": true, "windows kits": true,
	"clients": true, "registeredapplications": true, "odbc": true, "windows mail": true,
	"windows media player": true, "windows photo viewer": true, "windows sidebar": true,
	"windowspowershell": true, "modifiablewindowsapps": true, "reference assemblies": true,
	"packages": true, "regedit": true, "setup": true,
	// A user's AppData\Local and Roaming: Windows' own folders there.
	"temp": true, "crashdumps": true, "d3dscache": true, "connecteddevicesplatform": true, "comms": true,
	"history": true, "publishers": true, "virtualstore": true, "elevateddiagnostics": true,
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

// windowsOrigin reads a vendor (and product) from the parts of a name: a
// registry key under SOFTWARE\Vendor\Product (of the machine or of a
// user), a file under Program Files\Vendor\Product, ProgramData\Vendor\
// Product, or a user's AppData\Local, LocalLow or Roaming\Vendor\Product.
// Keys and folders of Windows itself name no vendor.
func windowsOrigin(parts []string, registry bool) (origin, bool) {
	for i := 0; i < len(parts)-1; i++ {
		seg := strings.ToLower(stripDevice(parts[i]))
		o := origin{how: InferredPath, where: "installation folder"}
		switch {
		case registry && seg == "software":
			o.how, o.where = InferredRegistry, "registry key"
		case !registry && (seg == "program files" || seg == "program files (x86)" || seg == "programdata"):
		case !registry && seg == "appdata" && i+1 < len(parts)-1 && appDataRoots[strings.ToLower(parts[i+1])]:
			i++ // Local, LocalLow or Roaming: the vendor comes next
			o.where = "folder in the user's profile"
		default:
			continue
		}
		j := i + 1
		for j < len(parts) && transparent[strings.ToLower(stripDevice(parts[j]))] {
			j++
		}
		if j >= len(parts) {
			return origin{}, false
		}
		o.vendor = stripDevice(parts[j])
		if v := strings.ToLower(o.vendor); notThirdParty[v] || strings.HasPrefix(v, "microsoft") || windowsRuntime(v) {
			return origin{}, false
		}
		// The segment after the vendor is its product, unless it is the
		// file itself.
		if j+1 < len(parts)-1 || (o.how == InferredRegistry && j+1 < len(parts)) {
			o.product = stripDevice(parts[j+1])
		}
		return o, true
	}
	return origin{}, false
}

// windowsRuntime reports whether a folder under Program Files is a
// language runtime's (Java, jdk-17, Python311, nodejs, dotnet,
// PowerShell): whose files a program opens, or which runs it, names the
// program's language, not its vendor.
func windowsRuntime(v string) bool {
	switch v {
	case "nodejs", "powershell", "eclipse adoptium", "eclipse foundation", "amazon corretto", "zulu", "bellsoft":
		return true
	}
	return notAPackage(v) && !systemDirs[v]
}

// appDataRoots are the folders of a user's AppData a vendor's folder is
// in; Temp, Programs and the rest are Windows'.
var appDataRoots = map[string]bool{"local": true, "locallow": true, "roaming": true}

// unixOrigin reads the package whose folder holds a Unix path (its parts):
// a Python or Node.js library's folder anywhere (site-packages/PKG,
// dist-packages/PKG, node_modules/PKG or node_modules/@scope/PKG) or a
// plugin's (plugins/PKG), else
// /opt/PKG (/var/opt/PKG, /etc/opt/PKG), /usr/local/PKG and /snap/PKG,
// the folders a package is installed in. The system's own folders and a
// language runtime's (/opt/java, /usr/local/lib) name no package. Data
// and logs (/var/lib/PKG, /var/log/PKG) name none either: another
// program often holds them (a log shipper the logs it reads, a backup
// agent a database's files), and that program is the suspect.
func unixOrigin(parts []string) (origin, bool) {
	for i := 0; i+1 < len(parts)-1; i++ {
		switch parts[i] {
		case "site-packages", "dist-packages":
			pkg := parts[i+1]
			if strings.HasSuffix(pkg, ".py") || strings.HasPrefix(pkg, "_") || strings.HasSuffix(pkg, ".dist-info") || strings.HasSuffix(pkg, ".egg-info") {
				return origin{}, false
			}
			return origin{pkg: pkg, how: InferredPath, where: "Python library folder"}, true
		case "plugins":
			// A plugin's own folder (a Bukkit or Jenkins plugins/NAME/,
			// WordPress's wp-content/plugins/NAME/).
			return origin{pkg: parts[i+1], how: InferredPath, where: "plugin folder"}, true
		case "node_modules":
			pkg := parts[i+1]
			if strings.HasPrefix(pkg, "@") && i+2 < len(parts)-1 {
				pkg += "/" + parts[i+2]
			}
			if strings.HasPrefix(pkg, ".") {
				return origin{}, false
			}
			return origin{pkg: pkg, how: InferredPath, where: "Node.js library folder"}, true
		}
	}
	if len(parts) < 3 {
		return origin{}, false
	}
	top, dir := parts[0], 1
	switch {
	case top == "opt", top == "snap":
	case (top == "var" || top == "etc") && parts[1] == "opt":
		dir = 2
	case top == "usr" && parts[1] == "local":
		dir = 2
	default:
		return origin{}, false
	}
	if dir >= len(parts)-1 {
		return origin{}, false // the file itself, in no package's folder
	}
	pkg := parts[dir]
	if notAPackage(pkg) {
		return origin{}, false
	}
	return origin{pkg: pkg, how: InferredPath, where: "installation folder"}, true
}

// systemDirs are folders under /opt and /usr/local that are the system's
// or a package manager's, not a package's.
var systemDirs = map[string]bool{
	"bin": true, "sbin": true, "lib": true, "lib32": true, "lib64": true, "libexec": true, "share": true,
	"include": true, "src": true, "etc": true, "var": true, "man": true, "games": true, "tmp": true,
	"homebrew": true, "local": true, "rh": true, "venv": true, "virtualenv": true,
}

// runtimes are the folders, with or without a version after them,
// language runtimes and their distributions are installed in (/opt/java,
// /opt/jdk-17, /usr/local/python3.12, /opt/conda), and snap's bases
// (/snap/core22): whose files a program opens names the program's
// language or system, not its package.
var runtimes = []string{
	"java", "jdk", "jre", "openjdk", "graalvm", "zulu", "temurin", "corretto", "python", "pypy", "conda",
	"anaconda", "miniconda", "miniforge", "mambaforge", "node", "ruby", "go", "dotnet", "perl", "php", "erlang",
	"core",
}

// notAPackage reports whether a folder under /opt, /usr/local or /snap is
// the system's or a runtime's.
func notAPackage(dir string) bool {
	d := strings.ToLower(dir)
	if systemDirs[d] || strings.HasPrefix(d, ".") {
		return true
	}
	for _, r := range runtimes {
		if d == r || strings.HasPrefix(d, r) && versioned(d[len(r):]) {
			return true
		}
	}
	return false
}

// versioned reports whether what follows a runtime's name is its version:
// "17", "1.8.0_202", ".11", "-17", "-v18.2" (not "_exporter", "-agent").
func versioned(rest string) bool {
	rest = strings.TrimPrefix(rest, "-")
	rest = strings.TrimPrefix(rest, "v")
	return rest != "" && (rest[0] >= '0' && rest[0] <= '9' || rest[0] == '.')
}
