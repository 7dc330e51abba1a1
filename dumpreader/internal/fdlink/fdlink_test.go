package fdlink

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

func TestKind(t *testing.T) {
	tests := []struct {
		link, typ, name string
		naming          facts.Naming
	}{
		{"socket:[40315]", "socket", "socket:[40315]", facts.Named},
		{"socket:[x]", "other", "socket:[x]", facts.Named},
		{"pipe:[775725]", "pipe", "pipe:[775725]", facts.Named},
		{"anon_inode:[eventfd]", "eventfd", "", facts.Unnamed},
		{"anon_inode:[eventfd:27]", "eventfd", "", facts.Unnamed},
		{"anon_inode:inotify", "inotify", "", facts.Unnamed},
		{"anon_inode:[pidfd]", "anon_inode", "[pidfd]", facts.Named},
		{"anon_inode:", "anon_inode", "", facts.Unnamed},
		{"/", "directory", "/", facts.Named},
		{"/dev/null", "device", "/dev/null", facts.Named},
		{"/dev/shm/seg", "file", "/dev/shm/seg", facts.Named},
		{"/var/log/app.log (deleted)", "file", "/var/log/app.log (deleted)", facts.Named},
		{"net:[4026531992]", "namespace", "net:[4026531992]", facts.Named},
		{"mystery", "other", "mystery", facts.Named},
	}
	for _, tc := range tests {
		typ, name, naming := Kind(tc.link)
		if typ != tc.typ || name != tc.name || naming != tc.naming {
			t.Errorf("Kind(%q) = %q, %q, %v, want %q, %q, %v", tc.link, typ, name, naming, tc.typ, tc.name, tc.naming)
		}
	}
}

func TestIsDeleted(t *testing.T) {
	tests := []struct {
		typ, name string
		want      bool
	}{
		{"file", "/tmp/x (deleted)", true},
		{"file", "/memfd:y (deleted)", false},
		{"device", "/dev/pts/3 (deleted)", false},
		{"file", "/tmp/x", false},
	}
	for _, tc := range tests {
		if got := IsDeleted(tc.typ, tc.name); got != tc.want {
			t.Errorf("IsDeleted(%q, %q) = %v, want %v", tc.typ, tc.name, got, tc.want)
		}
	}
}
