package facts

import (
	"fmt"
	"reflect"
	"strings"
)

// Field is one fact a rule condition can use.
type Field struct {
	// Name is how conditions write it: process.handles, snapshot.lines,
	// process.top_name.count.
	Name string `json:"name"`
	// Type is its type as CEL names it: int, double, string, bool,
	// map(string, int), list(name).
	Type string `json:"type"`
	Doc  string `json:"doc"`
}

// Schema lists every fact conditions can use, in declaration order,
// read from the view types themselves, so it cannot drift from them.
// Every field has its meaning in factDocs (a test checks both ways).
func Schema() []Field {
	var out []Field
	walk := func(prefix string, t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("expr")
			if tag == "" {
				continue
			}
			name := prefix + "." + tag
			out = append(out, Field{Name: name, Type: celType(f.Type), Doc: factDocs[name]})
			if f.Type == reflect.TypeOf(NameFacts{}) {
				for j := 0; j < f.Type.NumField(); j++ {
					sub := f.Type.Field(j)
					n := name + "." + sub.Tag.Get("expr")
					out = append(out, Field{Name: n, Type: celType(sub.Type), Doc: factDocs[n]})
				}
			}
		}
	}
	walk("process", reflect.TypeOf(ProcessFacts{}))
	walk("snapshot", reflect.TypeOf(SnapshotFacts{}))
	return out
}

func celType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int64, reflect.Int:
		return "int"
	case reflect.Float64:
		return "double"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Map:
		return fmt.Sprintf("map(%s, %s)", celType(t.Key()), celType(t.Elem()))
	case reflect.Slice:
		return fmt.Sprintf("list(%s)", celType(t.Elem()))
	case reflect.Struct:
		return strings.TrimSuffix(strings.ToLower(t.Name()), "facts")
	}
	return t.String()
}

// factDocs says what each fact means, for `leakdiag rules schema` and
// docs/facts.md.
var factDocs = map[string]string{
	"process.pid":                         "the process id (Cid)",
	"process.ppid":                        "the parent's process id (ParentCid), 0 when not shown",
	"process.session":                     "the session id, -1 for \"none\" or when not shown",
	"process.image":                       "the image name as the debugger prints it (STORE.EXE, svchost.exe)",
	"process.handle_count":                "the HandleCount the debugger reported, -1 when it did not",
	"process.handle_count_known":          "whether the capture gives the process's handle count",
	"process.table_entries":               "entries in use of the handle table as !handle's header gives them, -1 when not shown",
	"process.handles_parsed":              "handles the capture shows for the process (each counted once)",
	"process.handles":                     "the best count there is: the reported one, else the table's, else the handles shown",
	"process.by_type":                     "handles by object type (Event, Key, File, ...)",
	"process.types_known":                 "the capture gives the process's handles by type; false where it gives a count only (Get-Process, a counter log, !process 0 1), so by_type is empty for want of facts",
	"process.dominant_type":               "the type with the most handles",
	"process.dominant_count":              "the number of handles of the dominant type",
	"process.dominant_share":              "the dominant type's share of all the process's handles, 0 to 1",
	"process.distinct_names":              "the number of distinct object names the process holds handles to; an estimate (within 3.3% in 95% of processes) when distinct_names_estimated",
	"process.distinct_names_estimated":    "distinct_names is a HyperLogLog estimate: the process holds more than 8,192 distinct names, past which names are counted in bounded memory",
	"process.unnamed":                     "handles to objects without a name",
	"process.unnamed_by_type":             "unnamed handles by object type",
	"process.top_unnamed_type":            "the type with the most unnamed handles",
	"process.top_unnamed_count":           "the number of unnamed handles of that type",
	"process.untyped":                     "handles shown without a type (a handle dump without details)",
	"process.top_names":                   "the names held most, most first (at most 10)",
	"process.top_name":                    "the name held most (top_names[0]), an empty name with count 0 when none",
	"process.top_name.name":               "the object's name (\\REGISTRY\\MACHINE\\..., \\Device\\..., a leaf name)",
	"process.top_name.type":               "the object's type",
	"process.top_name.count":              "the process's handles to that name; past 8,192 distinct names, never above the true count and short of it by up to count_error",
	"process.top_name.count_error":        "how far the true count may exceed count: 0 (exact) but for a process of more than 8,192 distinct names",
	"process.threads":                     "threads the capture shows for the process",
	"process.terminated_threads":          "of those threads, the ones the capture shows as terminated",
	"process.exited":                      "whether the process has exited (its object is kept alive by handles)",
	"process.frozen":                      "whether the debugger shows the process as frozen (DeepFreeze)",
	"process.handles_to_exited_processes": "handles the process holds to processes that have exited",
	"process.handles_to_exited_threads":   "handles the process holds to threads that have exited",
	"process.open_traced":                 "open handles !htrace recorded a stack for",
	"process.open_since_snapshot":         "handles !htrace -diff lists as opened since its snapshot and still open",
	"process.top_stack_type":              "the object type of the handles that stack opened (from the handle table or the function that opened them), \"\" when unknown",
	"process.top_stack_count":             "open handles of the stack that opened the most",
	"process.peers":                       "other live processes of the same image with a known handle count",
	"process.peer_median_handles":         "the median handles of those peers",
	"process.peer_ratio":                  "this process's handles over the peers' median (0 without peers)",
	"process.fd_limit":                    "Linux: the soft limit on open files (RLIMIT_NOFILE), -1 when unknown",
	"process.fd_limit_share":              "Linux: handles (open fds) over fd_limit, 0 when the limit is unknown",
	"process.socket_states":               "Linux: the process's TCP sockets by state (ESTABLISHED, CLOSE_WAIT, ...)",
	"process.inheritable":                 "handles a child process would inherit: marked (Inherit) in a kd handle dump, or fds without close-on-exec on Linux",
	"process.label":                       "how messages name the process: image and pid where known (\"agent.exe (pid 4242)\", \"pid 4242\"), or \"the process the dump was taken of\"",
	"process.linux":                       "the process is from a Linux capture (collect, lsof): its handles are file descriptors",
	"process.handle_noun":                 "what messages call the process's handles: \"handles\", or \"file descriptors\" on Linux",
	"process.held_by":                     "for an exited process, the handles to it the capture shows other processes holding (0: its holder is not in the capture)",
	"process.exited_same_image":           "for an exited process, the exited processes of its image in the capture, itself included (0 for a live process)",
	"process.verifier_leaks":              "Application Verifier stops reporting a leaked handle of the process (VERIFIER STOP 901: A HANDLE was leaked, 902: A HKEY was leaked)",
	"process.verifier_handle":             "the handle the first such stop names, as hex (\"0x808\")",
	"process.verifier_message":            "the verifier's words of that stop (\"A HANDLE was leaked.\")",
	"process.close_wait":                  "Linux: TCP sockets in CLOSE_WAIT: the peer closed and the process never did",
	"process.tcp_sockets":                 "Linux: the process's TCP sockets in any state",
	"process.unidentified_sockets":        "Linux: sockets lsof shows as \"can't identify protocol\": the connection is gone but the fd was never closed",
	"process.deleted_fds":                 "Linux: fds open to deleted files (program text and memory maps aside)",
	"process.deleted_bytes":               "Linux: the sizes of the deleted files those fds hold open, each file once",
	"process.growth_points":               "series: the number of captures the process is in (0 for a capture on its own)",
	"process.growth_timed":                "series: the captures' times are known, so growth_hours and the *_per_hour facts are per hour; otherwise they count captures",
	"process.growth_hours":                "series: hours from the process's first capture to its last (captures, when the times are unknown)",
	"process.handle_growth":               "series: handles in the last capture minus the first",
	"process.growth_per_hour":             "series: the least-squares slope of the process's handle counts, per hour (per capture when times are unknown)",
	"process.growth_monotonic":            "series: the handle count never fell and did rise",
	"process.type_growth":                 "series: per object type, handles in the last capture minus the first",
	"process.top_growing_type":            "series: the object type that grew most",
	"process.top_growing_type_growth":     "series: how much top_growing_type grew",
	"process.top_growing_type_per_hour":   "series: the slope of top_growing_type's count, per hour",
	"process.other_types_growth":          "series: how much all types but top_growing_type grew together (negative: fell)",
	"process.top_growing_name":            "series: the object name whose handles grew most (among the captures' most held names)",
	"process.top_growing_name_growth":     "series: how much top_growing_name's handles grew",
	"snapshot.series_points":              "series: the number of captures of the series this is the last of (0 for a capture on its own)",
	"snapshot.series_hours":               "series: hours from the first capture to this one (captures, when the times are unknown)",
	"process.handle_rank":                 "the process's place by handles among the capture's processes: 1 for the most (ties go to the lower pid)",
	"snapshot.host":                       "the machine's name, when the capture gives it",
	"snapshot.os_version":                 "the Windows version, when the capture gives it",
	"snapshot.captured_at":                "when the capture was taken, as it says",
	"snapshot.process_count":              "the processes in the capture",
	"snapshot.total_handles":              "the sum of the processes' handles",
	"snapshot.handles_parsed":             "the handles the capture shows",
	"snapshot.unknown_counts":             "processes whose handle count the capture does not give",
	"snapshot.partial_tables":             "processes whose handle dump shows fewer handles than their table holds",
	"snapshot.exited_processes":           "processes that have exited but whose objects the capture still shows",
	"snapshot.lines":                      "lines read from the capture",
	"snapshot.unrecognized":               "lines leakdiag did not recognize",
	"snapshot.warnings":                   "diagnostics of severity warning or error",
	"snapshot.memory_known":               "whether the capture has !vm output (the memory facts below are -1 or 0 without it)",
	"snapshot.physical_memory_kb":         "physical memory in KB (!vm Physical Memory), -1 when not shown",
	"snapshot.available_memory_kb":        "available physical memory in KB (!vm Available Pages), -1 when not shown",
	"snapshot.commit_kb":                  "committed memory in KB (!vm Committed pages), -1 when not shown",
	"snapshot.commit_limit_kb":            "the commit limit in KB (!vm Commit limit), -1 when not shown",
	"snapshot.commit_used_share":          "commit over the commit limit, 0 to 1 (0 when either is unknown)",
	"snapshot.nonpaged_pool_kb":           "nonpaged pool in use in KB (!vm NonPagedPool Usage, plus NonPagedPoolNx on Windows 8 and later), -1 when not shown",
	"snapshot.nonpaged_pool_max_kb":       "the nonpaged pool's maximum in KB (!vm NonPagedPool Max), -1 when not shown",
	"snapshot.nonpaged_pool_used_share":   "nonpaged pool in use over its maximum, 0 to 1 (0 when either is unknown)",
	"snapshot.paged_pool_kb":              "paged pool in use in KB (!vm PagedPool Usage), -1 when not shown",
	"snapshot.paged_pool_max_kb":          "the paged pool's maximum in KB (!vm PagedPool Maximum), -1 when not shown",
	"snapshot.paged_pool_used_share":      "paged pool in use over its maximum, 0 to 1 (0 when either is unknown)",
	"snapshot.free_system_ptes":           "free system page table entries (!vm Free System PTEs), -1 when not shown",
	"snapshot.pool_failures":              "pool allocations that have failed, as !vm warns (0 when it does not)",
	"snapshot.pool_warnings":              "the debugger's starred warnings about pool in !vm (\"Excessive NonPaged Pool Usage\", \"Excessive Paged Pool Usage\")",
	"snapshot.pool_tags_known":            "whether the capture has !poolused output (the pool tag facts below are 0 or empty without it)",
	"snapshot.nonpaged_pool_tag_bytes":    "nonpaged bytes of all tags: !poolused's TOTAL row, else the largest sum of one listing's rows",
	"snapshot.paged_pool_tag_bytes":       "paged bytes of all tags: !poolused's TOTAL row, else the largest sum of one listing's rows",
	"snapshot.top_nonpaged_tag":           "the pool tag with the most nonpaged bytes (Thre, File, a driver's tag), empty when none",
	"snapshot.top_nonpaged_tag_desc":      "what pooltag.txt says of that tag, with its binary (\"Thread objects, nt!ps\"), empty when it does not know the tag",
	"snapshot.top_nonpaged_tag_bytes":     "that tag's nonpaged bytes",
	"snapshot.top_nonpaged_tag_allocs":    "that tag's outstanding nonpaged allocations",
	"snapshot.top_nonpaged_tag_share":     "that tag's share of nonpaged pool, 0 to 1: of the TOTAL row of !poolused, else of !vm's nonpaged pool usage; 0 when neither is shown",
	"snapshot.top_paged_tag":              "the pool tag with the most paged bytes, empty when none",
	"snapshot.top_paged_tag_desc":         "what pooltag.txt says of that tag, with its binary, empty when it does not know the tag",
	"snapshot.top_paged_tag_bytes":        "that tag's paged bytes",
	"snapshot.top_paged_tag_allocs":       "that tag's outstanding paged allocations",
	"snapshot.top_paged_tag_share":        "that tag's share of paged pool, 0 to 1: of the TOTAL row of !poolused, else of !vm's paged pool usage; 0 when neither is shown",
	"snapshot.top_nonpaged_tag_twin":      "another pool tag with as many outstanding nonpaged allocations as the top one (within 1%, at least 1,000): most likely the same leak (a driver's tag and IoWI, Even, File), or \"\"",
	"snapshot.top_paged_tag_twin":         "the same for the top paged pool tag",
}
