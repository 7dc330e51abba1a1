//go:build unix

package rules

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Hostile rules directories and files: what `--rules DIR`,
// `--suppressions FILE` and `rules lint FILE` read. Each case makes an
// entry in a fresh directory (the input) and names the error reading it
// must give, in bounded time and memory.
func TestHostileReads(t *testing.T) {
	big := strings.Repeat("# padding\n", MaxFileSize/10+1)
	cases := []struct {
		name string
		// make creates the entry x.yaml in dir.
		make func(t *testing.T, dir string)
		// want is in the error of ReadDir(dir) and ReadPath(dir/x.yaml);
		// "" when both read the file.
		want string
	}{
		{"symlink to /dev/zero", func(t *testing.T, dir string) {
			symlink(t, "/dev/zero", filepath.Join(dir, "x.yaml"))
		}, "x.yaml: is a device; rule and suppressions files are read only from regular files"},
		{"FIFO", func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "x.yaml"), 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, "x.yaml: is a FIFO; rule and suppressions files are read only from regular files"},
		{"symlink to a FIFO", func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			symlink(t, "fifo", filepath.Join(dir, "x.yaml"))
		}, "x.yaml: is a FIFO"},
		{"over MaxFileSize", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "x.yaml"), big)
		}, "x.yaml: larger than 8 MiB, the most a rule or suppressions file may hold (rules.MaxFileSize)"},
		{"at MaxFileSize", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "x.yaml"), big[:MaxFileSize])
		}, ""},
		{"symlink to a regular file", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "real"), "rules: []\n")
			symlink(t, "real", filepath.Join(dir, "x.yaml"))
		}, ""},
		{"dangling symlink", func(t *testing.T, dir string) {
			symlink(t, "nowhere", filepath.Join(dir, "x.yaml"))
		}, "x.yaml: no such file or directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			c.make(t, dir)
			done := make(chan struct{})
			go func() {
				defer close(done)
				_, err := ReadDir(os.DirFS(dir), ".")
				checkErr(t, "ReadDir", err, c.want)
				_, err = ReadPath(filepath.Join(dir, "x.yaml"))
				checkErr(t, "ReadPath", err, c.want)
				if err != nil && !strings.Contains(err.Error(), dir) {
					t.Errorf("ReadPath error %q does not name the path it was given", err)
				}
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("reading hangs")
			}
		})
	}
}

func checkErr(t *testing.T, what string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: %v; want no error", what, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%s: %v; want an error with %q", what, err, want)
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Skipf("symlink: %v", err)
	}
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
