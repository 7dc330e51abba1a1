package facts

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitFolder(t *testing.T) {
	for _, c := range []struct {
		name, want string
		ok         bool
	}{
		{`\ProgramData\Contoso\Spool\request-1 {HarddiskVolume4}`, `\ProgramData\Contoso\Spool {HarddiskVolume4}`, true},
		{`C:\ProgramData\Contoso\Spool\request-1`, `C:\ProgramData\Contoso\Spool`, true},
		{`HKLM\SOFTWARE\Contoso\Sessions\42`, `HKLM\SOFTWARE\Contoso\Sessions`, true},
		{`/var/spool/contoso/req-1`, `/var/spool/contoso`, true},
		{`\Device\Afd\Endpoint`, `\Device\Afd`, true},
		{`C:\pagefile.sys`, "", false},
		{`/tmp`, "", false},
		{`\Windows {HarddiskVolume1}`, "", false},
		{`socket:[9458743]`, "", false},
		{`KnownDlls`, "", false},
		{`\Device\NamedPipe\`, "", false},
	} {
		dir, device, ok := splitFolder(c.name)
		if dir+device != c.want || ok != c.ok {
			t.Errorf("splitFolder(%q) = %q, %q, %v; want %q, %v", c.name, dir, device, ok, c.want, c.ok)
		}
	}
}

// TestTopFolder: a process that opens a new file per request holds each
// name once; the folder they share is what names the leak.
func TestTopFolder(t *testing.T) {
	spool := `\ProgramData\Contoso\Agent\Spool`
	for _, c := range []struct {
		name string
		// add adds the process's handles through p, from value v.
		add  func(p *ProcessBuilder)
		want *Folder
	}{{
		name: "a file per request",
		add: func(p *ProcessBuilder) {
			for i := range 1500 {
				p.AddHandle(handle(uint64(4+4*i), "File", fmt.Sprintf(`%s\request-%d {HarddiskVolume4}`, spool, i)))
			}
			for i := range 20 {
				p.AddHandle(handle(uint64(0x10000+4*i), "Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent`))
			}
		},
		want: &Folder{Type: "File", Path: spool + " {HarddiskVolume4}", Handles: 1500, Names: 1500, Of: 1520},
	}, {
		// One name of the folder holds most of its handles: the name
		// says it all.
		name: "one name held most", add: func(p *ProcessBuilder) {
			for i := range 1100 {
				p.AddHandle(handle(uint64(4+4*i), "File", fmt.Sprintf(`%s\request-%d`, spool, i)))
			}
			for i := range 5000 {
				p.AddHandle(handle(uint64(0x10000+4*i), "File", spool+`\queue.dat`))
			}
		},
	}, {
		name: "too few names to tally", add: func(p *ProcessBuilder) {
			for i := range 500 {
				p.AddHandle(handle(uint64(4+4*i), "File", fmt.Sprintf(`%s\request-%d`, spool, i)))
			}
		},
	}, {
		// Spread over many folders, none holding a tenth.
		name: "no folder stands out", add: func(p *ProcessBuilder) {
			for i := range 2000 {
				p.AddHandle(handle(uint64(4+4*i), "File", fmt.Sprintf(`C:\Data\d%d\f%d`, i%20, i)))
			}
		},
	}, {
		// The reader left the process with 500 names, let go of
		// uncounted: the tally is incomplete, and names no folder.
		name: "incomplete", add: func(p *ProcessBuilder) {
			for i := range 500 {
				p.AddHandle(handle(uint64(4+4*i), "File", fmt.Sprintf(`C:\Data\f%d`, i)))
			}
			p.seal()
			for i := range 1500 {
				p.AddHandle(handle(uint64(0x10000+4*i), "File", fmt.Sprintf(`%s\request-%d`, spool, i)))
			}
		},
	}} {
		t.Run(c.name, func(t *testing.T) {
			b := NewBuilder()
			p := b.Process("a0", Position{})
			c.add(p)
			got := b.Snapshot().Processes[0].TopFolder
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("TopFolder (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTopFolderPastTheTable: past NameTableLimit distinct names, and with
// the reader turning to another process in between (a seal), the folder
// is counted among the names the table held: lower bounds, and Of short
// of the handles.
func TestTopFolderPastTheTable(t *testing.T) {
	b := NewBuilder()
	const n = 3 * NameTableLimit
	leaker := b.Process("a0", Position{})
	for i := range n / 2 {
		leaker.AddHandle(handle(uint64(4+4*i), "File", fmt.Sprintf(`C:\ProgramData\Contoso\Spool\request-%d`, i)))
	}
	other := b.Process("b0", Position{})
	other.AddHandle(handle(4, "Event", ""))
	leaker = b.Process("a0", Position{})
	for i := n / 2; i < n; i++ {
		leaker.AddHandle(handle(uint64(4+4*i), "File", fmt.Sprintf(`C:\ProgramData\Contoso\Spool\request-%d`, i)))
	}
	var got *Folder
	for _, p := range b.Snapshot().Processes {
		if p.Address == "a0" {
			got = p.TopFolder
		}
	}
	if got == nil {
		t.Fatal("no TopFolder")
	}
	if got.Path != `C:\ProgramData\Contoso\Spool` || got.Type != "File" || got.Handles != got.Of || got.Names != got.Handles {
		t.Errorf("TopFolder %+v: want every name counted under the spool folder", got)
	}
	if got.Of < NameTableLimit || got.Of >= n {
		t.Errorf("Of = %d, want the names the table held: at least %d, under %d", got.Of, NameTableLimit, n)
	}
}
