package rulesd_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/engine/ruletest"
	"github.com/leakdiag/leakdiag/facts"
)

// Every default rule fires where it should and stays quiet on near misses.

type ruleCase struct {
	rule  string // the rule the case is about
	fires bool   // whether that rule must fire in it
	name  string
	build func(m *machine)
	// want is every finding the capture must give, as "RULE pid N" or
	// "RULE capture".
	want []string
	// nearMiss, on a quiet case, retunes the rule a step: it must then
	// fire, which shows the case misses by a hair, not for another reason.
	nearMiss *nudge
}

// nudge is a site file and a finding it must bring about.
type nudge struct{ site, finding string }

// holdZombies gives p what FindZombieHandles would say it holds: held
// zombies in all, then image and count pairs, each zombie through one
// process handle.
func holdZombies(m *machine, p *facts.ProcessBuilder, held int64, images ...any) {
	p.ReportZombiesHeld(held)
	for i := 0; i+1 < len(images); i += 2 {
		n := int64(images[i+1].(int))
		p.HoldZombies(images[i].(string), n, n, 0, true, m.pos(1))
	}
}

const (
	leaky    = `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`
	jobsKey  = `\REGISTRY\MACHINE\SOFTWARE\Fabrikam\Backup\Jobs`
	irpSpool = `\ProgramData\IrpTracker\Client\Spool\irp%05d.bin {HarddiskVolume3}`
)

var ruleCases = []ruleCase{
	// LD0001: over 10,000 handles, images known to be heavy excepted.
	{rule: "LD0001", fires: true, name: "a backup service with 10,001 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(10001))
	}, want: []string{"LD0001 pid 3412"}},
	{rule: "LD0001", fires: true, name: "count not accessible, table holds 12,000", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(5120, 700, 0, "ContosoSyncHost.exe", typical(12000))
		setCounts(p, -1, 12000) // HandleCount: <Data Not Accessible>
	}, want: []string{"LD0001 pid 5120", "LD0008 capture"}},
	{rule: "LD0001", fires: false, name: "a backup service with exactly 10,000 handles",
		nearMiss: &nudge{"rules: [{id: LD0001, override: true, params: {threshold: 9999}}]", "LD0001 pid 3412"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(10000))
		}},
	{rule: "LD0001", fires: false, name: "store.exe with 50,000 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(6844, 700, 0, "store.exe", server(50000))
	}},
	{rule: "LD0001", fires: false, name: "STORE.EXE in capitals with 50,000 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(6844, 700, 0, "STORE.EXE", server(50000))
	}},
	{rule: "LD0001", fires: false, name: "System with 60,000 handles", build: func(m *machine) {
		base(m, 60000)
	}},

	// LD0037: no count now, but the process held over 10,000 at once (lsof's
	// descriptors of 10,000 and more under a grep).
	{rule: "LD0037", fires: true, name: "a grep cut the listing; descriptor 10,000 is open", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(4242, 700, 0, "node", typical(20))
		setCounts(p, -1, -1)
		peak := int64(10001)
		p.P.PeakHandles = &peak
	}, want: []string{"LD0037 pid 4242", "LD0008 capture"}},
	{rule: "LD0037", fires: false, name: "a grep cut the listing; descriptor 9,999 is open",
		nearMiss: &nudge{"rules: [{id: LD0037, override: true, params: {threshold: 9999}}]", "LD0037 pid 4242"},
		want:     []string{"LD0008 capture"},
		build: func(m *machine) {
			base(m, 2600)
			p := m.proc(4242, 700, 0, "node", typical(20))
			setCounts(p, -1, -1)
			peak := int64(10000)
			p.P.PeakHandles = &peak
		}},
	{rule: "LD0037", fires: false, name: "a whole listing counts 20 though descriptor 12,000 was open once", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(4242, 700, 0, "node", typical(20))
		peak := int64(12001)
		p.P.PeakHandles = &peak
	}},

	// LD0002: a known-heavy image over its own threshold.
	{rule: "LD0002", fires: true, name: "store.exe with 200,001 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(6844, 700, 0, "store.exe", server(200001))
	}, want: []string{"LD0002 pid 6844"}},
	{rule: "LD0002", fires: true, name: "MsMpEng.exe with 52,000 handles", build: func(m *machine) {
		base(m, 2600)
		m.proc(3020, 700, 0, "MsMpEng.exe", typical(52000))
	}, want: []string{"LD0002 pid 3020"}},
	{rule: "LD0002", fires: false, name: "store.exe with exactly 200,000 handles",
		nearMiss: &nudge{"params: {heavy_thresholds: {store.exe: 199999}}", "LD0002 pid 6844"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(6844, 700, 0, "store.exe", server(200000))
		}},
	{rule: "LD0002", fires: false, name: "System with 95,000 handles",
		nearMiss: &nudge{"params: {heavy_thresholds: {system: 94999}}", "LD0002 pid 4"},
		build: func(m *machine) {
			base(m, 95000)
		}},
	{rule: "LD0002", fires: false, name: "an image not in the table, 11,000 handles (LD0001's)", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(11000))
	}, want: []string{"LD0001 pid 3412"}},

	// LD0003: one type makes up 80% of 5,000 handles or more.
	{rule: "LD0003", fires: true, name: "4,800 File handles of 6,000", build: func(m *machine) {
		base(m, 2600)
		m.proc(2876, 700, 0, "IrpTrackerSvc.exe", []hs{
			{typ: "File", n: 4800, names: seq(irpSpool, 4800)},
			{typ: "Event", n: 600}, {typ: "Key", n: 250, names: keyNames}, {typ: "Thread", n: 200}, {typ: "ALPC Port", n: 150},
		})
	}, want: []string{"LD0003 pid 2876"}},
	{rule: "LD0003", fires: false, name: "4,799 File handles of 6,000",
		nearMiss: &nudge{"rules: [{id: LD0003, override: true, params: {min_share: 0.79}}]", "LD0003 pid 2876"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(2876, 700, 0, "IrpTrackerSvc.exe", []hs{
				{typ: "File", n: 4799, names: seq(irpSpool, 4799)},
				{typ: "Event", n: 601}, {typ: "Key", n: 250, names: keyNames}, {typ: "Thread", n: 200}, {typ: "ALPC Port", n: 150},
			})
		}},
	{rule: "LD0003", fires: false, name: "90% File handles of 4,999",
		nearMiss: &nudge{"rules: [{id: LD0003, override: true, params: {min_handles: 4999}}]", "LD0003 pid 2876"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(2876, 700, 0, "IrpTrackerSvc.exe", []hs{
				{typ: "File", n: 4500, names: seq(irpSpool, 4500)},
				{typ: "Event", n: 200}, {typ: "Key", n: 150, names: keyNames}, {typ: "Thread", n: 149},
			})
		}},
	{rule: "LD0003", fires: false, name: "a dump of Event handles only (40 of 6,000)", build: func(m *machine) {
		// !handle 0 3 <process> Event: the table holds 6,000 handles of
		// every type; the capture shows its 40 events. Nothing says
		// events dominate the table.
		base(m, 2600)
		p := m.proc(3436, 700, 1, "telemetryhost.exe", []hs{{typ: "Event", n: 40}})
		setCounts(p, 6000, 6000)
	}, want: []string{"LD0008 capture"}},

	// LD0004: 1,000 handles or more to one name.
	{rule: "LD0004", fires: true, name: "1,000 handles to one key", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", []hs{{typ: "Key", n: 1000, names: []string{jobsKey}}}, typical(2000))
	}, want: []string{"LD0004 pid 3412"}},
	{rule: "LD0004", fires: false, name: "999 handles to one key",
		nearMiss: &nudge{"rules: [{id: LD0004, override: true, params: {min_count: 999}}]", "LD0004 pid 3412"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", []hs{{typ: "Key", n: 999, names: []string{jobsKey}}}, typical(2000))
		}},
	{rule: "LD0004", fires: false, name: "1,500 handles to 1,500 distinct keys", build: func(m *machine) {
		base(m, 2600)
		m.proc(4480, 700, 0, "TiWorker.exe", []hs{{typ: "Key", n: 1500,
			names: seq(`\REGISTRY\MACHINE\COMPONENTS\DerivedData\Components\amd64_microsoft-windows-c..-%05d`, 1500)}}, typical(1100))
	}},

	// LD0005: 5,000 unnamed handles of one type or more, half of those shown.
	{rule: "LD0005", fires: true, name: "5,000 unnamed Token handles of 9,000", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", []hs{{typ: "Token", n: 5000}}, typical(4000))
	}, want: []string{"LD0005 pid 3412"}},
	{rule: "LD0005", fires: false, name: "4,999 unnamed Token handles of 8,999",
		nearMiss: &nudge{"rules: [{id: LD0005, override: true, params: {min_count: 4999}}]", "LD0005 pid 3412"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", []hs{{typ: "Token", n: 4999}}, typical(4000))
		}},
	{rule: "LD0005", fires: true, name: "w3wp.exe with 12,000 unnamed Token handles of 24,000", build: func(m *machine) {
		base(m, 2600)
		m.proc(7212, 700, 0, "w3wp.exe", []hs{{typ: "Token", n: 12000}}, server(12000))
	}, want: []string{"LD0005 pid 7212"}},
	{rule: "LD0005", fires: false, name: "w3wp.exe with 11,999 unnamed Token handles of 24,000",
		nearMiss: &nudge{"rules: [{id: LD0005, override: true, params: {min_share: 0.49}}]", "LD0005 pid 7212"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(7212, 700, 0, "w3wp.exe", []hs{{typ: "Token", n: 11999}}, server(12001))
		}},

	// LD0006: 5 handles or more to exited processes and terminated threads.
	{rule: "LD0006", fires: true, name: "3 exited children and 2 terminated threads held", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		var kids []uint64
		for i := uint64(0); i < 3; i++ {
			kids = append(kids, m.exited(5000+4*i, 3412, 0, "FabrikamBackupWorker.exe"))
		}
		thr := []uint64{m.terminatedThread(p), m.terminatedThread(p)}
		m.add(p, hs{typ: "Process", n: 3, objs: kids}, hs{typ: "Thread", n: 2, objs: thr})
	}, want: []string{"LD0006 pid 3412"}},
	{rule: "LD0006", fires: true, name: "5 handles to terminated threads", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		var thr []uint64
		for i := 0; i < 5; i++ {
			thr = append(thr, m.terminatedThread(p))
		}
		m.add(p, hs{typ: "Thread", n: 5, objs: thr})
	}, want: []string{"LD0006 pid 3412"}},
	{rule: "LD0006", fires: false, name: "2 exited children and 2 terminated threads held",
		nearMiss: &nudge{"rules: [{id: LD0006, override: true, params: {min_handles: 4}}]", "LD0006 pid 3412"},
		build: func(m *machine) {
			base(m, 2600)
			p := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
			kids := []uint64{m.exited(5000, 3412, 0, "FabrikamBackupWorker.exe"), m.exited(5004, 3412, 0, "FabrikamBackupWorker.exe")}
			thr := []uint64{m.terminatedThread(p), m.terminatedThread(p)}
			m.add(p, hs{typ: "Process", n: 2, objs: kids}, hs{typ: "Thread", n: 2, objs: thr})
		}},
	{rule: "LD0006", fires: false, name: "an exited process with no holder", build: func(m *machine) {
		base(m, 2600)
		m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		m.exited(5000, 3412, 0, "FabrikamBackupWorker.exe")
	}, want: []string{"LD0023 pid 5000"}},
	{rule: "LD0006", fires: false, name: "8 handles to live child processes", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		var kids []uint64
		for i := uint64(0); i < 8; i++ {
			kids = append(kids, addrOf(m.proc(5000+4*i, 3412, 0, "FabrikamBackupWorker.exe", typical(120+int(i)*7))))
		}
		m.add(p, hs{typ: "Process", n: 8, objs: kids})
	}},

	// LD0029: a process FindZombieHandles says holds 100 zombies or more.
	{rule: "LD0029", fires: true, name: "an updater holding 100 zombies of its helper", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3312, 700, 0, "ContosoUpdater.exe", typical(300))
		holdZombies(m, p, 100, "setuphelper.exe", 100)
	}, want: []string{"LD0029 pid 3312"}},
	{rule: "LD0029", fires: false, name: "a service manager holding 99 zombies",
		nearMiss: &nudge{"rules: [{id: LD0029, override: true, params: {min_zombies: 99}}]", "LD0029 pid 712"},
		build: func(m *machine) {
			base(m, 2600)
			p := m.proc(712, 600, 0, "services.exe", typical(300))
			holdZombies(m, p, 99, "svchost.exe", 60, "TrustedInstaller.exe", 39)
		}},
	{rule: "LD0006", fires: false, name: "a tool's count of 40 zombies is LD0029's to judge", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(712, 600, 0, "services.exe", typical(300))
		holdZombies(m, p, 40, "svchost.exe", 40)
	}},

	// LD0009: 10 exited processes or more in the capture.
	{rule: "LD0009", fires: true, name: "10 exited updaters, their parent holding each", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(900))
		var kids []uint64
		for i := uint64(0); i < 10; i++ {
			kids = append(kids, m.exited(6000+4*i, 2240, 0, "ContosoUpdater.exe"))
		}
		m.add(p, hs{typ: "Process", n: 10, objs: kids})
	}, want: []string{"LD0006 pid 2240", "LD0009 capture"}},
	{rule: "LD0009", fires: false, name: "9 exited processes",
		nearMiss: &nudge{"rules: [{id: LD0009, override: true, params: {min_exited: 9}}]", "LD0009 capture"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(2240, 700, 0, "ContosoAgent.exe", typical(900))
			for i := uint64(0); i < 9; i++ {
				m.exited(6000+4*i, 2240, 0, "ContosoUpdater.exe")
			}
		}, want: []string{"LD0022 pid 6000"}},

	// LD0009 on a debugger extension's count (mex's !tl): 50 zombies,
	// or 10 of one image where its -z table names them.
	{rule: "LD0009", fires: true, name: "mex counts 50 zombies", build: func(m *machine) {
		base(m, 2600)
		m.b.AddZombieReport(facts.ZombieReport{Count: 50, Source: m.pos(1)})
	}, want: []string{"LD0009 capture"}},
	{rule: "LD0009", fires: false, name: "mex counts 49 zombies, no table",
		nearMiss: &nudge{"rules: [{id: LD0009, override: true, params: {min_zombies_counted: 49}}]", "LD0009 capture"},
		build: func(m *machine) {
			base(m, 2600)
			m.b.AddZombieReport(facts.ZombieReport{Count: 49, Source: m.pos(1)})
		}},
	{rule: "LD0009", fires: true, name: "mex's -z table: 10 of 12 zombies one updater's", build: func(m *machine) {
		base(m, 2600)
		m.b.AddZombieReport(facts.ZombieReport{Count: 12, Source: m.pos(1), Images: []facts.NameCount{
			{Name: "ContosoUpdater.exe", Type: "Process", Count: 10}, {Name: "cmd.exe", Type: "Process", Count: 2}}})
	}, want: []string{"LD0009 capture"}},
	{rule: "LD0009", fires: false, name: "mex's -z table: 30 zombies, at most 9 of an image",
		nearMiss: &nudge{"rules: [{id: LD0009, override: true, params: {min_exited: 9}}]", "LD0009 capture"},
		build: func(m *machine) {
			base(m, 2600)
			m.b.AddZombieReport(facts.ZombieReport{Count: 30, Source: m.pos(1), Images: []facts.NameCount{
				{Name: "svchost.exe", Type: "Process", Count: 9}, {Name: "dllhost.exe", Type: "Process", Count: 8},
				{Name: "cmd.exe", Type: "Process", Count: 7}, {Name: "conhost.exe", Type: "Process", Count: 6}}})
		}},

	// LD0022: an exited process nobody in the capture holds, with its
	// terminated threads shown or among 3 or more of its image.
	{rule: "LD0022", fires: true, name: "an exited process with its terminated thread, holder not in the capture", build: func(m *machine) {
		base(m, 2600)
		m.exited(5264, 9748, 1, "contoso.exe")
		p := m.b.Process(fmt.Sprintf("%x", m.lastAddr()), facts.Position{})
		m.terminatedThread(p)
	}, want: []string{"LD0022 pid 5264"}},
	{rule: "LD0022", fires: true, name: "three exited explorer.exe beside the live one", build: func(m *machine) {
		base(m, 2600)
		m.proc(1940, 256, 0, "explorer.exe", desktop(279))
		for _, pid := range []uint64{524, 944, 1684} {
			m.exited(pid, 256, 0, "explorer.exe")
		}
	}, want: []string{"LD0022 pid 524"}}, // one finding for the image, on its first
	{rule: "LD0022", fires: false, name: "two exited of one image, no threads shown",
		nearMiss: &nudge{"rules: [{id: LD0022, override: true, params: {min_same_image: 2}}]", "LD0022 pid 5000"},
		build: func(m *machine) {
			base(m, 2600)
			m.exited(5000, 700, 0, "FabrikamBackupWorker.exe")
			m.exited(5004, 700, 0, "FabrikamBackupWorker.exe")
		}, want: []string{"LD0023 pid 5000", "LD0023 pid 5004"}},
	{rule: "LD0022", fires: false, name: "an exited process with its terminated thread, held by its parent", build: func(m *machine) {
		base(m, 2600)
		parent := m.proc(3412, 700, 0, "FabrikamBackupSvc.exe", typical(800))
		kid := m.exited(5000, 3412, 0, "FabrikamBackupWorker.exe")
		m.terminatedThread(m.b.Process(fmt.Sprintf("%x", kid), facts.Position{}))
		m.add(parent, hs{typ: "Process", n: 1, objs: []uint64{kid}})
	}},

	// LD0023: one exited process, nobody in the capture holding it.
	{rule: "LD0023", fires: true, name: "an exited updater among live processes", build: func(m *machine) {
		base(m, 2600)
		m.exited(6000, 700, 0, "ContosoUpdater.exe")
	}, want: []string{"LD0023 pid 6000"}},
	{rule: "LD0023", fires: false, name: "an exited scan its parent still holds", build: func(m *machine) {
		services := base(m, 2600)
		scan := m.exited(6240, 700, 0, "MpCmdRun.exe")
		m.add(services, hs{typ: "Process", n: 1, objs: []uint64{scan}})
	}},

	// LD0007: 20 times the median of 2 or more others of the image, and
	// 5,000 handles or more.
	{rule: "LD0007", fires: true, name: "a svchost.exe at 26x its siblings", build: func(m *machine) {
		base(m, 2600)
		for i, n := range []int{280, 420, 360, 190, 8400} {
			m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
		}
	}, want: []string{"LD0007 pid 960"}},
	{rule: "LD0007", fires: true, name: "a svchost.exe at exactly 20x its siblings", build: func(m *machine) {
		base(m, 2600)
		for i, n := range []int{300, 300, 300, 300, 6000} {
			m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
		}
	}, want: []string{"LD0007 pid 960"}},
	{rule: "LD0007", fires: false, name: "a svchost.exe at 19.9x its siblings",
		nearMiss: &nudge{"rules: [{id: LD0007, override: true, params: {min_ratio: 19.8}}]", "LD0007 pid 960"},
		build: func(m *machine) {
			base(m, 2600)
			for i, n := range []int{300, 300, 300, 300, 5970} {
				m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
			}
		}},
	{rule: "LD0007", fires: false, name: "a svchost.exe with 3x its siblings",
		nearMiss: &nudge{"rules: [{id: LD0007, override: true, params: {min_ratio: 2.9}}]", "LD0007 pid 920"},
		build: func(m *machine) {
			base(m, 2600)
			for i, n := range []int{2000, 2400, 2200, 6600} {
				m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
			}
		}},
	{rule: "LD0007", fires: false, name: "36x its siblings but 4,999 handles",
		nearMiss: &nudge{"rules: [{id: LD0007, override: true, params: {min_handles: 4999}}]", "LD0007 pid 920"},
		build: func(m *machine) {
			base(m, 2600)
			for i, n := range []int{130, 150, 140, 4999} {
				m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
			}
		}},
	{rule: "LD0007", fires: false, name: "one other w3wp.exe only",
		nearMiss: &nudge{"rules: [{id: LD0007, override: true, params: {min_peers: 1}}]", "LD0007 pid 7480"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(7212, 700, 0, "w3wp.exe", server(120))
			m.proc(7480, 700, 0, "w3wp.exe", server(5000))
		}},
	{rule: "LD0007", fires: false, name: "13x its live siblings, exited svchost.exe in the capture", build: func(m *machine) {
		// Three svchost.exe have exited (no handle table, HandleCount 0):
		// they are no measure of what a svchost.exe holds. Against its
		// live siblings (400, 450, 500) this one holds 13x, under 20x.
		base(m, 2600)
		for i, n := range []int{400, 500, 450, 6000} {
			m.proc(uint64(800+40*i), 700, 0, "svchost.exe", typical(n))
		}
		for i := uint64(0); i < 3; i++ {
			m.exited(1400+4*i, 700, 0, "svchost.exe")
		}
	}, want: []string{"LD0022 pid 1400"}},

	// LD0010: 100 handles or more opened since the !htrace snapshot and
	// still open, or 10 or more of which one stack opened half.
	{rule: "LD0010", fires: true, name: "150 handles still open since the -diff snapshot", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
		traces(p, 150, true)
	}, want: []string{"LD0010 pid 2240"}},
	{rule: "LD0010", fires: true, name: "10 handles since the snapshot, all from one stack", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
		traces(p, 10, true)
	}, want: []string{"LD0010 pid 2240"}},
	{rule: "LD0010", fires: false, name: "99 handles since the snapshot from 4 stacks",
		nearMiss: &nudge{"params: {htrace_error_open: 99}", "LD0010 pid 2240"},
		build: func(m *machine) {
			base(m, 2600)
			p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
			tracesOver(p, 99, 4, true)
		}, want: []string{"LD0020 pid 2240"}},
	{rule: "LD0010", fires: false, name: "9 handles since the snapshot from one stack",
		nearMiss: &nudge{"params: {htrace_dominant_open: 9}", "LD0010 pid 2240"},
		build: func(m *machine) {
			base(m, 2600)
			p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
			traces(p, 9, true)
		}, want: []string{"LD0020 pid 2240"}},
	{rule: "LD0010", fires: false, name: "500 open handles in a plain !htrace, no snapshot", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(600))
		traces(p, 500, false)
	}},

	// LD0020: fewer handles since the snapshot, from one on.
	{rule: "LD0020", fires: true, name: "one handle since the snapshot", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
		traces(p, 1, true)
	}, want: []string{"LD0020 pid 2240"}},
	{rule: "LD0020", fires: true, name: "a -diff footer counting 4 handles whose entries the paste elided", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(400))
		p.ReportOutstandingSinceSnapshot(4)
	}, want: []string{"LD0020 pid 2240"}},
	{rule: "LD0020", fires: false, name: "20 open handles in a plain !htrace, no snapshot", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(600))
		traces(p, 20, false)
	}},

	// LD0021: an Application Verifier stop reporting a leaked handle.
	{rule: "LD0021", fires: true, name: "VERIFIER STOP 901 for handle 0x808", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(19768, 700, 1, "UIforETW.exe", typical(300))
		p.AddVerifierStop(facts.VerifierStop{Code: "901", Message: "A HANDLE was leaked.", Handle: 0x808})
	}, want: []string{"LD0021 pid 19768"}},
	{rule: "LD0021", fires: false, name: "a process under the verifier with no stop", build: func(m *machine) {
		base(m, 2600)
		m.proc(19768, 700, 1, "UIforETW.exe", typical(300))
	}},
	{rule: "LD0021", fires: false, name: "too many open printer handles names no leaked handle", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3212, 700, 1, "ContosoPrint.exe", typical(1400))
		p.AddVerifierStop(facts.VerifierStop{Code: "a00b", Message: "Too many open printer handles", Open: 1003})
	}, want: []string{"LD0036 pid 3212"}},

	// LD0036: Application Verifier warns of too many open printer handles.
	{rule: "LD0036", fires: true, name: "VERIFIER STOP A00B counting 1,003 open printer handles", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3212, 700, 1, "ContosoPrint.exe", typical(1400))
		p.AddVerifierStop(facts.VerifierStop{Code: "a00b", Message: "Too many open printer handles", Open: 1003})
	}, want: []string{"LD0036 pid 3212"}},
	{rule: "LD0036", fires: false, name: "a leaked printer handle at exit is LD0021's, not a count", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(3212, 700, 1, "ContosoPrint.exe", typical(300))
		p.AddVerifierStop(facts.VerifierStop{Code: "a000", Message: "Leaked printer handle detected", Handle: 0x1a2b3c4})
	}, want: []string{"LD0021 pid 3212"}},

	// LD0011: kernel pool nearly exhausted; the top handle holder named.
	{rule: "LD0011", fires: true, name: "nonpaged pool 91% of its maximum", build: func(m *machine) {
		base(m, 2600)
		m.proc(2240, 700, 0, "ContosoAgent.exe", typical(9000))
		vm(m, 239520, 262144, 164840, 536576, 0)
	}, want: []string{"LD0011 pid 2240"}},
	{rule: "LD0011", fires: true, name: "failed pool allocations on a 64-bit pool without a real maximum", build: func(m *machine) {
		base(m, 2600)
		vm(m, 12666296, 17179869184, 190816, 17179869184, 1811)
	}, want: []string{"LD0011 pid 4"}},
	{rule: "LD0011", fires: false, name: "nonpaged pool 79% and paged pool 70% of their maximum",
		nearMiss: &nudge{"rules: [{id: LD0011, override: true, params: {max_share: 0.78}}]", "LD0011 pid 2240"},
		build: func(m *machine) {
			base(m, 2600)
			m.proc(2240, 700, 0, "ContosoAgent.exe", typical(9000))
			vm(m, 207093, 262144, 375603, 536576, 0)
		}},

	// LD0012: one pool tag holds most of nonpaged pool.
	{rule: "LD0012", fires: true, name: "Thre holds 75% of nonpaged pool", build: func(m *machine) {
		base(m, 2600)
		poolused(m, tagBytes{"Thre", 150_000_000}, tagBytes{"File", 50_000_000})
	}, want: []string{"LD0012 capture"}},
	{rule: "LD0012", fires: false, name: "Thre holds 49% of nonpaged pool",
		nearMiss: &nudge{"rules: [{id: LD0012, override: true, params: {min_share: 0.49}}]", "LD0012 capture"},
		build: func(m *machine) {
			base(m, 2600)
			poolused(m, tagBytes{"Thre", 490_000_000}, tagBytes{"File", 300_000_000}, tagBytes{"MmCa", 210_000_000})
		}},
	{rule: "LD0012", fires: false, name: "Thre holds 90% of a nonpaged pool of 64 MB",
		nearMiss: &nudge{"rules: [{id: LD0012, override: true, params: {min_mb: 57}}]", "LD0012 capture"},
		build: func(m *machine) {
			base(m, 2600)
			poolused(m, tagBytes{"Thre", 60_000_000}, tagBytes{"File", 6_666_667})
		}},

	// LD0024: pool exhausted, and no process with a handle count.
	{rule: "LD0024", fires: true, name: "a !vm alone: 184 failed pool allocations", build: func(m *machine) {
		vm(m, 260976, 262012, 36248, 266240, 184)
	}, want: []string{"LD0024 capture"}},
	{rule: "LD0024", fires: true, name: "a !vm alone: nonpaged pool at 80% of its maximum", build: func(m *machine) {
		vm(m, 209716, 262144, 36248, 266240, 0)
	}, want: []string{"LD0024 capture"}},
	{rule: "LD0024", fires: false, name: "a !vm alone: pools at 79% and 14% of their maximum",
		nearMiss: &nudge{"rules: [{id: LD0024, override: true, params: {max_share: 0.78}}]", "LD0024 capture"},
		build: func(m *machine) {
			vm(m, 207093, 262144, 36248, 266240, 0)
		}},
	{rule: "LD0024", fires: false, name: "failed allocations with processes: LD0011 names the top holder", build: func(m *machine) {
		base(m, 2600)
		m.proc(2240, 700, 0, "ContosoAgent.exe", typical(9000))
		vm(m, 260976, 262012, 36248, 266240, 184)
	}, want: []string{"LD0011 pid 2240"}},

	// LD0025 and LD0026: one tag holding hundreds of MB (nonpaged) or
	// GB (paged) in a listing without a total.
	{rule: "LD0025", fires: true, name: "Thre with 300 MB of nonpaged pool, listing cut short", build: func(m *machine) {
		poolusedCut(m, false, tagBytes{"Thre", 300 << 20}, tagBytes{"IoWI", 2 << 20}, tagBytes{"File", 9 << 20})
	}, want: []string{"LD0025 capture"}},
	{rule: "LD0025", fires: false, name: "Thre with 255 MB of nonpaged pool, listing cut short",
		nearMiss: &nudge{"rules: [{id: LD0025, override: true, params: {min_mb: 255}}]", "LD0025 capture"},
		build: func(m *machine) {
			poolusedCut(m, false, tagBytes{"Thre", 255 << 20}, tagBytes{"File", 9 << 20})
		}},
	{rule: "LD0025", fires: false, name: "Thre with 300 MB, 30% of a pool whose total is known", build: func(m *machine) {
		poolused(m, tagBytes{"Thre", 300 << 20}, tagBytes{"File", 400 << 20}, tagBytes{"MmCa", 300 << 20})
	}},
	{rule: "LD0026", fires: true, name: "CM31 with 2.5 GB of paged pool, listing cut short", build: func(m *machine) {
		poolusedCut(m, true, tagBytes{"CM31", 2560 << 20}, tagBytes{"MmSt", 400 << 20})
	}, want: []string{"LD0026 capture"}},
	{rule: "LD0026", fires: false, name: "MmSt with 2 GB less a byte of paged pool",
		nearMiss: &nudge{"rules: [{id: LD0026, override: true, params: {min_mb: 2047}}]", "LD0026 capture"},
		build: func(m *machine) {
			poolusedCut(m, true, tagBytes{"MmSt", 2048<<20 - 1}, tagBytes{"CM31", 90 << 20})
		}},

	// LD0033 and LD0034: a tag that grew across the capture's listings
	// and never fell, a warning from 64 MB of nonpaged pool or 512 MB of
	// paged pool, a note below.
	{rule: "LD0033", fires: true, name: "Ctso gains 64 MB of nonpaged pool over three screens", build: func(m *machine) {
		poolScreens(m, false, "Ctso", "contosoflt.sys", 100<<20, 130<<20, 164<<20)
	}, want: []string{"LD0033 capture"}},
	{rule: "LD0033", fires: false, name: "Ctso gains 64 MB less 1 KB of nonpaged pool",
		nearMiss: &nudge{"params: {pool_growth_nonpaged_mb: 63}", "LD0033 capture"},
		build: func(m *machine) {
			poolScreens(m, false, "Ctso", "contosoflt.sys", 100<<20, 164<<20-1024)
		}, want: []string{"LD0034 capture"}},
	{rule: "LD0033", fires: false, name: "MmSt gains 511 MB of paged pool",
		nearMiss: &nudge{"params: {pool_growth_paged_mb: 511}", "LD0033 capture"},
		build: func(m *machine) {
			poolScreens(m, true, "MmSt", "", 40<<20, 551<<20)
		}, want: []string{"LD0034 capture"}},
	{rule: "LD0033", fires: false, name: "Ctso gains 100 MB of nonpaged pool but fell between screens", build: func(m *machine) {
		poolScreens(m, false, "Ctso", "contosoflt.sys", 50<<20, 200<<20, 150<<20)
	}},
	{rule: "LD0034", fires: true, name: "Drsd gains 5 KB of paged pool over two screens", build: func(m *machine) {
		poolScreens(m, true, "Drsd", "", 17<<10, 22<<10)
	}, want: []string{"LD0034 capture"}},
	{rule: "LD0034", fires: false, name: "Drsd on one screen", build: func(m *machine) {
		poolScreens(m, true, "Drsd", "", 22<<10)
	}},

	// LD0008: counts missing, tables partly dumped, lines unrecognized.
	{rule: "LD0008", fires: true, name: "a handle count not accessible", build: func(m *machine) {
		base(m, 2600)
		m.block(2240, 700, 0, "ContosoAgent.exe") // HandleCount: <Data Not Accessible>
	}, want: []string{"LD0008 capture"}},
	{rule: "LD0008", fires: true, name: "a dump showing 12 of 1,302 entries", build: func(m *machine) {
		base(m, 2600)
		p := m.proc(2240, 700, 0, "ContosoAgent.exe", typical(12))
		setCounts(p, 1302, 1302)
	}, want: []string{"LD0008 capture"}},
	{rule: "LD0008", fires: true, name: "3 unrecognized lines", build: func(m *machine) {
		base(m, 2600)
		m.unrecognized = 3
	}, want: []string{"LD0008 capture"}},
	{rule: "LD0008", fires: false, name: "Registry and Memory Compression with HandleCount 0", build: func(m *machine) {
		base(m, 2600) // Registry and Memory Compression hold no handles
		m.proc(2240, 700, 0, "ContosoAgent.exe", typical(640))
	}},
}

func TestDefaultRulesFireAndStayQuiet(t *testing.T) {
	set := loadRules(t)
	for _, c := range ruleCases {
		verdict := "quiet"
		if c.fires {
			verdict = "fires"
		}
		t.Run(c.rule+"/"+verdict+"/"+c.name, func(t *testing.T) {
			// The table itself must say what the case is about.
			mentioned := false
			for _, w := range c.want {
				mentioned = mentioned || strings.HasPrefix(w, c.rule+" ")
			}
			if mentioned != c.fires {
				t.Fatalf("case wants %v, which does not agree with fires=%v for %s", c.want, c.fires, c.rule)
			}
			m := newMachine()
			c.build(m)
			checkFired(t, run(t, set, m.snapshot()), c.want)
			if c.nearMiss != nil {
				m := newMachine()
				c.build(m)
				got := fired(run(t, loadRules(t, c.nearMiss.site), m.snapshot()))
				found := false
				for _, f := range got {
					found = found || f == c.nearMiss.finding
				}
				if !found {
					t.Errorf("with %s: fired %v, want %s among them (no near miss)", c.nearMiss.site, got, c.nearMiss.finding)
				}
			}
		})
	}
}

// TestEveryDefaultRuleHasCases checks that each rule of rules.d has a
// firing and a quiet case: in this file's table (the rules whose cases
// need a machine built in Go) or in defaults_test.yaml (the rules over
// series and Linux processes, which the YAML format describes best).
func TestEveryDefaultRuleHasCases(t *testing.T) {
	set := loadRules(t)
	results, err := ruletest.RunFile(context.Background(), set, "defaults_test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yamlFired, yamlQuiet := map[string]int{}, map[string]int{}
	for _, r := range results {
		if !r.Passed || r.Err != nil {
			t.Errorf("defaults_test.yaml:%d %s: fails", r.Line, r.Name)
		}
		for _, id := range r.Fired {
			yamlFired[id]++
		}
		for _, id := range r.Quiet {
			yamlQuiet[id]++
		}
	}
	for _, r := range set.Rules {
		if !r.Enabled {
			t.Errorf("default rule %s is disabled", r.ID)
		}
		fires, quiet := yamlFired[r.ID], yamlQuiet[r.ID]
		inTable := false
		for _, c := range ruleCases {
			if c.rule != r.ID {
				continue
			}
			inTable = true
			if c.fires {
				fires++
			} else {
				quiet++
			}
		}
		if fires == 0 || quiet == 0 {
			t.Errorf("%s: %d firing and %d quiet cases (table: %v), want at least one of each", r.ID, fires, quiet, inTable)
		}
	}
}
