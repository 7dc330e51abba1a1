package corpus

import "testing"

// A folder the corpus does not have skips the test that asks for it.
func TestPathSkipsWhatIsAbsent(t *testing.T) {
	var inner *testing.T
	t.Run("absent", func(t *testing.T) {
		inner = t
		Path(t, "no such folder")
		t.Error("Path returned for a folder that is not there")
	})
	if !inner.Skipped() {
		t.Errorf("Path(%q) did not skip", "no such folder")
	}
}
