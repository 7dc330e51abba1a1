package engine_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
)

// TestAttributionHost: a host process (svchost.exe, w3wp.exe, java,
// python...) is named by what its command line says it runs, and any
// image by the vendor of its executable's folder, where nothing the
// process holds names a component.
func TestAttributionHost(t *testing.T) {
	set := load(t, allRule)
	events := []hs{{"Event", "", 1000}}
	for _, c := range []struct {
		name, image, cmdline, path string
		services                   []string
		handles                    []hs // events when nil
		want                       engine.Component
		reason                     []string
	}{{
		name: "a service of its own", image: "svchost.exe", cmdline: `C:\Windows\system32\svchost.exe -k netsvcs -p -s Winmgmt`,
		want:   engine.Component{Name: "service Winmgmt", InferredFrom: "cmdline"},
		reason: []string{"Winmgmt of group netsvcs (-s Winmgmt)", `HKLM\SYSTEM\CurrentControlSet\Services\Winmgmt\Parameters`},
	}, {
		name: "a group of services", image: "svchost.exe", cmdline: `C:\WINDOWS\System32\svchost.exe -k LocalServiceNetworkRestricted -p`,
		want:   engine.Component{Name: "service group LocalServiceNetworkRestricted", InferredFrom: "cmdline"},
		reason: []string{"(-k LocalServiceNetworkRestricted)", `tasklist /svc /fi "PID eq 500"`},
	}, {
		name: "the one service the capture lists", image: "svchost.exe", services: []string{"Dnscache"},
		want:   engine.Component{Name: "service Dnscache", InferredFrom: "services"},
		reason: []string{`Services\Dnscache\Parameters`},
	}, {
		name: "the services the capture lists, over the group", image: "svchost.exe", cmdline: `C:\Windows\system32\svchost.exe -k netsvcs`,
		services: []string{"AeLookupSvc", "BITS", "CertPropSvc", "EapHost", "gpsvc", "Winmgmt"},
		want:     engine.Component{Name: "services AeLookupSvc, BITS, CertPropSvc, EapHost and 2 more", InferredFrom: "services"},
		reason:   []string{"hosts 6 Windows services", "(AeLookupSvc, BITS, CertPropSvc, EapHost, gpsvc, Winmgmt)", "sc config NAME type= own"},
	}, {
		name: "the service its command line names, over those listed", image: "svchost.exe", cmdline: `svchost.exe -k netsvcs -p -s Winmgmt`,
		services: []string{"Winmgmt"},
		want:     engine.Component{Name: "service Winmgmt", InferredFrom: "cmdline"},
	}, {
		name: "services of another image than svchost.exe name nothing", image: "spoolsv.exe", services: []string{"Spooler"},
		want: engine.Component{Name: "spoolsv.exe", InferredFrom: "image"},
	}, {
		name: "a svchost.exe whose command line names nothing", image: "svchost.exe", cmdline: `C:\Windows\system32\svchost.exe`,
		want: engine.Component{Name: "svchost.exe", InferredFrom: "image"},
	}, {
		name: "a name the process holds beats its command line", image: "svchost.exe", cmdline: `svchost.exe -k netsvcs -s Schedule`,
		handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`, 900}, {"Event", "", 100}},
		want:    engine.Component{Name: "Contoso Agent", Vendor: "Contoso", InferredFrom: "object_name:registry"},
	}, {
		name: "an IIS application pool", image: "w3wp.exe",
		cmdline: `c:\windows\system32\inetsrv\w3wp.exe -ap "Contoso Portal" -v "v4.0" -l "webengine4.dll" -a \\.\pipe\iisipm1 -h "C:\inetpub\temp\apppools\Contoso Portal.config" -w "" -m 0`,
		want:    engine.Component{Name: "IIS application pool Contoso Portal", InferredFrom: "cmdline"},
		reason:  []string{`(-ap "Contoso Portal")`},
	}, {
		name: "a COM server", image: "dllhost.exe", cmdline: `C:\Windows\system32\DllHost.exe /Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}`,
		want:   engine.Component{Name: "COM server {3EB3C877-1F16-487C-9050-104DBCD66683}", InferredFrom: "cmdline"},
		reason: []string{`HKCR\AppID\{3EB3C877-1F16-487C-9050-104DBCD66683}`},
	}, {
		name: "a DLL rundll32 runs", image: "rundll32.exe", cmdline: `C:\Windows\System32\rundll32.exe "C:\Program Files\Contoso\Hook\hook64.dll",Start`,
		want:   engine.Component{Name: "hook64.dll", Vendor: "Contoso", InferredFrom: "cmdline"},
		reason: []string{`C:\Program Files\Contoso\Hook\hook64.dll`, "under Contoso's installation folder"},
	}, {
		name: "a jar", image: "java", cmdline: `/usr/lib/jvm/java-17/bin/java -Xmx1g -Dapp.env=prod -jar /opt/fabrikam/server.jar --port 8080`,
		want:   engine.Component{Name: "server.jar", InferredFrom: "cmdline"},
		reason: []string{"the jar: /opt/fabrikam/server.jar", "under package fabrikam's installation folder"},
	}, {
		name: "a main class, its vendor from the class path", image: "javaw.exe",
		cmdline: `"C:\Program Files\Java\jre1.8.0_301\bin\javaw.exe" -Xmx2g -cp "C:\Program Files\Fabrikam\Sync\lib\sync.jar;C:\lib\x.jar" com.fabrikam.sync.Main --port 8080`,
		want:    engine.Component{Name: "com.fabrikam.sync.Main", Vendor: "Fabrikam", InferredFrom: "cmdline"},
		reason:  []string{"the main class: com.fabrikam.sync.Main", `class path (C:\Program Files\Fabrikam\Sync\lib\sync.jar) under Fabrikam's`},
	}, {
		name: "a Python module", image: "python3", cmdline: `/usr/bin/python3 -m celery -A proj worker`,
		want: engine.Component{Name: "celery", InferredFrom: "cmdline"},
	}, {
		name: "a Python script, the options after it its own", image: "python3.11", cmdline: `/usr/bin/python3.11 -u -W ignore /srv/app/worker.py -m fast`,
		want: engine.Component{Name: "worker.py", InferredFrom: "cmdline"},
	}, {
		name: "Python code on the command line names nothing", image: "python3", cmdline: `python3 -c "import worker; worker.run()"`,
		want: engine.Component{Name: "python3", InferredFrom: "image"},
	}, {
		name: "a Node.js library's script", image: "node", cmdline: `node --require dotenv/config /usr/local/lib/node_modules/pm2/bin/pm2 start`,
		want:   engine.Component{Name: "pm2", InferredFrom: "cmdline"},
		reason: []string{"under package pm2's Node.js library folder"},
	}, {
		name: "a PowerShell script", image: "powershell.exe", cmdline: `powershell.exe -NoProfile -ExecutionPolicy Bypass -FILE C:\Scripts\Collect.ps1 -Verbose`,
		want: engine.Component{Name: "Collect.ps1", InferredFrom: "cmdline"},
	}, {
		name: "a PowerShell command names nothing", image: "powershell.exe", cmdline: `powershell.exe -Command "Get-Process | Out-File x.txt"`,
		want: engine.Component{Name: "powershell.exe", InferredFrom: "image"},
	}, {
		name: "a .NET assembly", image: "dotnet", cmdline: `dotnet exec /app/Contoso.Api.dll --urls http://+:80`,
		want: engine.Component{Name: "Contoso.Api.dll", InferredFrom: "cmdline"},
	}, {
		name: "a command line cut short names nothing", image: "java", cmdline: `java -Xmx1g ...`,
		want: engine.Component{Name: "java", InferredFrom: "image"},
	}, {
		name: "a main class after an option's value that had blanks", image: "java",
		cmdline: `/usr/lib/jvm/java-8/bin/java -Xmx4g -XX:OnOutOfMemoryError=kill -9 %p -cp /opt/spark/conf:/opt/spark/jars/* org.apache.spark.deploy.worker.Worker --webui-port 8081`,
		want:    engine.Component{Name: "org.apache.spark.deploy.worker.Worker", InferredFrom: "cmdline"},
	}, {
		name: "a jar after a property whose value had a blank", image: "java", cmdline: `java -Dapp.name=Billing Service -jar /srv/billing/billing.jar`,
		want: engine.Component{Name: "billing.jar", InferredFrom: "cmdline"},
	}, {
		name: "a module given with =", image: "java", cmdline: `java --module=com.acme/com.acme.Main --port 8080`,
		want: engine.Component{Name: "com.acme.Main", InferredFrom: "cmdline"},
	}, {
		name: "a java @argfile names nothing", image: "java", cmdline: `java @/etc/app/jvm.args`,
		want: engine.Component{Name: "java", InferredFrom: "image"},
	}, {
		name: "python's -m glued to its module", image: "python3", cmdline: `python3 -mcelery -A proj worker`,
		want: engine.Component{Name: "celery", InferredFrom: "cmdline"},
	}, {
		name: "code among combined flags names nothing", image: "python3", cmdline: `python3 -uc "import worker; worker.run()"`,
		want: engine.Component{Name: "python3", InferredFrom: "image"},
	}, {
		name: "perl's -lne names nothing", image: "perl", cmdline: `perl -lne print if /ERROR/ /var/log/app.log`,
		want: engine.Component{Name: "perl", InferredFrom: "image"},
	}, {
		name: "php's built-in server names no script", image: "php", cmdline: `php -S 0.0.0.0:8000 -t public`,
		want: engine.Component{Name: "php", InferredFrom: "image"},
	}, {
		name: "a node option's value is no script", image: "node", cmdline: `node --max-http-header-size 16384 /app/server.js`,
		want: engine.Component{Name: "server.js", InferredFrom: "cmdline"},
	}, {
		name: "a runtime's versioned binary", image: "ruby3.0", cmdline: `/usr/bin/ruby3.0 /srv/app/bin/worker.rb --queue q`,
		want: engine.Component{Name: "worker.rb", InferredFrom: "cmdline"},
	}, {
		name: "a process title says nothing of what runs", image: "ruby", cmdline: `puma 5.6.4 (tcp://0.0.0.0:3000) [app]`,
		want: engine.Component{Name: "ruby", InferredFrom: "image"},
	}, {
		name: "the program's unquoted path with blanks", image: "java.exe", cmdline: `C:\Program Files\Java\jre\bin\java.exe -Xmx1g -jar C:\apps\billing.jar`,
		want: engine.Component{Name: "billing.jar", InferredFrom: "cmdline"},
	}, {
		name: "rundll32's unquoted DLL path with blanks", image: "rundll32.exe", cmdline: `C:\Windows\System32\rundll32.exe C:\Program Files\Contoso\Hook\hook64.dll,Start`,
		want: engine.Component{Name: "hook64.dll", Vendor: "Contoso", InferredFrom: "cmdline"},
	}, {
		name: "a runtime's folder names no vendor", image: "java.exe", path: `C:\Program Files\Java\jdk-17\bin\java.exe`,
		want: engine.Component{Name: "java.exe", InferredFrom: "image"},
	}, {
		name: "Python's folder names no vendor", image: "python.exe", path: `C:\Program Files\Python311\python.exe`,
		want: engine.Component{Name: "python.exe", InferredFrom: "image"},
	}, {
		name: "the vendor of the executable's folder", image: "agent.exe", path: `C:\Program Files\Contoso\Agent\agent.exe`,
		want:   engine.Component{Name: "agent.exe", Vendor: "Contoso", InferredFrom: "image:path"},
		reason: []string{`its executable C:\Program Files\Contoso\Agent\agent.exe is under Contoso's installation folder`},
	}, {
		name: "the vendor of the executable the command line starts with", image: "agent", cmdline: `"C:\Program Files\Contoso\agent.exe" --service`,
		want: engine.Component{Name: "agent", Vendor: "Contoso", InferredFrom: "image:path"},
	}, {
		name: "a command line that starts with another program", image: "agent.exe", cmdline: `"C:\Program Files\Contoso\launcher.exe" agent.exe`,
		want: engine.Component{Name: "agent.exe", InferredFrom: "image"},
	}, {
		name: "the package of a Unix executable's folder", image: "fabd", path: `/opt/fabrikam/bin/fabd`,
		want:   engine.Component{Name: "fabd", InferredFrom: "image:path"},
		reason: []string{"under package fabrikam's installation folder"},
	}, {
		name: "Windows' own folder names no vendor", image: "spoolsv.exe", path: `C:\Windows\System32\spoolsv.exe`,
		want: engine.Component{Name: "spoolsv.exe", InferredFrom: "image"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			handles := c.handles
			if handles == nil {
				handles = events
			}
			snap := build(t, 2000, proc{addr: "a0", pid: 500, image: c.image, line: 10, handles: handles})
			snap.Processes[0].Cmdline, snap.Processes[0].Path, snap.Processes[0].Services = c.cmdline, c.path, c.services
			rep := run(t, set, snap, engine.Options{})
			if len(rep.Findings) != 1 {
				t.Fatalf("%d findings, want 1", len(rep.Findings))
			}
			got := rep.Findings[0].Component
			for _, s := range c.reason {
				if !strings.Contains(got.Reason, s) {
					t.Errorf("reason %q does not say %q", got.Reason, s)
				}
			}
			got.Reason = ""
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("component (-want +got):\n%s", diff)
			}
		})
	}
}
