package tasklist_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

var n = proctest.N

var parseCases = []proctest.Case{{
	Name: "the default table under its equals signs: processes, their counts unknown and said so",
	In: "Image Name                     PID Session Name        Session#    Mem Usage\n" +
		"========================= ======== ================ =========== ============\n" +
		"System Idle Process              0 Services                   0          8 K\n" +
		"spoolsv.exe                   2412 Services                   0    104,516 K\n" +
		"explorer.exe                  6044 Console                    1     88,412 K\n",
	Lines: facts.LineCounts{Total: 5, Parsed: 5},
	Count: 3,
	Procs: []proctest.Proc{
		{PID: 0, Image: "System Idle Process", Session: n(0)},
		{PID: 2412, Image: "spoolsv.exe", Session: n(0)},
		{PID: 6044, Image: "explorer.exe", Session: n(1)},
	},
	Diags: []string{"1:missing-value"},
}, {
	Name: "/svc after cmd's prompt: the services of a svchost.exe",
	In: "C:\\>tasklist /svc /fi \"pid eq 960\"\n\n" +
		"Image Name                     PID Services\n" +
		"========================= ======== ============================================\n" +
		"svchost.exe                    960 RpcEptMapper, RpcSs\n",
	Lines: facts.LineCounts{Total: 5, Parsed: 4, Ignored: 1},
	Count: 1,
	Procs: []proctest.Proc{{PID: 960, Image: "svchost.exe"}},
	Codes: []string{facts.CodeMissing},
}, {
	Name: "/svc: a svchost.exe's services wrapped onto lines indented to the column are the row's",
	In: "C:\\>tasklist /svc /fi \"imagename eq svchost.exe\"\n\n" +
		"Image Name                     PID Services\n" +
		"========================= ======== ============================================\n" +
		"svchost.exe                    412 PlugPlay\n" +
		"svchost.exe                    736 BrokerInfrastructure, DcomLaunch, Power,\n" +
		"                                   SystemEventsBroker\n" +
		"svchost.exe                    812 Appinfo, gpsvc, ProfSvc, Schedule, SENS,\n" +
		"                                   ShellHWDetection, Themes, UserManager,\n" +
		"                                   Winmgmt\n" +
		"contoso.exe                   2044 ContosoAgent\n" +
		"   fabrikam notes\n",
	Lines: facts.LineCounts{Total: 12, Parsed: 10, Ignored: 1, Unrecognized: 1},
	Count: 4,
	Procs: []proctest.Proc{{PID: 412, Image: "svchost.exe"}, {PID: 736, Image: "svchost.exe"},
		{PID: 812, Image: "svchost.exe"}, {PID: 2044, Image: "contoso.exe"}},
	Codes: []string{facts.CodeMissing},
}, {
	Name: "/svc with its blanks collapsed by a web page: a row's services after its pid, their list going on unindented after a comma",
	In: "Image Name PID Services\n" +
		"========================= ====== =============================================\n" +
		"System Idle Process 0 N/A\n" +
		"svchost.exe 1528 DcomLaunch, TermService\n" +
		"svchost.exe 1892 AudioSrv, BITS, CryptSvc, Dhcp,\n" +
		"EventSystem, lanmanserver, lanmanworkstation,\n" +
		"wscsvc, wuauserv\n" +
		"contoso.exe 2044 ContosoAgent\n" +
		"fabrikam, notes\n",
	Lines: facts.LineCounts{Total: 9, Parsed: 8, Unrecognized: 1},
	Count: 4,
	Procs: []proctest.Proc{{PID: 0, Image: "System Idle Process"}, {PID: 1528, Image: "svchost.exe"},
		{PID: 1892, Image: "svchost.exe"}, {PID: 2044, Image: "contoso.exe"}},
	Codes: []string{facts.CodeMissing},
}, {
	Name: "/fo csv with its header under a markdown heading, and a filter that matched nothing",
	In: "## Running Python Processes\n" +
		"\"Image Name\",\"PID\",\"Session Name\",\"Session#\",\"Mem Usage\"\n" +
		"\"svchost.exe\",\"804\",\"Services\",\"0\",\"25,600 K\"\n" +
		"INFO: No tasks are running which match the specified criteria.\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 2, Ignored: 2},
	Count: 1,
	Procs: []proctest.Proc{{PID: 804, Image: "svchost.exe", Session: n(0)}},
	Codes: []string{facts.CodeMissing},
}, {
	Name: "/svc piped to findstr: its rows read under the header tasklist prints, as the command line says",
	In: "C:\\Users\\ops>tasklist /svc /fi \"imagename eq svchost.exe\" | findstr 2208\n" +
		"svchost.exe                   2208 N/A\n" +
		"svchost.exe                  12208 Appinfo, gpsvc, ProfSvc, Schedule,\n" +
		"                                   Winmgmt\n",
	Lines: facts.LineCounts{Total: 4, Parsed: 4},
	Count: 2,
	Procs: []proctest.Proc{{PID: 2208, Image: "svchost.exe"}, {PID: 12208, Image: "svchost.exe"}},
	Diags: []string{"1:missing-value", "1:repaired"},
}, {
	Name: "/svc piped to PowerShell's Select-String: the same",
	In: "PS C:\\Users\\ops> tasklist /svc | Select-String \"contoso\"\n\n" +
		"contoso.exe                   2468 ContosoSvc\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 2, Ignored: 1},
	Count: 1,
	Procs: []proctest.Proc{{PID: 2468, Image: "contoso.exe"}},
	Codes: []string{facts.CodeMissing, facts.CodeRepaired},
}, {
	Name: "/nh: the default table's rows under the header it leaves out",
	In: "C:\\>tasklist /nh /fi \"imagename eq contoso.exe\"\n\n" +
		"contoso.exe                   4120 Console                    1     12,040 K\n",
	Lines: facts.LineCounts{Total: 3, Parsed: 2, Ignored: 1},
	Count: 1,
	Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(1)}},
	Codes: []string{facts.CodeMissing, facts.CodeRepaired},
}, {
	Name:  "/fo csv /nh: rows whose columns the command line names are still not read without a header",
	In:    "C:\\>tasklist /fo csv /nh\n\"svchost.exe\",\"804\",\"Services\",\"0\",\"25,600 K\"\n",
	Lines: facts.LineCounts{Total: 2, Parsed: 1, Unrecognized: 1},
}, {
	Name:  "/nh: rows without a header are not read",
	In:    "\"svchost.exe\",\"804\",\"Services\",\"0\",\"25,600 K\"\n",
	Lines: facts.LineCounts{Total: 1, Unrecognized: 1},
}}

func TestParse(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatTaskList, parseCases)
}

// TestDetectFiltered: tasklist's command line and the rows it printed
// without a header are a capture of tasklist.
func TestDetectFiltered(t *testing.T) {
	in := "C:\\Users\\ops>tasklist /svc /fi \"imagename eq svchost.exe\" | findstr 2208\n" +
		"svchost.exe                   2208 N/A\n"
	if got := dumpreader.Detect([]byte(in)); got != dumpreader.FormatTaskList {
		t.Errorf("Detect = %q, want %q", got, dumpreader.FormatTaskList)
	}
}

// TestParseList: /fo list (and /fo list /v) prints a block of "Key:
// Value" lines a process, through more's pages; each block is a process
// with its pid, image and session, its handle count unknown.
func TestParseList(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatTaskList, []proctest.Case{{
		Name: "/fo list through more",
		In: "C:\\Users\\ops> tasklist /fo:list | more\n\n" +
			"Image Name:   System\nPID:          4\nSession Name: Services\nSession#:     0\nMem Usage:    96 K\n\n" +
			"Image Name:   agent.exe\nPID:          3120\nSession Name: Services\nSession#:     0\nMem Usage:    41,208 K\n\n" +
			"-- More --\n\n" +
			"Image Name:   explorer.exe\nPID:          6044\nSession Name: Console\nSession#:     1\nMem Usage:    88,412 K\n",
		Lines: facts.LineCounts{Total: 21, Parsed: 16, Ignored: 5},
		Count: 3,
		Procs: []proctest.Proc{
			{PID: 4, Image: "System", Session: n(0)},
			{PID: 3120, Image: "agent.exe", Session: n(0)},
			{PID: 6044, Image: "explorer.exe", Session: n(1)},
		},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "/fo list /v",
		In: "Image Name:   agent.exe\nPID:          3120\nSession Name: Services\nSession#:     0\nMem Usage:    41,208 K\n" +
			"Status:       Unknown\nUser Name:    NT AUTHORITY\\SYSTEM\nCPU Time:     0:01:12\nWindow Title: N/A\n\n" +
			"Image Name:   notepad.exe\nPID:          7712\nSession Name: Console\nSession#:     1\nMem Usage:    12,040 K\n" +
			"Status:       Running\nUser Name:    CONTOSO\\alice\nCPU Time:     0:00:01\nWindow Title: notes.txt - Notepad\n",
		Lines: facts.LineCounts{Total: 19, Parsed: 18, Ignored: 1},
		Count: 2,
		Procs: []proctest.Proc{
			{PID: 3120, Image: "agent.exe", Session: n(0)},
			{PID: 7712, Image: "notepad.exe", Session: n(1)},
		},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "/svc and /m lists: a value's further lines indented under it",
		In: "Image Name: svchost.exe\nPID:        960\nServices:   RpcEptMapper\n            RpcSs\n\n" +
			"Image Name:   notepad.exe\nPID:          7712\nModules:      ntdll.dll, KERNEL32.DLL, KERNELBASE.dll,\n              GDI32.dll\n",
		Lines: facts.LineCounts{Total: 9, Parsed: 8, Ignored: 1},
		Count: 2,
		Procs: []proctest.Proc{{PID: 960, Image: "svchost.exe"}, {PID: 7712, Image: "notepad.exe"}},
		Codes: []string{facts.CodeMissing},
	}})
}

// TestParseTranslated: tasklist translates its headers and its /fo list
// keys with Windows' display language; its tables are read in the
// languages pastes show, the French and Spanish names cut at the
// column's width as tasklist prints them, the headers' double-width
// characters measured by the equals signs under them.
func TestParseTranslated(t *testing.T) {
	proctest.Parse(t, dumpreader.FormatTaskList, []proctest.Case{{
		Name: "Chinese (simplified), after cmd's prompt",
		In: "C:\\Users\\ops>tasklist /fi \"imagename eq contoso.exe\"\n\n" +
			"映像名称                       PID 会话名              会话#       内存使用\n" +
			"========================= ======== ================ =========== ============\n" +
			"contoso.exe                   4120 Console                    1     12,040 K\n" +
			"contoso.exe                   4168 Services                   0      8,112 K\n",
		Lines: facts.LineCounts{Total: 6, Parsed: 5, Ignored: 1},
		Count: 2,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(1)}, {PID: 4168, Image: "contoso.exe", Session: n(0)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "Japanese /v: multi-word names (CPU 時間, ウィンドウ タイトル)",
		In: "イメージ名       PID セッション名 セッション# メモリ使用量 状態           ユーザー名 CPU 時間 ウィンドウ タイトル\n" +
			"============== ===== ============ =========== ============ ============== ========== ======== ===========================\n" +
			"contoso.exe     4120 Console                1     44,140 K Running        alice       0:00:05 Contoso - notes\n",
		Lines: facts.LineCounts{Total: 3, Parsed: 3},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(1)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "Japanese /fo list: keys of Japanese letters, one with a blank; a line of prose after it is not a key",
		In: "イメージ名:          contoso.exe\nPID:                 4120\nセッション名:        Console\n" +
			"セッション#:         1\nメモリ使用量:        12,040 K\nウィンドウ タイトル: N/A\n\n" +
			"イメージ名:          fabrikam.exe\nPID:                 5216\nセッション名:        Services\n" +
			"セッション#:         0\nメモリ使用量:        8,112 K\nウィンドウ タイトル: N/A\n\n" +
			"備考: 二つのプロセス\n",
		Lines: facts.LineCounts{Total: 15, Parsed: 12, Ignored: 2, Unrecognized: 1},
		Count: 2,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(1)}, {PID: 5216, Image: "fabrikam.exe", Session: n(0)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "Russian /v, a blank line after every line as a blog's paragraphs leave them",
		In: "Имя образа                     PID Имя сессии          № сеанса       Память Состояние       Пользователь                                           Время ЦП Заголовок окна\n\n" +
			"========================= ======== ================ =========== ============ =============== ================================================== ============ ========================================================================\n\n" +
			"contoso.exe                   4120 Console                    1    49 064 КБ Running         CONTOSO\\alice                                           0:00:05 Н/Д\n\n" +
			"fabrikam.exe                  5216 Console                    1     8 192 КБ Running         NT AUTHORITY\\СИСТЕМА                                    0:03:45 Fabrikam\n",
		Lines: facts.LineCounts{Total: 7, Parsed: 4, Ignored: 3},
		Count: 2,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(1)}, {PID: 5216, Image: "fabrikam.exe", Session: n(1)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "German /m",
		In: "Abbildname                     PID Module\n" +
			"========================= ======== ============================================\n" +
			"contoso.exe                   4120 ntdll.dll, contoso.dll\n",
		Lines: facts.LineCounts{Total: 3, Parsed: 3},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe"}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "Korean /fi",
		In: "이미지 이름                    PID 세션 이름              세션#  메모리 사용\n" +
			"========================= ======== ================ =========== ============\n" +
			"contoso.exe                   4120 Console                    1     46,012 K\n",
		Lines: facts.LineCounts{Total: 3, Parsed: 3},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(1)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "French, its names cut at the columns' width",
		In: "Nom de l'image                 PID Nom de la sessio Numéro de s Utilisation\n" +
			"========================= ======== ================ =========== ============\n" +
			"contoso.exe                   4120 Console                    5   147 532 Ko\n",
		Lines: facts.LineCounts{Total: 3, Parsed: 3},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(5)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "French, its Image Name with a curly apostrophe, after a filter that matched nothing",
		In: "C:\\>tasklist /fi \"pid eq 5380\"\n" +
			"Information : aucune tâche en service ne correspond aux critères spécifiés.\n\n" +
			"C:\\>tasklist /fi \"pid eq 4120\"\n\n" +
			"Nom de l’image                 PID Nom de la sessio Numéro de s Utilisation\n" +
			"========================= ======== ================ =========== ============\n" +
			"contoso.exe                   4120 Console                    2   115 164 Ko\n",
		Lines: facts.LineCounts{Total: 8, Parsed: 5, Ignored: 3},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(2)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "Spanish, after a filter that matched nothing",
		In: "INFORMACIÓN: no hay tareas ejecutándose que coincidan con los criterios especificados.\n\n" +
			"Nombre de imagen               PID Nombre de sesión Núm. de ses Uso de memor\n" +
			"========================= ======== ================ =========== ============\n" +
			"contoso.exe                   4120 Console                    1     7.888 KB\n",
		Lines: facts.LineCounts{Total: 5, Parsed: 3, Ignored: 2},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(1)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "Spanish, its names cut at the columns' width",
		In: "Nombre de imagen               PID Nombre de sesión Núm. de ses Uso de memor\n" +
			"========================= ======== ================ =========== ============\n" +
			"contoso.exe                   4120 Console                    2    48.888 KB\n",
		Lines: facts.LineCounts{Total: 3, Parsed: 3},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(2)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name: "Chinese /fo csv, its names padded with blanks",
		In: "\"映像名称\",\"PID\",\"会话名      \",\"会话#   \",\"内存使用 \"\n" +
			"\"contoso.exe\",\"4120\",\"Services\",\"0\",\"6,920 K\"\n",
		Lines: facts.LineCounts{Total: 2, Parsed: 2},
		Count: 1,
		Procs: []proctest.Proc{{PID: 4120, Image: "contoso.exe", Session: n(0)}},
		Codes: []string{facts.CodeMissing},
	}})
}
