package engine_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// allRule fires for every process, so each case's one process gets one
// finding, attributed.
const allRule = `
rules:
  - id: T-ALL
    title: Every process
    when: "true"
`

const (
	contosoKey = `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`
	// ownersFile has an image owner more specific (more literal
	// characters) than its object_name owner: the kind of evidence must
	// decide, not the length of the pattern.
	ownersFile = `#name: owners.yaml
owners:
  - match: {image: ContosoAgentServiceHost.exe}
    component: By image
  - match: {object_name: '*\Contoso\*'}
    component: Contoso Agent
    vendor: Contoso Ltd.
    contact: support@contoso.example
`
)

type attributionCase struct {
	name    string
	owners  string // a rule file with owners, or ""
	image   string
	handles []hs
	want    engine.Component // Reason aside
	reason  []string         // what Reason must say
}

var attributionCases = []attributionCase{
	// Owners.
	{
		name: "object_name owner beats a more specific image owner", owners: ownersFile,
		image:   "ContosoAgentServiceHost.exe",
		handles: []hs{{"Key", contosoKey, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso Ltd.", Contact: "support@contoso.example", InferredFrom: "owner:object_name"},
		reason:  []string{"900 of 1,000 handles", "Key " + contosoKey, "owners.yaml:5:5", `*\Contoso\*`},
	},
	{
		name: "object_name owner of the second top name beats the image owner", owners: ownersFile,
		image:   "ContosoAgentServiceHost.exe",
		handles: []hs{{"Event", `\BaseNamedObjects\Unowned`, 600}, {"Key", contosoKey, 300}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso Ltd.", Contact: "support@contoso.example", InferredFrom: "owner:object_name"},
		reason:  []string{"300 of 1,000 handles", "Key " + contosoKey, "owners.yaml:5:5"},
	},
	{
		name: "image owner when no object_name owner matches", owners: ownersFile,
		image:   "ContosoAgentServiceHost.exe",
		handles: []hs{{"Event", "", 1000}},
		want:    engine.Component{Name: "By image", InferredFrom: "owner:image"},
		reason:  []string{"owners.yaml:3:5", "ContosoAgentServiceHost.exe"},
	},
	{
		name: "most specific object_name owner wins, wherever it is listed",
		owners: `#name: owners.yaml
owners:
  - match: {object_name: '\REGISTRY\MACHINE\SOFTWARE\*'}
    component: Any software
  - match: {object_name: '\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\*'}
    component: Contoso Agent
    vendor: Contoso
  - match: {object_name: '*Contoso*'}
    component: Anything Contoso
`,
		image:   "ContosoAgent.exe",
		handles: []hs{{"Key", contosoKey, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso", InferredFrom: "owner:object_name"},
		reason:  []string{"900 of 1,000 handles", "owners.yaml:5:5", `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\*`},
	},
	{
		name: "an owner matching image and object name beats one matching the name alone",
		owners: `#name: owners.yaml
owners:
  - match: {object_name: '\REGISTRY\MACHINE\SOFTWARE\Contoso\*'}
    component: Contoso Platform
  - match: {image: contosoagent.exe, object_name: '\REGISTRY\MACHINE\SOFTWARE\Contoso\*'}
    component: Contoso Agent
`,
		image:   "ContosoAgent.exe",
		handles: []hs{{"Key", contosoKey, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", InferredFrom: "owner:object_name"},
		reason:  []string{"900 of 1,000 handles", "owners.yaml:5:5"},
	},
	{
		name: "an object_name owner for another image does not match",
		owners: `#name: owners.yaml
owners:
  - match: {image: other.exe, object_name: '*\Contoso\*'}
    component: Other
`,
		image:   "ContosoAgent.exe",
		handles: []hs{{"Key", contosoKey, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso", InferredFrom: "object_name:registry"},
		reason:  []string{"900 of 1,000 handles", "Key " + contosoKey},
	},
	{
		name: "most specific image owner wins",
		owners: `#name: owners.yaml
owners:
  - match: {image: '*.exe'}
    component: Any program
  - match: {image: 'contoso*.exe'}
    component: Contoso Agent
    vendor: Contoso
  - match: {image: 'c*'}
    component: C
`,
		image:   "ContosoAgent.exe",
		handles: []hs{{"Event", "", 1000}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso", InferredFrom: "owner:image"},
		reason:  []string{"owners.yaml:5:5", "contoso*.exe", "ContosoAgent.exe"},
	},
	{
		name: "owner globs ignore case",
		owners: `#name: owners.yaml
owners:
  - match: {object_name: '\registry\machine\software\contoso\*'}
    component: Contoso Agent
`,
		image:   "ContosoAgent.exe",
		handles: []hs{{"Key", contosoKey, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", InferredFrom: "owner:object_name"},
		reason:  []string{"900 of 1,000 handles"},
	},
	{
		name: "a module-only owner is not used (no stacks are read)",
		owners: `#name: owners.yaml
owners:
  - match: {module: contoso.dll}
    component: Contoso Hook
`,
		image:   "ContosoAgent.exe",
		handles: []hs{{"Event", "", 1000}},
		want:    engine.Component{Name: "ContosoAgent.exe", InferredFrom: "image"},
	},
	{
		// Every pattern an owner sets must match; a module cannot be
		// checked without stacks, so this owner cannot be confirmed and
		// must not claim every explorer.exe.
		name: "an owner of image and module is not a match on the image alone",
		owners: `#name: owners.yaml
owners:
  - match: {image: explorer.exe, module: contososhell.dll}
    component: Contoso Shell Extension
`,
		image:   "explorer.exe",
		handles: []hs{{"Event", "", 1000}},
		want:    engine.Component{Name: "explorer.exe", InferredFrom: "image"},
	},
	{
		// A process the capture names by pid alone (Handle's summary of
		// one process, its command line not shown): the reason says the
		// image is unknown, not that it is the suspect.
		name:    "no image",
		handles: []hs{{"Event", "", 1000}},
		want:    engine.Component{Name: "(unknown image)", InferredFrom: "image"},
		reason:  []string{"the capture does not name the process's image"},
	},
	{
		// docs/rules.md: an owner entry whose object_name glob matches a
		// name the process holds *many* handles to. One handle of 1,000
		// is not many (under the tenth the engine itself requires of a
		// vendor path); the image owner is the better evidence.
		name: "an object_name owner of a name with 1 of 1,000 handles does not beat the image owner",
		owners: `#name: owners.yaml
owners:
  - match: {image: contosoagent.exe}
    component: Contoso Agent
  - match: {object_name: '\BaseNamedObjects\Fabrikam*'}
    component: Fabrikam Sync
`,
		image:   "ContosoAgent.exe",
		handles: []hs{{"Event", `\BaseNamedObjects\FabrikamReady`, 1}, {"Event", "", 999}},
		want:    engine.Component{Name: "Contoso Agent", InferredFrom: "owner:image"},
		reason:  []string{"owners.yaml:3:5"},
	},

	// Vendors in registry paths.
	{
		name: "registry key under SOFTWARE\\Vendor\\Product", image: "ContosoAgent.exe",
		handles: []hs{{"Key", contosoKey, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso", InferredFrom: "object_name:registry"},
		reason:  []string{"900 of 1,000 handles", "Key " + contosoKey, "Contoso"},
	},
	{
		name: "the vendor's own key", image: "ContosoAgent.exe",
		handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso", Vendor: "Contoso", InferredFrom: "object_name:registry"},
		reason:  []string{"900 of 1,000 handles"},
	},
	{
		name: "the product's key", image: "ContosoAgent.exe",
		handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso", InferredFrom: "object_name:registry"},
		reason:  []string{"900 of 1,000 handles"},
	},
	{
		name: "WOW6432Node is skipped", image: "syncsvc.exe",
		handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\WOW6432Node\Fabrikam\Sync\State`, 500}, {"Event", "", 500}},
		want:    engine.Component{Name: "Fabrikam Sync", Vendor: "Fabrikam", InferredFrom: "object_name:registry"},
		reason:  []string{"500 of 1,000 handles"},
	},
	{
		name: "Policies is skipped", image: "syncsvc.exe",
		handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\Policies\Fabrikam\Sync`, 500}, {"Event", "", 500}},
		want:    engine.Component{Name: "Fabrikam Sync", Vendor: "Fabrikam", InferredFrom: "object_name:registry"},
		reason:  []string{"500 of 1,000 handles"},
	},
	{
		name: "a user's Software key", image: "syncsvc.exe",
		handles: []hs{{"Key", `\REGISTRY\USER\S-1-5-21-1004336348-1177238915-682003330-1001\Software\Fabrikam\Sync\Cache`, 500}, {"Event", "", 500}},
		want:    engine.Component{Name: "Fabrikam Sync", Vendor: "Fabrikam", InferredFrom: "object_name:registry"},
		reason:  []string{"500 of 1,000 handles"},
	},
	// Handle, Process Explorer and System Informer print keys from their
	// root key (HKLM, HKCU, HKEY_USERS), Volatility from the hive.
	{
		name: "Handle's HKLM form", image: "syncsvc.exe",
		handles: []hs{{"Key", `HKLM\SOFTWARE\Fabrikam\Sync\State`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Fabrikam Sync", Vendor: "Fabrikam", InferredFrom: "object_name:registry"},
		reason:  []string{"900 of 1,000 handles", `Key HKLM\SOFTWARE\Fabrikam\Sync\State`, "Fabrikam"},
	},
	{
		name: "Handle's HKCU form", image: "syncsvc.exe",
		handles: []hs{{"Key", `HKCU\Software\WOW6432Node\Fabrikam\Sync_Settings`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Fabrikam Sync_Settings", Vendor: "Fabrikam", InferredFrom: "object_name:registry"},
	},
	{
		name: "HKEY_USERS spelled out", image: "syncsvc.exe",
		handles: []hs{{"Key", `HKEY_USERS\S-1-5-21-1004336348-1177238915-682003330-1001\Software\Fabrikam\Sync`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Fabrikam Sync", Vendor: "Fabrikam", InferredFrom: "object_name:registry"},
	},
	{
		name: "Volatility's hive form", image: "syncsvc.exe",
		handles: []hs{{"Key", `MACHINE\SOFTWARE\FABRIKAM\SYNC`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "FABRIKAM SYNC", Vendor: "FABRIKAM", InferredFrom: "object_name:registry"},
	},
	{
		// A key's leaf is no named object: Sync_Cache names no vendor
		// Sync.
		name: "no prefix guess from a key's leaf", image: "syncsvc.exe",
		handles: []hs{{"Key", `HKLM\SYSTEM\CurrentControlSet\Services\Sync_Cache`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "syncsvc.exe", InferredFrom: "image"},
	},
	{
		name: "no vendor under HKLM\\SOFTWARE\\Microsoft", image: "ContosoAgent.exe",
		handles: []hs{{"Key", `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "ContosoAgent.exe", InferredFrom: "image"},
	},
	{
		// Skipping Microsoft must not make the next segment a vendor:
		// CurrentVersion is not one.
		name: "no vendor under SOFTWARE\\Microsoft", image: "ContosoAgent.exe",
		handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "ContosoAgent.exe", InferredFrom: "image"},
	},
	{
		name: "no vendor under SOFTWARE\\WOW6432Node\\Microsoft", image: "ContosoAgent.exe",
		handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\WOW6432Node\Microsoft\Cryptography\RNG`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "ContosoAgent.exe", InferredFrom: "image"},
	},
	{
		name: "no vendor under SOFTWARE\\Classes", image: "ContosoAgent.exe",
		handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\Classes\CLSID\{00021401-0000-0000-C000-000000000046}\InprocServer32`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "ContosoAgent.exe", InferredFrom: "image"},
	},
	{
		name: "no vendor under SOFTWARE\\Policies\\Microsoft", image: "ContosoAgent.exe",
		handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "ContosoAgent.exe", InferredFrom: "image"},
	},

	// A vendor's folder in a user's profile.
	{
		name: "AppData\\Roaming\\Vendor\\Product", image: "syncsvc.exe",
		handles: []hs{{"File", `C:\Users\bob\AppData\Roaming\Fabrikam\Sync\cache.db`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Fabrikam Sync", Vendor: "Fabrikam", InferredFrom: "object_name:path"},
		reason:  []string{"under Fabrikam's folder in the user's profile"},
	},
	{
		name: "no vendor in AppData\\Local\\Temp", image: "syncsvc.exe",
		handles: []hs{{"File", `C:\Users\bob\AppData\Local\Temp\Fabrikam\cache.db`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "syncsvc.exe", InferredFrom: "image"},
	},

	// Unix packages' folders name the package (no vendor).
	{
		name: "a Python library's file", image: "python3",
		handles: []hs{{"REG", "/usr/lib/python3/dist-packages/certifi/cacert.pem", 900}, {"sock", "", 100}},
		want:    engine.Component{Name: "certifi", InferredFrom: "object_name:path"},
		reason:  []string{"900 of 1,000 handles", "under package certifi's Python library folder"},
	},
	{
		name: "a plugin's file", image: "java",
		handles: []hs{{"REG", "/srv/game/plugins/Fabrikam/players/1.json", 900}, {"sock", "", 100}},
		want:    engine.Component{Name: "Fabrikam", InferredFrom: "object_name:path"},
		reason:  []string{"under package Fabrikam's plugin folder"},
	},
	{
		name: "a scoped Node.js library's file", image: "node",
		handles: []hs{{"REG", "/srv/app/node_modules/@fabrikam/client/certs/ca.pem", 900}, {"sock", "", 100}},
		want:    engine.Component{Name: "@fabrikam/client", InferredFrom: "object_name:path"},
	},
	{
		name: "a file under /opt/PKG", image: "java",
		handles: []hs{{"REG", "/opt/fabrikam-agent/spool/queue.dat", 900}, {"sock", "", 100}},
		want:    engine.Component{Name: "fabrikam-agent", InferredFrom: "object_name:path"},
		reason:  []string{"under package fabrikam-agent's installation folder"},
	},
	{
		// A log shipper holds the logs it reads: the folder's package is
		// not the suspect.
		name: "no package for a log", image: "shipper",
		handles: []hs{{"REG", "/var/log/fabrikam/agent.log", 900}, {"sock", "", 100}},
		want:    engine.Component{Name: "shipper", InferredFrom: "image"},
	},
	{
		name: "an exporter is no runtime", image: "node_exporter",
		handles: []hs{{"REG", "/opt/node_exporter/textfile/metrics.prom", 900}, {"sock", "", 100}},
		want:    engine.Component{Name: "node_exporter", InferredFrom: "object_name:path"},
	},
	{
		name: "no package in a runtime's folder", image: "java",
		handles: []hs{{"REG", "/opt/jdk-17.0.2/lib/modules", 900}, {"sock", "", 100}},
		want:    engine.Component{Name: "java", InferredFrom: "image"},
	},
	{
		name: "no package in the system's folders", image: "java",
		handles: []hs{{"REG", "/usr/local/lib/libfabrikam.so", 900}, {"sock", "", 100}},
		want:    engine.Component{Name: "java", InferredFrom: "image"},
	},

	// Vendors in file paths, with kd's device suffix.
	{
		name: "a file under Program Files\\Vendor\\Product", image: "scanner.exe",
		handles: []hs{{"File", `\Program Files\Contoso\Scanner\engine.dat {HarddiskVolume3}`, 700}, {"Event", "", 300}},
		want:    engine.Component{Name: "Contoso Scanner", Vendor: "Contoso", InferredFrom: "object_name:path"},
		reason:  []string{"700 of 1,000 handles", `File \Program Files\Contoso\Scanner\engine.dat {HarddiskVolume3}`, "Contoso"},
	},
	{
		name: "a file under ProgramData\\Vendor\\Product", image: "scanner.exe",
		handles: []hs{{"File", `\ProgramData\Contoso\Scanner\scan.log {HarddiskVolume3}`, 700}, {"Event", "", 300}},
		want:    engine.Component{Name: "Contoso Scanner", Vendor: "Contoso", InferredFrom: "object_name:path"},
		reason:  []string{"700 of 1,000 handles"},
	},
	{
		name: "a file under Program Files (x86)", image: "printmon.exe",
		handles: []hs{{"File", `\Program Files (x86)\Fabrikam\PrintMon\spool.tmp {HarddiskVolume3}`, 700}, {"Event", "", 300}},
		want:    engine.Component{Name: "Fabrikam PrintMon", Vendor: "Fabrikam", InferredFrom: "object_name:path"},
		reason:  []string{"700 of 1,000 handles"},
	},
	{
		name: "the vendor's folder itself, device suffix stripped", image: "scanner.exe",
		handles: []hs{{"File", `\Program Files\Contoso {HarddiskVolume3}`, 700}, {"Event", "", 300}},
		want:    engine.Component{Name: "Contoso", Vendor: "Contoso", InferredFrom: "object_name:path"},
		reason:  []string{"700 of 1,000 handles"},
	},
	{
		name: "a device path", image: "syncsvc.exe",
		handles: []hs{{"File", `\Device\HarddiskVolume3\ProgramData\Fabrikam\Sync\state.db`, 700}, {"Event", "", 300}},
		want:    engine.Component{Name: "Fabrikam Sync", Vendor: "Fabrikam", InferredFrom: "object_name:path"},
		reason:  []string{"700 of 1,000 handles"},
	},
	{
		name: "a program right in the vendor's folder", image: "agent.exe",
		handles: []hs{{"File", `\Program Files\Contoso\agent.exe {HarddiskVolume3}`, 700}, {"Event", "", 300}},
		want:    engine.Component{Name: "Contoso", Vendor: "Contoso", InferredFrom: "object_name:path"},
		reason:  []string{"700 of 1,000 handles"},
	},
	{
		// SOFTWARE\Vendor is a registry path; a folder named Software on
		// disk is no registry key and no installation folder.
		name: "a file in a folder named Software is not a registry key", image: "notes.exe",
		handles: []hs{{"File", `\Users\Public\Software\Contoso\notes.txt {HarddiskVolume3}`, 700}, {"Event", "", 300}},
		want:    engine.Component{Name: "notes.exe", InferredFrom: "image"},
	},
	{
		name: "Common Files is skipped", image: "scanner.exe",
		handles: []hs{{"File", `\Program Files\Common Files\Contoso\Shared\hook.dll {HarddiskVolume3}`, 700}, {"Event", "", 300}},
		want:    engine.Component{Name: "Contoso Shared", Vendor: "Contoso", InferredFrom: "object_name:path"},
		reason:  []string{"700 of 1,000 handles"},
	},

	// How many handles a vendor path needs.
	{
		name: "no vendor when the top name holds under a tenth", image: "ContosoAgent.exe",
		handles: []hs{{"Key", contosoKey, 99}, {"Event", "", 901}},
		want:    engine.Component{Name: "ContosoAgent.exe", InferredFrom: "image"},
	},
	{
		name: "a vendor when the top name holds exactly a tenth", image: "ContosoAgent.exe",
		handles: []hs{{"Key", contosoKey, 100}, {"Event", "", 900}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso", InferredFrom: "object_name:registry"},
		reason:  []string{"100 of 1,000 handles"},
	},
	{
		name: "a vendor from the second name when the first names none", image: "ContosoAgent.exe",
		handles: []hs{{"Event", `\BaseNamedObjects\Global\SyncReady`, 600}, {"Key", contosoKey, 300}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso", InferredFrom: "object_name:registry"},
		reason:  []string{"300 of 1,000 handles", "Key " + contosoKey},
	},
	{
		name: "no vendor from a second name under a tenth", image: "ContosoAgent.exe",
		handles: []hs{{"Event", `\BaseNamedObjects\Global\SyncReady`, 950}, {"Key", contosoKey, 50}},
		want:    engine.Component{Name: "ContosoAgent.exe", InferredFrom: "image"},
	},

	// The image, failing all else.
	{
		name: "the image", image: "ContosoAgent.exe",
		handles: []hs{{"Event", "", 1000}},
		want:    engine.Component{Name: "ContosoAgent.exe", InferredFrom: "image"},
	},
	{
		name: "no image", image: "",
		handles: []hs{{"Event", "", 1000}},
		want:    engine.Component{Name: "(unknown image)", InferredFrom: "image"},
	},
}

func TestAttribution(t *testing.T) {
	for _, c := range attributionCases {
		t.Run(c.name, func(t *testing.T) {
			files := []string{allRule}
			if c.owners != "" {
				files = append(files, c.owners)
			}
			set := load(t, files...)
			snap := build(t, 2000, proc{addr: "a0", pid: 0x1f4, image: c.image, line: 10, handles: c.handles})
			rep := run(t, set, snap, engine.Options{})
			if len(rep.Findings) != 1 {
				t.Fatalf("%d findings, want 1", len(rep.Findings))
			}
			got := rep.Findings[0].Component
			if got.Reason == "" {
				t.Errorf("component %+v has no reason", got)
			}
			for _, s := range c.reason {
				if !strings.Contains(got.Reason, s) {
					t.Errorf("reason %q does not say %q", got.Reason, s)
				}
			}
			got.Reason = ""
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("handles %v: component (-want +got):\n%s", c.handles, diff)
			}
		})
	}
}

// TestAttributionFolder: a leak that opens a new file or key each time
// holds every name once; the folder the names share names the vendor.
func TestAttributionFolder(t *testing.T) {
	distinct := func(typ, format string, n int) []hs {
		out := make([]hs, n)
		for i := range out {
			out[i] = hs{typ, fmt.Sprintf(format, i), 1}
		}
		return out
	}
	set := load(t, allRule)
	for _, c := range []struct {
		name    string
		handles []hs
		want    engine.Component
		reason  string
	}{{
		name:    "a file per request under Program Files",
		handles: append(distinct("File", `C:\Program Files\Fabrikam\Backup\Sessions\s-%d.tmp`, 1200), hs{"Event", "", 800}),
		want:    engine.Component{Name: "Fabrikam Backup", Vendor: "Fabrikam", InferredFrom: "object_name:path"},
		reason:  `1,200 of 2,000 handles are to 1,200 File names under C:\Program Files\Fabrikam\Backup\Sessions`,
	}, {
		name:    "a key per session",
		handles: append(distinct("Key", `HKLM\SOFTWARE\Fabrikam\Sync\Sessions\%d`, 1100), hs{"Event", "", 900}),
		want:    engine.Component{Name: "Fabrikam Sync", Vendor: "Fabrikam", InferredFrom: "object_name:registry"},
		reason:  `1,100 of 2,000 handles are to 1,100 Key names under HKLM\SOFTWARE\Fabrikam\Sync\Sessions`,
	}, {
		name:    "a file per session under /opt/PKG",
		handles: append(distinct("REG", `/opt/fabrikam/sessions/s-%d`, 1200), hs{"sock", "", 800}),
		want:    engine.Component{Name: "fabrikam", InferredFrom: "object_name:path"},
		reason:  `1,200 of 2,000 handles are to 1,200 REG names under /opt/fabrikam/sessions, no one name held often, under package fabrikam's installation folder`,
	}, {
		// Under a tenth of the handles: the folder explains no leak.
		name:    "a folder of few handles",
		handles: append(distinct("File", `C:\Program Files\Fabrikam\Backup\Sessions\s-%d.tmp`, 1100), hs{"Event", "", 11000}),
		want:    engine.Component{Name: "syncsvc.exe", InferredFrom: "image"},
	}, {
		name:    "a folder of Windows' own",
		handles: append(distinct("File", `C:\Windows\Temp\s-%d.tmp`, 1200), hs{"Event", "", 800}),
		want:    engine.Component{Name: "syncsvc.exe", InferredFrom: "image"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			snap := build(t, 2000, proc{addr: "a0", pid: 0x1f4, image: "syncsvc.exe", line: 10, handles: c.handles})
			rep := run(t, set, snap, engine.Options{})
			if len(rep.Findings) != 1 {
				t.Fatalf("%d findings, want 1", len(rep.Findings))
			}
			got := rep.Findings[0].Component
			if !strings.Contains(got.Reason, c.reason) {
				t.Errorf("reason %q does not say %q", got.Reason, c.reason)
			}
			got.Reason = ""
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("component (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAttributionFolderFiguresChecked: a snapshot made by hand may give a
// folder figures no reader gives (more handles under it than were
// counted); such a folder names nothing.
func TestAttributionFolderFiguresChecked(t *testing.T) {
	set := load(t, allRule)
	snap := build(t, 2000, proc{addr: "a0", pid: 0x1f4, image: "syncsvc.exe", line: 10, handles: []hs{{"Event", "", 1000}}})
	snap.Processes[0].TopFolder = &facts.Folder{Type: "File", Path: `C:\Program Files\Fabrikam\Backup`, Handles: 900, Names: 900, Of: 3}
	rep := run(t, set, snap, engine.Options{})
	if len(rep.Findings) != 1 {
		t.Fatalf("%d findings, want 1", len(rep.Findings))
	}
	if got := rep.Findings[0].Component; got.Name != "syncsvc.exe" || got.InferredFrom != engine.InferredImage {
		t.Errorf("component %+v, want the image", got)
	}
}
