package minidump

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// corpusDir holds public minidumps from other projects (Breakpad, LLDB,
// radare2, rust-minidump, Sentry, Syzygy). They are not ours and are not
// copied into the repository.
const corpusDir = "../../../shared/corpus/minidump"

// corpusFacts is what a corpus file must read as. The numbers were taken
// from the reader and checked against an independent script that decodes
// the same fields with Python's struct module.
type corpusFacts struct {
	streams  []string
	time     string // header TimeDateStamp, RFC 3339
	pid      int64  // -1: no MiscInfoStream
	created  string // RFC 3339
	os       string
	modules  int
	module0  string
	threads  int
	names    map[uint32]string
	handles  int // -1: no HandleDataStream
	perType  map[string]int
	acct     [5]int64 // Header, Decoded, Referenced, Skipped, Other
	skipped  map[string]int64
	problems int
}

var corpus = map[string]corpusFacts{
	"breakpad_minidump2.dmp": {
		streams: []string{"ThreadListStream", "ModuleListStream", "MemoryListStream", "ExceptionStream", "SystemInfoStream", "MiscInfoStream", "BreakpadInfoStream"},
		time:    "2007-02-14T19:13:55Z", pid: 3932, created: "2007-02-14T19:13:55Z",
		os:      "Windows 5.1.2600 x86 (Service Pack 2)",
		modules: 13, module0: `c:\test_app.exe`, threads: 2, handles: -1,
		acct:    [5]int64{140, 1588, 864, 232, 8493},
		skipped: map[string]int64{"BreakpadInfoStream": 12, "ExceptionStream": 168, "MemoryListStream": 52},
	},
	"breakpad_thread_name_list.dmp": {
		streams: []string{"ThreadListStream", "ModuleListStream", "MemoryListStream", "ExceptionStream", "SystemInfoStream", "MiscInfoStream", "SystemMemoryInfoStream", "ProcessVmCountersStream", "ThreadNamesStream"},
		time:    "2020-09-14T08:42:28Z", pid: 6040, created: "2020-09-14T08:42:28Z",
		os:      "Windows 10.0.17763 x86",
		modules: 17, module0: `C:\qiewer\git\heob\heob.git\allocer32.exe`, threads: 6,
		names:   map[uint32]string{6564: "main thread", 8820: "sleep thread", 10976: "overflow thread"},
		handles: -1,
		acct:    [5]int64{188, 3592, 1424, 976, 11831},
		skipped: map[string]int64{"ExceptionStream": 168, "MemoryListStream": 164, "ProcessVmCountersStream": 152, "SystemMemoryInfoStream": 492},
	},
	"breakpad_tiny-exe-with-cet-xsave.dmp": {
		streams: []string{"SystemInfoStream", "MiscInfoStream", "ThreadListStream", "ModuleListStream", "UnloadedModuleListStream", "MemoryInfoListStream", "HandleDataStream", "MemoryListStream"},
		time:    "2021-11-01T21:55:43Z", pid: 15444, created: "2021-11-01T21:55:38Z",
		os:      "Windows 10.0.22000.282 x64",
		modules: 25, module0: `C:\src\crashpad\tiny.exe`, threads: 1,
		handles: 147,
		perType: map[string]int{"": 46, "ALPC Port": 1, "Desktop": 1, "Directory": 2, "Event": 18, "File": 11, "IRTimer": 4,
			"IoCompletion": 3, "Key": 8, "Section": 31, "Semaphore": 12, "TpWorkerFactory": 2, "WaitCompletionPacket": 6, "WindowStation": 2},
		acct:    [5]int64{128, 8896, 2076, 27832, 53804},
		skipped: map[string]int64{"MemoryInfoListStream": 26752, "MemoryListStream": 1044, "UnloadedModuleListStream": 36},
	},
	"lldb_fizzbuzz_no_heap.dmp": {
		streams: []string{"ThreadListStream", "ThreadInfoListStream", "ModuleListStream", "MemoryListStream", "ExceptionStream", "SystemInfoStream", "MiscInfoStream"},
		time:    "2015-09-15T21:37:08Z", pid: 4440, created: "2015-09-15T21:36:45Z",
		os:      "Windows 6.1.7601 x86 (Service Pack 1)",
		modules: 6, module0: `C:\Users\amccarth\Documents\Visual Studio 2013\Projects\fizzbuzz\Debug\fizzbuzz.exe`, threads: 1,
		handles: -1,
		acct:    [5]int64{140, 992, 558, 280, 4327},
		skipped: map[string]int64{"ExceptionStream": 168, "MemoryListStream": 36, "ThreadInfoListStream": 76},
	},
	"radare2-testbins_calc.dmp": {
		streams: []string{"ThreadListStream", "ModuleListStream", "TokenStream", "MemoryListStream", "ExceptionStream", "SystemInfoStream", "MiscInfoStream", "SystemMemoryInfoStream", "ProcessVmCountersStream"},
		time:    "2016-10-29T12:43:47Z", pid: 3368, created: "2016-10-29T12:41:48Z",
		os:      "Windows 6.1.7601 x64 (Service Pack 1)",
		modules: 28, module0: `C:\Windows\System32\calc.exe`, threads: 5,
		handles: -1,
		acct:    [5]int64{188, 4692, 2268, 1736, 27840},
		skipped: map[string]int64{"ExceptionStream": 168, "MemoryListStream": 148, "ProcessVmCountersStream": 152, "SystemMemoryInfoStream": 492, "TokenStream": 776},
	},
	"rust-minidump_linux-mini.dmp": {
		streams: []string{"ThreadListStream", "ModuleListStream", "MemoryListStream", "ExceptionStream", "SystemInfoStream",
			"BreakpadLinuxCpuInfoStream", "BreakpadLinuxProcStatusStream", "BreakpadLinuxLsbReleaseStream", "BreakpadLinuxCmdLineStream",
			"BreakpadLinuxEnvironStream", "BreakpadLinuxAuxvStream", "BreakpadLinuxMapsStream", "BreakpadLinuxDsoDebugStream", "Mozilla(0x4D7A0004)"},
		time: "2018-03-26T10:43:52Z", pid: -1,
		os:      "Linux 4.9.60-linuxkit-aufs x64",
		modules: 8, module0: "/work/linux/build/crash", threads: 1,
		handles: -1,
		acct:    [5]int64{200, 976, 702, 10940, 14731},
		skipped: map[string]int64{"BreakpadLinuxAuxvStream": 304, "BreakpadLinuxCmdLineStream": 8, "BreakpadLinuxCpuInfoStream": 3348,
			"BreakpadLinuxDsoDebugStream": 472, "BreakpadLinuxEnvironStream": 1591, "BreakpadLinuxLsbReleaseStream": 105,
			"BreakpadLinuxMapsStream": 3382, "BreakpadLinuxProcStatusStream": 957, "ExceptionStream": 168, "MemoryListStream": 36,
			"Mozilla(0x4D7A0004)": 569},
	},
	"rust-minidump_simple-crashpad.dmp": {
		streams: []string{"SystemInfoStream", "MiscInfoStream", "ThreadListStream", "ExceptionStream", "ModuleListStream", "CrashpadInfoStream", "MemoryListStream"},
		time:    "2020-12-18T19:19:41Z", pid: 56685, created: "2020-12-18T19:19:41Z",
		os:      "macOS 10.15.7 x64 (19H114)",
		modules: 40, module0: "/Users/ted/src/crashy", threads: 1,
		handles: -1,
		acct:    [5]int64{116, 5264, 2986, 240, 9906},
		skipped: map[string]int64{"CrashpadInfoStream": 52, "ExceptionStream": 168, "MemoryListStream": 20},
	},
	"rust-minidump_stability-report.dmp": {
		streams: []string{"SystemInfoStream", "MiscInfoStream", "ThreadListStream", "ThreadNamesStream", "ExceptionStream", "ModuleListStream",
			"CrashpadInfoStream", "MemoryInfoListStream", "HandleDataStream", "MemoryListStream", "Kasko(0x4B6B0002)"},
		time: "2025-04-10T07:44:52Z", pid: 15212, created: "2025-04-10T07:44:51Z",
		os:      "Windows 10.0.22631.4751 x64",
		modules: 42, module0: `C:\Users\tim\.cache\29.1.5-x64\electron.exe`, threads: 19,
		names: map[uint32]string{12580: "CrRendererMain", 15500: "LoaderLockSampler", 16328: "BrokerEvent", 15564: "ThreadPoolServiceThread",
			15372: "ThreadPoolForegroundWorker", 17320: "ThreadPoolBackgroundWorker", 14172: "Chrome_ChildIOThread", 16516: "GpuMemoryThread",
			15828: "ThreadPoolForegroundWorker", 16772: "Compositor", 16512: "ThreadPoolSingleThreadSharedForegroundBlocking0",
			16676: "ThreadPoolForegroundWorker", 18240: "ThreadPoolForegroundWorker", 15556: "ThreadPoolForegroundWorker"},
		handles: 302,
		perType: map[string]int{"": 68, "ALPC Port": 3, "Desktop": 1, "Directory": 2, "Event": 91, "File": 30, "IRTimer": 8, "IoCompletion": 9,
			"Key": 11, "Mutant": 1, "Process": 1, "Section": 12, "Semaphore": 19, "Thread": 28, "TpWorkerFactory": 4, "WaitCompletionPacket": 12,
			"WindowStation": 2},
		acct:    [5]int64{164, 16256, 4054, 49944, 442078},
		skipped: map[string]int64{"CrashpadInfoStream": 64, "ExceptionStream": 168, "Kasko(0x4B6B0002)": 44, "MemoryInfoListStream": 47248, "MemoryListStream": 2420},
	},
	"sentry-native_minidump.dmp": {
		streams: []string{"ThreadListStream", "ModuleListStream", "FunctionTableStream", "MemoryListStream", "ExceptionStream", "SystemInfoStream",
			"MiscInfoStream", "SystemMemoryInfoStream", "ProcessVmCountersStream", "ThreadNamesStream", "BreakpadInfoStream"},
		time: "2024-10-21T20:38:00Z", pid: 33180, created: "2024-10-21T20:38:00Z",
		os:      "Windows 10.0.22621 x64",
		modules: 34, module0: `D:\Sentry\Native\sentry-native\cmake-build-debug\sentry_example.exe`, threads: 5,
		names:   map[uint32]string{31424: "sentry-http"},
		handles: -1,
		acct:    [5]int64{212, 5356, 2772, 1660, 32412},
		skipped: map[string]int64{"BreakpadInfoStream": 12, "ExceptionStream": 168, "FunctionTableStream": 624, "MemoryListStream": 212,
			"ProcessVmCountersStream": 152, "SystemMemoryInfoStream": 492},
	},
	"syzygy_notepad-64bit.dmp": {
		streams: []string{"ThreadListStream", "ModuleListStream", "TokenStream", "MemoryListStream", "ExceptionStream", "SystemInfoStream", "MiscInfoStream"},
		time:    "2015-04-29T13:06:26Z", pid: 11616, created: "2015-04-29T13:05:34Z",
		os:      "Windows 6.1.7601 x64 (Service Pack 1)",
		modules: 25, module0: `c:\Windows\System32\notepad.exe`, threads: 2,
		handles: -1,
		acct:    [5]int64{140, 3692, 1900, 1516, 9271},
		skipped: map[string]int64{"ExceptionStream": 168, "MemoryListStream": 68, "TokenStream": 1280},
	},
}

func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.dmp"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus of public minidumps not found at %s (%v); skipping", corpusDir, err)
	}
	return files
}

func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	var seen []string
	for _, path := range files {
		name := filepath.Base(path)
		seen = append(seen, name)
		t.Run(name, func(t *testing.T) {
			want, ok := corpus[name]
			if !ok {
				t.Fatalf("%s is not in the conformance table: add its facts", name)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			d, err := Open(f, st.Size())
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			c := readAll(t, d)
			if diff := cmp.Diff(want, facts(d, c), cmp.AllowUnexported(corpusFacts{})); diff != "" {
				t.Errorf("facts diff (-want +got):\n%s", diff)
			}
			// What MINIDUMP.md records of the Crashpad handle tables.
			for _, h := range c.Handles {
				if h.Value%4 != 0 || h.Attributes > 2 || h.Name != "" ||
					(h.Type == "" && (h.GrantedAccess != 0x804 || h.HandleCount != 0 || h.PointerCount != 0)) {
					t.Errorf("handle %+v is not as MINIDUMP.md describes Crashpad's", h)
				}
			}
		})
	}
	for name := range corpus {
		if !slices.Contains(seen, name) {
			t.Errorf("%s is in the conformance table but not in %s", name, corpusDir)
		}
	}
}

// facts gathers what the table holds from a read dump.
func facts(d *Dump, c contents) corpusFacts {
	rfc := func(t time.Time) string { return t.Format(time.RFC3339) }
	f := corpusFacts{time: rfc(d.Header().Time), pid: -1, modules: len(c.Modules), threads: len(c.Threads), handles: -1,
		problems: len(c.Problems), skipped: c.Acct.SkippedByType,
		acct: [5]int64{c.Acct.Header, c.Acct.Decoded, c.Acct.Referenced, c.Acct.Skipped, c.Acct.Other}}
	for _, s := range c.Streams {
		f.streams = append(f.streams, s.Type.String())
	}
	if c.Misc != nil {
		if c.Misc.HasPID {
			f.pid = int64(c.Misc.PID)
		}
		if c.Misc.HasCreateTime {
			f.created = rfc(c.Misc.CreateTime)
		}
	}
	if c.Sys != nil {
		f.os = c.Sys.OSVersion()
	}
	if len(c.Modules) > 0 {
		f.module0 = c.Modules[0].Name
	}
	for _, th := range c.Threads {
		if th.Name != "" {
			if f.names == nil {
				f.names = map[uint32]string{}
			}
			f.names[th.ID] = th.Name
		}
	}
	if _, ok := d.HandleTable(); ok {
		f.handles = len(c.Handles)
		f.perType = map[string]int{}
		for _, h := range c.Handles {
			f.perType[h.Type]++
		}
	}
	return f
}
