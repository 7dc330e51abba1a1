package prometheus

import (
	"strconv"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

func readText(t *testing.T, text string) (*facts.Snapshot, facts.LineCounts) {
	t.Helper()
	b := facts.NewBuilder()
	log := facts.NewSourceLog("scrape.txt", Name)
	if err := Read(b, log, strings.NewReader(text)); err != nil {
		t.Fatal(err)
	}
	b.AddSource(log)
	snap := b.Snapshot()
	l := log.Lines
	if l.Parsed+l.Ignored+l.Unrecognized != l.Total {
		t.Errorf("lines %+v do not add up", l)
	}
	return snap, l
}

func byInstance(snap *facts.Snapshot, instance string) *facts.Process {
	for _, p := range snap.Processes {
		if p.Instance == instance {
			return p
		}
	}
	return nil
}

func codesOf(snap *facts.Snapshot) string {
	var out []string
	for _, d := range snap.Diagnostics {
		out = append(out, d.Code)
	}
	return strings.Join(out, " ")
}

func TestReadExposition(t *testing.T) {
	text := `# HELP windows_process_handles Total number of handles the process has open.
# TYPE windows_process_handles gauge
windows_process_handles{creating_process_id="524",process="agent",process_id="17112"} 5703
windows_process_handles{process="_Total",process_id="0"} 90000
windows_process_private_bytes{process="agent",process_id="17112"} 1.048576e+08
windows_process_pool_bytes{pool="nonpaged",process="agent",process_id="17112"} 20480
windows_process_pool_bytes{pool="paged",process="agent",process_id="17112"} 99999
windows_cpu_time_total{core="0,0",mode="idle"} 1234.5
namedprocess_namegroup_open_filedesc{groupname="nginx"} 812
process_open_fds{job="prometheus"} 44
process_max_fds{job="prometheus"} 1024
Here is my scrape
$ curl -s http://localhost:9182/metrics
`
	snap, lines := readText(t, text)
	if lines != (facts.LineCounts{Total: 13, Parsed: 8, Ignored: 4, Unrecognized: 1}) {
		t.Errorf("lines %+v", lines)
	}
	a := byInstance(snap, "agent")
	if a == nil || a.PID != 17112 || a.PPID != 524 || a.Image != "agent.exe" || a.HandleCount == nil || *a.HandleCount != 5703 {
		t.Fatalf("agent: %+v", a)
	}
	if a.PrivateBytes == nil || *a.PrivateBytes != 104857600 || a.PoolNonpagedBytes == nil || *a.PoolNonpagedBytes != 20480 {
		t.Errorf("agent's memory: %v %v", a.PrivateBytes, a.PoolNonpagedBytes)
	}
	if g := byInstance(snap, "nginx"); g == nil || g.PID != 0 || *g.HandleCount != 812 {
		t.Errorf("nginx group: %+v", g)
	}
	if p := byInstance(snap, "prometheus"); p == nil || p.FDLimit == nil || *p.FDLimit != 1024 || *p.HandleCount != 44 {
		t.Errorf("the scraped process: %+v", p)
	}
	if len(snap.Processes) != 3 {
		t.Errorf("%d processes, want 3 (_Total is none)", len(snap.Processes))
	}
	if got := codesOf(snap); got != CodeOtherMetrics+" "+facts.CodeUnrecognized {
		t.Errorf("diagnostics %q", got)
	}
}

// TestExpositionElidedComments reads the comments someone leaves where they
// cut a scrape ("# -- snip --", "# ...") as elisions, which the format's
// comments are, not as lines that could not be read.
func TestExpositionElidedComments(t *testing.T) {
	text := `$ curl localhost:9090/metrics

# -- snip --

# HELP process_open_fds Number of open file descriptors.
# TYPE process_open_fds gauge
process_open_fds 14

# ...
# Metrics of my service
`
	snap, lines := readText(t, text)
	if lines != (facts.LineCounts{Total: 10, Parsed: 1, Ignored: 8, Unrecognized: 1}) {
		t.Errorf("lines %+v, want the two elided comments ignored and only the prose heading unrecognized", lines)
	}
	if got, want := codesOf(snap), facts.CodeElision+" "+facts.CodeElision+" "+facts.CodeUnrecognized; got != want {
		t.Errorf("diagnostics %q, want %q", got, want)
	}
}

func TestExpositionHosts(t *testing.T) {
	text := `wmi_process_handles{instance="web01:9182",process="a",process_id="1"} 10 1700000000000
wmi_process_handles{instance="web02:9182",process="a",process_id="1"} 20 1700000000000
`
	snap, _ := readText(t, text)
	if snap.Host != "web01" || len(snap.Processes) != 1 || *snap.Processes[0].HandleCount != 10 {
		t.Errorf("host %q, processes %+v", snap.Host, snap.Processes)
	}
	if snap.CapturedAt != "2023-11-14T22:13:20Z" {
		t.Errorf("captured at %q", snap.CapturedAt)
	}
	if got := codesOf(snap); got != CodeOtherHosts {
		t.Errorf("diagnostics %q", got)
	}
}

func TestParseSample(t *testing.T) {
	for _, c := range []struct {
		in   string
		ok   bool
		name string
		n    int
		v    float64
	}{
		{`a 1`, true, "a", 0, 1},
		{`a{} 1`, true, "a", 0, 1},
		{`a{b="x\"y",c="z",} 2.5 123`, true, "a", 4, 2.5},
		{`a{b="x} 1`, false, "", 0, 0},
		{`a{b=x} 1`, false, "", 0, 0},
		{`a`, false, "", 0, 0},
		{`a 1 2 3`, false, "", 0, 0},
		{`1a 1`, false, "", 0, 0},
		{`a NaN`, true, "a", 0, 0},
	} {
		s, ok := parseSample(c.in, nil)
		if ok != c.ok || ok && (s.name != c.name || len(s.labels) != c.n || (s.value != c.v && c.in != `a NaN`)) {
			t.Errorf("parseSample(%q) = %+v, %v", c.in, s, ok)
		}
	}
}

func TestSniff(t *testing.T) {
	for text, want := range map[string]bool{
		"windows_process_handles{process=\"a\",process_id=\"1\"} 5\n":                true,
		"# TYPE a gauge\n# TYPE b counter\na 1\nb 2\n":                               true,
		"# TYPE a gauge\na 1\n":                                                      false,
		"> windows_process_handles{process=\"a\",process_id=\"1\"} 5\n":              true,
		"process 1 handles 5\n":                                                      false,
		"PROCESS ffffc38e2c0dc080\n    SessionId: 1  Cid: 08fc    Peb: da309be000\n": false,
	} {
		if got := Sniff([]byte(text)); got != want {
			t.Errorf("Sniff(%q) = %v, want %v", text, got, want)
		}
	}
}

func readRange(t *testing.T, text string) ([]*facts.Snapshot, *facts.SourceLog, error) {
	t.Helper()
	log := facts.NewSourceLog("range.json", NameRange)
	snaps, err := ReadRange(log, strings.NewReader(text))
	return snaps, log, err
}

const rangeJSON = `{"status":"success","data":{"resultType":"matrix","result":[
{"metric":{"__name__":"windows_process_handles","instance":"web01:9182","process":"agent","process_id":"4242"},"values":[[1700000000,"1000"],[1700003600,"2000"],[1700007200,"3000"]]},
{"metric":{"__name__":"windows_process_handles","instance":"web01:9182","process":"svc","process_id":"800"},"values":[[1700003600,"500"],[1700007200,"501"]]},
{"metric":{"__name__":"windows_process_private_bytes","instance":"web01:9182","process":"agent","process_id":"4242"},"values":[[1700007200,"4096"]]},
{"metric":{"__name__":"up","instance":"web01:9182"},"values":[[1700007200,"1"]]}
]}}
`

func TestReadRange(t *testing.T) {
	snaps, log, err := readRange(t, rangeJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 3 {
		t.Fatalf("%d snapshots, want one per sample time: 3", len(snaps))
	}
	if log.Lines != (facts.LineCounts{Total: 6, Parsed: 6}) {
		t.Errorf("lines %+v", log.Lines)
	}
	if snaps[0].Host != "web01" || snaps[0].CapturedAt != "2023-11-14T22:13:20Z" || len(snaps[0].Processes) != 1 {
		t.Errorf("first: %q %q %d processes", snaps[0].Host, snaps[0].CapturedAt, len(snaps[0].Processes))
	}
	last := snaps[2]
	a := byInstance(last, "agent")
	if a == nil || a.PID != 4242 || *a.HandleCount != 3000 || a.PrivateBytes == nil || *a.PrivateBytes != 4096 {
		t.Errorf("agent at the end: %+v", a)
	}
	if got := len(log.Diagnostics()); got != 1 {
		t.Errorf("diagnostics %v, want one noting the metric up", log.Diagnostics())
	}
}

// A response of two hosts: each host's series, one after the other, in
// name order.
func TestReadRangeHosts(t *testing.T) {
	text := strings.Replace(rangeJSON, `"instance":"web01:9182","process":"svc"`, `"instance":"web02:9182","process":"svc"`, 1)
	snaps, _, err := readRange(t, text)
	if err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, s := range snaps {
		hosts = append(hosts, s.Host)
	}
	if got := strings.Join(hosts, " "); got != "web01 web01 web01 web02 web02" {
		t.Errorf("hosts of the snapshots: %s", got)
	}
}

func TestReadRangeDamaged(t *testing.T) {
	for name, c := range map[string]struct {
		text  string
		err   string
		snaps int
	}{
		"cut after a series": {text: rangeJSON[:strings.Index(rangeJSON, `{"metric":{"__name__":"windows_process_handles","instance":"web01:9182","process":"svc"`)], snaps: 3},
		"cut at once":        {text: `{"status":"succ`, err: "unexpected EOF"},
		"an error":           {text: `{"status":"error","errorType":"bad_data","error":"x"}`, err: `status is "error"`},
		"a scalar":           {text: `{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}`, err: "matrix"},
		"a vector":           {text: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"process_open_fds","job":"j"},"value":[1,"2"]}]}}`, snaps: 1},
		"not an object":      {text: `[1,2]`, err: "not a Prometheus"},
		"a bad pair":         {text: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"process_open_fds"},"values":[[1,2]]}]}}`, err: "value"},
		"empty":              {text: `{"status":"success","data":{"resultType":"matrix","result":[]}}`, snaps: 1},
	} {
		snaps, log, err := readRange(t, c.text)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want %q", name, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.err == "" && len(snaps) != c.snaps:
			t.Errorf("%s: %d snapshots, want %d", name, len(snaps), c.snaps)
		case c.err == "":
			if l := log.Lines; l.Parsed+l.Unrecognized != l.Total {
				t.Errorf("%s: lines %+v", name, l)
			}
		}
	}
}

// A long response keeps at most MaxPoints sample times, the first and
// the last among them.
func TestReadRangeThinned(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"windows_process_handles","process":"a","process_id":"7"},"values":[`)
	const n = 2*MaxPoints + 3
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`[` + strconv.Itoa(1700000000+60*i) + `,"` + strconv.Itoa(100+i) + `"]`)
	}
	b.WriteString(`]}]}}`)
	snaps, log, err := readRange(t, b.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != MaxPoints {
		t.Fatalf("%d snapshots, want %d", len(snaps), MaxPoints)
	}
	if a, z := *snaps[0].Processes[0].HandleCount, *snaps[len(snaps)-1].Processes[0].HandleCount; a != 100 || z != 100+n-1 {
		t.Errorf("kept %d..%d, want 100..%d", a, z, 100+n-1)
	}
	if len(log.Diagnostics()) != 1 || log.Diagnostics()[0].Code != CodeThinned {
		t.Errorf("diagnostics %v", log.Diagnostics())
	}
}

// TestReadRangeManyHostsThinned: each host's series is snapshots of its
// own, so a response of many hosts keeps fewer times of each (7.7 MB of
// 1,000 hosts at 360 times made 360,000 snapshots and 639 MB), and says
// so once, not once a host.
func TestReadRangeManyHostsThinned(t *testing.T) {
	const hosts, times = 300, 100
	var b strings.Builder
	b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[`)
	for h := 0; h < hosts; h++ {
		if h > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"metric":{"__name__":"windows_process_handles","instance":"h` + strconv.Itoa(h) + `:9182","process":"a","process_id":"7"},"values":[`)
		for i := 0; i < times; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`[` + strconv.Itoa(1700000000+60*i) + `,"` + strconv.Itoa(100+i) + `"]`)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}}`)
	snaps, log, err := readRange(t, b.String())
	if err != nil {
		t.Fatal(err)
	}
	want := scan.HostSeriesPoints(hosts, hosts)
	if want >= times {
		t.Fatalf("the test needs more times than the %d kept", want)
	}
	if len(snaps) != hosts*want {
		t.Errorf("%d snapshots, want %d a host", len(snaps), want)
	}
	thinned := 0
	for _, d := range log.Diagnostics() {
		if d.Code == CodeThinned {
			thinned++
		}
	}
	if thinned != 1 {
		t.Errorf("%d thinned-samples diagnostics, want 1: %v", thinned, log.Diagnostics())
	}
}
