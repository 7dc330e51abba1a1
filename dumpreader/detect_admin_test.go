package dumpreader

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// adminFormats are the formats of Windows administrators' process lists
// (Get-Process, wmic, Task Manager, tasklist), whose sniffs read tables any tool
// might print.
var adminFormats = map[Format]bool{FormatGetProcess: true, FormatWMIC: true, FormatTaskMgr: true, FormatTaskList: true}

// TestDetectTakesNoDebuggerOutputForProcessLists: kd text, Handle and
// lsof output, the project's and the corpus's, are never taken for a
// process list, and the project's process lists are each detected as
// their own format.
func TestDetectTakesNoDebuggerOutputForProcessLists(t *testing.T) {
	for _, glob := range []string{
		"../testdata/kd/*.txt", "../testdata/handleexe/*.txt", "../testdata/lsof/*.txt",
		"../testdata/examples/*.txt", "../testdata/fdleak/*.txt",
		"../../shared/corpus/kd/*", "../../shared/corpus/um/*", "../../shared/corpus/handleexe/*",
		"../../shared/corpus/cases/*", "../../shared/corpus/vm/*",
	} {
		paths, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			data := readHead(t, path)
			if got := Detect(data); adminFormats[got] {
				t.Errorf("Detect(%s) = %q: debugger or tool output taken for a process list", path, got)
			}
		}
	}
	for dir, want := range map[string]Format{"getprocess": FormatGetProcess, "wmic": FormatWMIC, "taskmgr": FormatTaskMgr, "tasklist": FormatTaskList} {
		paths, err := filepath.Glob(filepath.Join("..", "testdata", dir, "*.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) == 0 {
			t.Fatalf("no captures in ../testdata/%s", dir)
		}
		for _, path := range paths {
			if got := Detect(readHead(t, path)); got != want {
				t.Errorf("Detect(%s) = %q, want %q", path, got, want)
			}
		}
	}
}

// TestDetectProcessListShapes: each layout alone is detected as its
// tool's, and what only looks like one is not.
func TestDetectProcessListShapes(t *testing.T) {
	tests := []struct {
		name, text string
		want       Format
	}{
		{"Get-Process table", "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n-------  ------    -----      -----     ------     --  -- -----------\n    466      18     2300       5428               368   0 csrss\n", FormatGetProcess},
		{"Get-Process Format-List", "Id      : 368\nHandles : 466\nCPU     :\nSI      : 0\nName    : csrss\n\n", FormatGetProcess},
		{"Export-Csv", "#TYPE Selected.System.Diagnostics.Process\n\"Id\",\"ProcessName\",\"Handles\"\n\"368\",\"csrss\",\"466\"\n", FormatGetProcess},
		{"wmic table", "HandleCount  Name       ProcessId\n466          csrss.exe  368\n", FormatWMIC},
		{"wmic csv", "\nNode,HandleCount,Name,ProcessId\nSRV,466,csrss.exe,368\n", FormatWMIC},
		{"wmic list", "HandleCount=466\nName=csrss.exe\nProcessId=368\n\n", FormatWMIC},
		{"Task Manager", "Name\tPID\tStatus\tHandles\ncsrss.exe\t368\tRunning\t466\n", FormatTaskMgr},
		{"Task Manager's default columns, no Handles", "Name\tPID\tStatus\tUser name\tCPU\tMemory (active private working set)\tArchitecture\tDescription\n" +
			"csrss.exe\t368\tRunning\tSYSTEM\t00 \t1,204 K\tx64\tClient Server Runtime Process\n", FormatTaskMgr},
		{"tasklist (no Handles, no tabs): its own, not Task Manager's", "Image Name                     PID Session Name        Session#    Mem Usage\n" +
			"========================= ======== ================ =========== ============\ncsrss.exe                      368 Services                   0      5,468 K\n", FormatTaskList},
		{"tasklist /fo csv", "\"Image Name\",\"PID\",\"Session Name\",\"Session#\",\"Mem Usage\"\n\"csrss.exe\",\"368\",\"Services\",\"0\",\"5,468 K\"\n", FormatTaskList},
		{"tasklist /fo list", "Image Name:   csrss.exe\nPID:          368\nSession Name: Services\nSession#:     0\nMem Usage:    5,468 K\n\n", FormatTaskList},
		{"tasklist /fo list /v", "Image Name:   csrss.exe\nPID:          368\nSession Name: Services\nSession#:     0\nMem Usage:    5,468 K\n" +
			"Status:       Unknown\nUser Name:    N/A\nCPU Time:     0:00:02\nWindow Title: N/A\n\n", FormatTaskList},
		{"tasklist /m /fo list of one process, no blank line after it", "Image Name:   notepad.exe\nPID:          7712\nModules:      ntdll.dll, KERNEL32.DLL\n", FormatTaskList},
		{"tasklist of a Chinese Windows", "映像名称                       PID 会话名              会话#       内存使用\n" +
			"========================= ======== ================ =========== ============\ncontoso.exe                   4120 Console                    1     12,040 K\n", FormatTaskList},
		{"tasklist /fo list of a Japanese Windows", "イメージ名:          contoso.exe\nPID:                 4120\nセッション名:        Console\nセッション#:         1\nメモリ使用量:        12,040 K\n\n", FormatTaskList},
		{"tasklist /fo csv of a Russian Windows", "\"Имя образа\",\"PID\",\"Имя сессии\",\"№ сеанса\",\"Память\"\n\"contoso.exe\",\"4120\",\"Console\",\"1\",\"12 040 КБ\"\n", FormatTaskList},
		{"Task Manager of a Chinese Windows, its default columns", "名称\tPID\t状态\t用户名\tCPU\t内存(专用工作集)\t描述\n" +
			"contoso.exe\t4120\t正在运行\talice\t00 \t3,992 K\tContoso Agent\n", FormatTaskMgr},
		{"Task Manager's Services tab alone: no process list", "Name\tPID\tDescription\tStatus\tGroup\n" +
			"ContosoSvc\t\tContoso Service\tStopped\t\nFabrikamSvc\t4120\tFabrikam\tRunning\tnetsvcs\n", ""},
		{"Task Manager's copy in a Python docstring", "\"\"\"Name\tPID\tStatus\tUser name\tCPU\tMemory (active private working set)\tArchitecture\tDescription\n" +
			"Contoso.UI.exe\t13192\tRunning\talice\t00 \t69,136 K\tx86\tContoso UI\n\"\"\"\n", FormatTaskMgr},
		{"tasklist /fo csv, its first cell quoted twice: no docstring", "\"Image Name\",\"PID\",\"Session Name\",\"Session#\",\"Mem Usage\"\n" +
			"\"\"\"contoso\"\" agent.exe\",\"368\",\"Services\",\"0\",\"5,468 K\"\n", FormatTaskList},
		{"wmic's table in a Python bytes literal", "b'HandleCount  Name       ProcessId  \n466          csrss.exe  368\n", FormatWMIC},
		{"a bytes literal quoted whole: no header", "b'HandleCount  Name       ProcessId'\n466          csrss.exe  368\n", ""},
		{"a log's key: value lines", "Image Name: build 42\nPID: 368\nNote: none\n", ""},
		{"tasklist pasted after wmic's table: wmic's", "HandleCount  Name       ProcessId\n466          csrss.exe  368\n\n" +
			"Image Name                     PID Session Name        Session#    Mem Usage\n" +
			"========================= ======== ================ =========== ============\ncsrss.exe                      368 Services                   0      5,468 K\n", FormatWMIC},
		{"a header alone", "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n", ""},
		{"Handle's CSV", "Process,PID,Type,Handle,Name\nexplorer.exe,3520,File,0x0000000000000044,C:\\Windows\n", FormatHandle},
		{"prose", "The Id of csrss was 368 and its Handles were 466.\n", ""},
	}
	for _, tc := range tests {
		if got := Detect([]byte(tc.text)); got != tc.want {
			t.Errorf("%s: Detect = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func readHead(t *testing.T, path string) []byte {
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
