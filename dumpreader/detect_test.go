package dumpreader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// capturesByFormat are the captures at hand, the project's and the shared
// corpus's, by the format each is in: globs relative to this package.
var capturesByFormat = map[Format][]string{
	FormatKD: {
		"../testdata/kd/*.txt", "../testdata/examples/*.txt",
		"../../shared/corpus/kd/*.txt", "../../shared/corpus/um/*.txt",
		"../../shared/corpus/htrace/*.txt", "../../shared/corpus/vm/*.txt",
		"../../shared/corpus/cases/*-kd-*.txt", "../../shared/corpus/cases/*-um-*.txt",
		"../../shared/corpus/wintools/dx-*",
	},
	FormatHandle: {"../testdata/handleexe/*.txt", "../../shared/corpus/handleexe/*.txt"},
	FormatLsof:   {"../testdata/lsof/*.txt", "../../shared/corpus/cases/*-lsof-*.txt"},
	FormatLsfd:   {"../testdata/lsfd/*.txt"},
	FormatProcFD: {"../testdata/procfd/*.txt"},
	FormatGetProcess: {"../testdata/getprocess/*.txt", "../testdata/getprocess/*.csv",
		"../../shared/corpus/wintools/getprocess-*"},
	FormatWMIC:        {"../testdata/wmic/*.txt", "../../shared/corpus/wintools/wmic-*"},
	FormatTaskMgr:     {"../testdata/taskmgr/*.txt"},
	FormatProcexp:     {"../testdata/procexp/*.txt"},
	FormatSysinformer: {"../testdata/sysinformer/*.txt", "../../shared/corpus/wintools/systeminformer-*"},
	FormatOsquery:     {"../testdata/osquery/*.txt", "../../shared/corpus/wintools/other-osquery-*"},
	FormatFindZombie:  {"../testdata/findzombie/*.txt", "../../shared/corpus/wintools/findzombiehandles-*"},
	FormatDrMemory:    {"../testdata/drmemory/*.txt"},
	FormatPsList:      {"../testdata/pslist/*.txt"},
	FormatTaskList:    {"../testdata/tasklist/*.txt"},
	FormatPoolmon:     {"../testdata/poolmon/*.txt"},
	FormatEventLog:    {"../testdata/eventlog/*.txt"},
	FormatCounterLog:  {"counterlog/testdata/*.txt", "../../shared/corpus/wintools/perfmon-*"},
	FormatPrometheus:  {"../testdata/prometheus/*.txt", "../../shared/corpus/wintools/other-prometheus-*"},
	FormatVolatility:  {"../testdata/volatility/*.txt"},
}

// TestSniffMatrix runs every text format's sniff on every capture at hand:
// the capture's own format must take it, and no stricter format may (kd,
// the loosest, is tried last and may accept other tools' output, which
// is why detection tries it after them). Detect must name the capture's
// format. The packages' own tests try their sniffs on short texts.
func TestSniffMatrix(t *testing.T) {
	var n, fromCorpus int
	for want, globs := range capturesByFormat {
		for _, glob := range globs {
			paths, err := filepath.Glob(glob)
			if err != nil {
				t.Fatal(err)
			}
			n += len(paths)
			if strings.Contains(glob, "shared/corpus") {
				fromCorpus += len(paths)
			}
			for _, path := range paths {
				t.Run(filepath.ToSlash(path), func(t *testing.T) {
					head := sniffHead(t, path)
					text := headText(head)
					for _, f := range formats {
						if f.sniff == nil || f.loose && f.name != want {
							continue
						}
						if got := f.sniff(text, len(head) == scan.SniffLen); got != (f.name == want) {
							t.Errorf("the %s sniff says %v of a %s capture", f.name, got, want)
						}
					}
					if got := Detect(head); got != want {
						t.Errorf("Detect = %q, want %q", got, want)
					}
				})
			}
		}
	}
	if n == 0 {
		t.Fatal("no captures found")
	}
	if fromCorpus == 0 {
		t.Log("../shared/corpus is absent: only the project's own captures were tried")
	}
}

// sniffHead is the head of the capture at path that detection sees.
func sniffHead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > scan.SniffLen {
		data = data[:scan.SniffLen]
	}
	return data
}

// TestDetectVMOutputAsKD: rows only !vm prints, without the command, are
// kd text, not taken for another tool's output.
func TestDetectVMOutputAsKD(t *testing.T) {
	const vm = "Page File: \\??\\C:\\pagefile.sys\n  Current:   4193784 Kb  Free Space:   4193780 Kb\n"
	if f := Detect([]byte(vm)); f != FormatKD {
		t.Errorf("Detect(!vm output) = %q, want kd", f)
	}
}

// TestDetectFlattenedVerifierStop: an Application Verifier stop a page
// flattened onto one line, the debugger's rule of '=' first, is kd text.
func TestDetectFlattenedVerifierStop(t *testing.T) {
	const stop = "==================== VERIFIER STOP 0000A000 : pid 0x9C4: Leaked printer handle detected 01A2B3C4 : Printer handle being leaked. ====================\n"
	if f := Detect([]byte(stop)); f != FormatKD {
		t.Errorf("Detect(flattened verifier stop) = %q, want kd", f)
	}
}

// TestDetectSessionWithAnotherToolPasted: a debugger session that another
// tool's output was pasted into after it (cdb's !handle, then Handle's
// listing of the same process) is read as the debugger's log; that tool's
// output first, with a session after it, is still that tool's.
func TestDetectSessionWithAnotherToolPasted(t *testing.T) {
	const session = "0:000> !handle\n" +
		"Handle 4\n  Type         \tEvent\n" +
		"Handle 8\n  Type         \tKey\n" +
		"Handle c\n  Type         \tFile\n" +
		"3 Handles\nType           \tCount\nEvent          \t1\nKey            \t1\nFile           \t1\n"
	const handle = "C:\\tools> handle64.exe -p 4242\n\n" +
		"Nthandle v5.0 - Handle viewer\nCopyright (C) 1997-2022 Mark Russinovich\nSysinternals - www.sysinternals.com\n\n" +
		"   C: File          C:\\ProgramData\\Agent\\agent.log\n\n"
	tests := []struct {
		name, text string
		want       Format
	}{
		{"session, then Handle", session + "\n" + handle, FormatKD},
		{"Handle, then a session", handle + session, FormatHandle},
		{"Handle alone", handle, FormatHandle},
		{"Handle run by .shell", "0:000> .shell -ci \"\" handle64.exe -p 4242\n" + handle[len("C:\\tools> handle64.exe -p 4242\n"):], FormatHandle},
	}
	for _, tc := range tests {
		if got := Detect([]byte(tc.text)); got != tc.want {
			t.Errorf("Detect(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestDetectLsofElidedColumns: lsof rows whose columns an author replaced
// by "..." are lsof's, alone or under their command; other tools' output
// with an author's "..." in it stays theirs.
func TestDetectLsofElidedColumns(t *testing.T) {
	const rows = "java 1234 app 45u IPv6 ... TCP api01:443->10.0.9.4:5521 (CLOSE_WAIT)\n" +
		"java 1234 app 46u IPv6 … TCP api01:443->10.0.9.4:5522 (CLOSE_WAIT)\n"
	tests := []struct {
		name, text string
		want       Format
	}{
		{"rows alone", rows, FormatLsof},
		{"one row under its command", "$ lsof -p 1234 | grep CLOSE_WAIT\n" + rows[:strings.IndexByte(rows, '\n')+1], FormatLsof},
		{"a /proc listing with an elision", "$ ls -l /proc/1234/fd\ntotal 0\n" +
			"lrwx------ 1 app app 64 Dec  7 13:58 45 -> socket:[51200101]\n...\n" +
			"lrwx------ 1 app app 64 Dec  7 13:58 46 -> socket:[51200102]\n", FormatProcFD},
		{"a kd session with an elision", "0: kd> !process 0 0\n**** NT ACTIVE PROCESS DUMP ****\n" +
			"PROCESS 8a5295f0  SessionId: 0  Cid: 04d2    Peb: 7ffdf000  ParentCid: 0004\n" +
			"    DirBase: 0acc0020  ObjectTable: e1002e68  HandleCount: 12045.\n    Image: java.exe\n...\n", FormatKD},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect([]byte(tc.text)); got != tc.want {
				t.Errorf("Detect(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestDetectLsofCountAlone: a capture whose only reading is the count an
// lsof command that names no pid piped into wc -l is lsof's (read to say
// the count is no descriptor count), after every other format: one with
// a listing besides is the listing's, and `lsof -p PID | wc -l` procfd's.
func TestDetectLsofCountAlone(t *testing.T) {
	const listing = "$ ls -l /proc/1234/fd\ntotal 0\nlrwx------ 1 app app 64 Dec  7 13:58 45 -> socket:[51200101]\n"
	tests := []struct {
		name, text string
		want       Format
	}{
		{"lsof | wc -l after a prompt", "[root@web01 ~]# lsof | wc -l\n4140\n", FormatLsof},
		{"between the file-nr and ulimit of a tutorial", "# cat /proc/sys/fs/file-nr\n3391 0 52427\n# lsof | wc -l\n4399\n# ulimit -n\n1024\n", FormatLsof},
		{"grep -c after lsof -c", "$ sudo lsof -c contoso | grep -c TCP\n1033\n", FormatLsof},
		{"with a listing besides", "$ lsof -c contoso | wc -l\n57\n" + listing, FormatProcFD},
		{"lsof -p PID | wc -l", "$ lsof -p 1234 | wc -l\n57\n", FormatProcFD},
		{"a command without its count", "$ lsof | wc -l\n", ""},
		{"prose", "Run lsof | wc -l to count them.\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect([]byte(tc.text)); got != tc.want {
				t.Errorf("Detect(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestDetectFileTableAlone: a Linux machine's file table alone (file-nr
// after its command, sysctl's line, the kernel's file-max messages) is
// read by the /proc reader, after every other format; before, it was
// refused, and LD0041 could not say the table was full.
func TestDetectFileTableAlone(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Format
	}{
		{"file-nr after its command", "$ cat /proc/sys/fs/file-nr\n64320\t0\t65536\n", FormatProcFD},
		{"sysctl's line", "fs.file-nr = 64320\t0\t65536\n", FormatProcFD},
		{"the journal's messages", "Dec 07 10:00:00 web01 kernel: VFS: file-max limit 65536 reached\n", FormatProcFD},
		{"with lsof's count, lsof's", "# cat /proc/sys/fs/file-nr\n3391 0 52427\n# lsof | wc -l\n4399\n", FormatLsof},
		{"figures without their command", "64320\t0\t65536\n", ""},
		{"prose", "The log said VFS: file-max limit 65536 reached, twice.\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect([]byte(tc.text)); got != tc.want {
				t.Errorf("Detect(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestDetectWikiMacroBeforeRows: a capture pasted from a ticket whose
// first line is a wiki's {code} or {noformat} macro is text, not JSON (it
// was refused: a capture starting with "{" was offered to the JSON
// formats alone).
func TestDetectWikiMacroBeforeRows(t *testing.T) {
	const rows = "java      4242 4250  contoso  273r      REG              253,2    352585     42018 /srv/fabrikam/cache/a.jar (deleted)\n" +
		"java      4242 4250  contoso  274r      REG              253,2    181410     42019 /srv/fabrikam/cache/b.jar (deleted)\n"
	tests := []struct {
		name, text string
		want       Format
	}{
		{"{code}", "{code}\n" + rows + "{code}\n", FormatLsof},
		{"{code:bash}", "{code:bash}\n" + rows, FormatLsof},
		{"{noformat}", "{noformat}\n" + rows, FormatLsof},
		{"JSON that no format reads", "{\"lsof\": 1}\n" + rows, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect([]byte(tc.text)); got != tc.want {
				t.Errorf("Detect(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestDetectGoTestJSONLog: a Go test suite's `go test -json` log of a cdb
// session, which begins with "{" as JSON does, is kd text (it was
// refused: no JSON format reads it); JSON of another shape is still none.
func TestDetectGoTestJSONLog(t *testing.T) {
	const log = `{"Time":"2026-04-02T16:13:07Z","Action":"run","Test":"TestLeaks"}` + "\n" +
		`{"Time":"2026-04-02T16:13:07Z","Action":"output","Test":"TestLeaks","Output":"0:000\u003e !handle 0 0\n"}` + "\n" +
		`{"Time":"2026-04-02T16:13:07Z","Action":"output","Test":"TestLeaks","Output":"42 Handles\n"}` + "\n"
	if got := Detect([]byte(log)); got != FormatKD {
		t.Errorf("Detect(go test -json log) = %q, want %q", got, FormatKD)
	}
	if got := Detect([]byte(`{"Time":"2026-04-02T16:13:07Z","Action":"run","Test":"TestLeaks"}` + "\n" + `{"Time":"x","Action":"pass"}` + "\n")); got != "" {
		t.Errorf("Detect(go test -json log without a session) = %q, want none", got)
	}
}
