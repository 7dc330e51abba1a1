package engine

import "testing"

func TestVendorPrefix(t *testing.T) {
	for name, want := range map[string]string{
		`\BaseNamedObjects\Contoso_AgentReady`:                   "Contoso",
		`\Sessions\1\BaseNamedObjects\Fabrikam.Sync.Lock`:        "Fabrikam",
		`\BaseNamedObjects\Global_ShutdownEvent`:                 "",
		`\BaseNamedObjects\MSCTF.Asm.MutexDefault1`:              "",
		`\BaseNamedObjects\SessionImmersiveColorSet_1`:           "",
		`\BaseNamedObjects\Abc_1`:                                "", // three letters: too short to be a name
		`\BaseNamedObjects\ContosoReady`:                         "", // no separator after the prefix
		`\REGISTRY\MACHINE\SOFTWARE\Contoso_Agent`:               "",
		`\Program Files\Contoso_Agent\log.txt {HarddiskVolume3}`: "",
		// Files and connections name no vendor by their first word.
		`/root/test_rm.log`:                "",
		`C:\Users\ann\Contoso_log.txt`:     "",
		`\\fileserver\share\Contoso_x.dat`: "",
		`localhost:6379->localhost:41234`:  "",
		`localhost:6379 (LISTEN)`:          "",
		`Fabrikam:Ready`:                   "Fabrikam",
		// The names Linux gives what is no file name no vendor either.
		`socket:[9458743]`:     "",
		`pipe:[1646101]`:       "",
		`anon_inode:[eventfd]`: "",
		`anon_inode:inotify`:   "",
	} {
		if got := vendorPrefix(name); got != want {
			t.Errorf("vendorPrefix(%q) = %q, want %q", name, got, want)
		}
	}
}
