package lsof

import "testing"

// TestReadWikiFence: Jira's {code} and {noformat} around rows are a
// fence, ignored as markdown's is (they were unrecognized lines).
func TestReadWikiFence(t *testing.T) {
	const rows = "java      4242 4250  contoso  273r      REG              253,2    352585     42018 /srv/fabrikam/cache/a.jar (deleted)\n"
	for _, open := range []string{"{code}", "{code:bash}", "{noformat}"} {
		snap := readLsofBytes(t, []byte(open+"\n"+rows+open[:len(open)-1]+"}\n"), "wiki.txt")
		checkLsofLines(t, snap, "wiki.txt")
		if l := snap.Sources[0].Lines; l.Unrecognized != 0 || l.Ignored != 2 {
			t.Errorf("%s: %d unrecognized, %d ignored lines, want 0 and 2", open, l.Unrecognized, l.Ignored)
		}
	}
}
