package lsof

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/internal/corpus"
	"github.com/leakdiag/leakdiag/internal/listgen"
)

// readJSONWith reads capture with par into snapshot JSON.
func readJSONWith(t *testing.T, capture string, par scan.Parallel) string {
	t.Helper()
	return readtest.JSONWith(t, ReadWith, Name, capture, par)
}

// checkParallel fails unless capture reads the same with workers as
// without (readtest.CheckParallel).
func checkParallel(t *testing.T, name, capture string) {
	t.Helper()
	readtest.CheckParallel(t, ReadWith, Name, name, capture)
}

// Rows are taken from the workers only in the state they assume: the
// header they were parsed under, no -F set being read, a line the
// cleaner leaves as it is; anything else is read by the reader.
func TestParallelStates(t *testing.T) {
	const hdr = "COMMAND  PID USER  FD      TYPE             DEVICE SIZE/OFF    NODE NAME\n"
	const hdrTID = "COMMAND  PID  TID TASKCMD               USER  FD      TYPE             DEVICE  SIZE/OFF    NODE NAME\n"
	const rows = "java    4242  app cwd       DIR              259,2     4096 1835010 /srv/app\n" +
		"java    4242  app   0r      CHR                1,3      0t0       5 /dev/null\n" +
		"java    4242  app   4r     FIFO               0,13      0t0   35542 pipe\n" +
		"java    4242  app  11u     IPv6              91333      0t0     TCP 10.0.3.17:43107->10.0.9.4:5432 (CLOSE_WAIT)\n"
	const rowsTID = "systemd    1                            root cwd       DIR              259,2      4096       2 /\n" +
		"systemd    1  812 gmain                 root   3w      CHR               1,11       0t0      11 /dev/kmsg\n" +
		"systemd    1                            root   4u  a_inode               0,14         0    1058 [eventpoll:5,7]\n"
	const fields = "p812\ncsshd\nf3\ntIPv4\nn*:22\nf4\ntREG\nn/x (deleted)\n"
	cases := map[string]string{
		"bare rows":       rows + rows,
		"header":          rows + hdr + rows,
		"two headers":     hdr + rows + hdrTID + rowsTID + hdr + rows,
		"command":         hdr + rows + "$ lsof -p 4242\n" + rows + "root@web01:~# lsof -nP\n" + hdr + rows,
		"fields and rows": hdr + rows + fields + rows + "\n" + rows,
		"messages":        hdr + "lsof: WARNING: can't stat() fuse.gvfsd-fuse file system /run/user/1000/gvfs\n      Output information may be incomplete.\n" + rows,
		"entities":        hdr + strings.ReplaceAll(rows, "->", "-&gt;") + "java    4242  app  12u      REG              259,2        0 1835222 /srv/a&amp;b\n" + rows,
		"markdown":        hdr + "> " + strings.ReplaceAll(rows, "\n", "\n> ") + "\n" + rows,
		"commented":       "# " + hdr + "# " + strings.ReplaceAll(strings.TrimSuffix(rows, "\n"), "\n", "\n# ") + "\n" + rows,
		"foreign command": hdr + rows + "$ ls -l\n" + rows,
		"repeat":          hdr + rows + "=======\n" + rows,
		"unterminated":    hdr + rows + strings.TrimSuffix(rows, "\n"),
		// Lines that read as rows too, but are read before as what they
		// also are: a field of a -F set, lsof's message, a command line.
		// No header: the workers parse under none from the start.
		"set look-alike":     "p42\n" + "cjava 4242 app 5u REG 259,2 0 7 /x\n" + rows,
		"p look-alike":       rows + "p42\x00 4242 app 5u REG 259,2 0 7 /x\n" + rows,
		"message look-alike": rows + "lsof: 4242 app 5u REG 259,2 0 7 /x\n" + rows,
		"prompt look-alike":  rows + "root@web01:~# 4242 app 5u REG 259,2 0 7 /x\n" + rows,
		"lsof look-alike":    rows + "sudo lsof 4242 app 5u REG 259,2 0 7 /x\n" + rows,
		// Two headers that differ only in where a column lsof adds with
		// an option (FILE-ADDR, NLINK) ends.
		"others": "COMMAND  PID USER  FD      TYPE             DEVICE SIZE/OFF NLINK    NODE NAME\n" +
			"java    4242  app   7u      REG              259,2     4096     1 1835010 /srv/a\n" +
			"COMMAND  PID USER  FD      TYPE             DEVICE SIZE/OFF  NLINK   NODE NAME\n" +
			"java    4242  app   8u      REG              259,2     4096     1 1835010 /srv/b\n",
	}
	for name, c := range cases {
		checkParallel(t, name, c)
	}
}

// TestParallelCaptures: the project's lsof captures and generated
// listings read the same on workers.
func TestParallelCaptures(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(lsofDir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no captures in %s: %v", lsofDir, err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkParallel(t, p, string(data))
	}
	cfg := listgen.Config{Processes: 9, Handles: 2000, Seed: 7, LeakShare: 0.4}
	var listing, fields, fields0 bytes.Buffer
	if _, err := listgen.WriteLsof(&listing, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := listgen.WriteLsofFields(&fields, cfg, false); err != nil {
		t.Fatal(err)
	}
	if _, err := listgen.WriteLsofFields(&fields0, cfg, true); err != nil {
		t.Fatal(err)
	}
	checkParallel(t, "generated listing", listing.String())
	checkParallel(t, "generated -F", fields.String())
	checkParallel(t, "generated -F0", fields0.String())
}

// TestParallelCorpus: so does every capture of the shared corpus, read
// as lsof output whatever its format.
func TestParallelCorpus(t *testing.T) {
	root := corpus.Path(t)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".tsv") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checkParallel(t, p, string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// mayPrecedeRow holds for every line readLine reads before rows, and for
// no row.
func TestMayPrecedeRow(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"lsof: WARNING: can't stat() fuse.gvfsd-fuse file system /run/user/1000/gvfs", true},
		{"Output information may be incomplete.", true},
		{`assuming "dev=fd01" from mount table`, true},
		{"[sudo] password for ops:", true},
		{"COMMAND  PID USER  FD      TYPE             DEVICE SIZE/OFF    NODE NAME", true},
		{"lsof -nP -p 4242", true},
		{"lsof", true},
		{"sudo lsof -nP", true},
		{"root@web01:~# lsof -nP", true},
		{"$ ls -l", true},
		{"p4242", true},
		{"p812\x00g812\x00R1\x00csshd\x00", true},
		{"java    4242  app   0r      CHR                1,3      0t0       5 /dev/null", false},
		{"sudo    4242  root cwd      DIR              259,2     4096       2 /", false},
		{"p4242x 42 app 0r CHR 1,3 0t0 5 /dev/null", false},
	}
	for _, tc := range tests {
		if got := mayPrecedeRow([]byte(tc.line)); got != tc.want {
			t.Errorf("mayPrecedeRow(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

// promptEnd finds the first prompt marker as a byte-by-byte scan would.
func TestPromptEnd(t *testing.T) {
	slow := func(line []byte) int {
		for i := 0; i+1 < len(line) && i < 120; i++ {
			if (line[i] == '$' || line[i] == '#' || line[i] == '%') && line[i+1] == ' ' {
				return i
			}
		}
		return -1
	}
	lines := []string{"", "$", "$ ", "# x", "a$b% c# d", "%%% $$ ##", "x$", "ab#", strings.Repeat("x", 119) + "$ ", strings.Repeat("x", 120) + "$ ",
		strings.Repeat("x", 118) + "# y", "root@web01:~# lsof", "[root@h ~]# lsof", "java 4242 app 5u REG 259,2 0 7 /a$b # c"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		b := make([]byte, rng.IntN(130))
		for i := range b {
			b[i] = "$#% xa"[rng.IntN(6)]
		}
		lines = append(lines, string(b))
	}
	for _, l := range lines {
		if got, want := promptEnd([]byte(l)), slow([]byte(l)); got != want {
			t.Errorf("promptEnd(%q) = %d, want %d", l, got, want)
		}
	}
}

// hasProcessField tells -F output, which ReadWith reads serially, by a p
// field among its lines.
func TestHasProcessField(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{"$ lsof -F pcfn\np812\ncsshd\nf0\n", true},
		{"p812\x00g812\x00R1\x00csshd\x00\nfcwd\x00", true},
		{"  p42", true},
		{"COMMAND  PID USER  FD      TYPE             DEVICE SIZE/OFF    NODE NAME\njava    4242  app   0r      CHR                1,3      0t0       5 /dev/null\n", false},
		{"pipe\np\np4x\n", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := hasProcessField([]byte(tc.head)); got != tc.want {
			t.Errorf("hasProcessField(%q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

// FuzzParallel: any input reads the same on workers, every line parsed by
// one, cut in pieces of a few bytes, as on one goroutine.
func FuzzParallel(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("../../testdata", "lsof", "*.txt"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, uint8(7))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		want := readJSONWith(t, string(data), scan.Parallel{})
		if got := readJSONWith(t, string(data), scan.Parallel{Workers: 2, ChunkSize: 1 + int(chunk), Wait: true}); got != want {
			t.Errorf("chunks of %d: the snapshot differs from the serial read\nserial:\n%s\nparallel:\n%s", 1+int(chunk), want, got)
		}
	})
}
