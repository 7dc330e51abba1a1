package prometheus_test

import (
	"bytes"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/prometheus"
	"github.com/leakdiag/leakdiag/facts"
)

// FuzzReadExposition feeds the exposition reader arbitrary bytes.
// Properties: no panic, every line accounted for once, diagnostics on
// lines of the input, the snapshot JSON reads back.
func FuzzReadExposition(f *testing.F) {
	f.Add([]byte("# TYPE windows_process_handles gauge\nwindows_process_handles{process=\"a\",process_id=\"1\",creating_process_id=\"4\"} 5\n"))
	f.Add([]byte("namedprocess_namegroup_open_filedesc{groupname=\"x\"} 3\nprocess_open_fds 4 1700000000000\nprocess_max_fds 1e3\nx{a=\"\\\"\"} NaN\n"))
	f.Add([]byte("wmi_process_handles{instance=\"a:1\",process=\"p\",process_id=\"2\"} 1\nwmi_process_handles{instance=\"b:1\",process=\"p\",process_id=\"2\"} 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatPrometheus}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		prometheus.Sniff(data)
	})
}

// FuzzReadRange feeds the query_range reader arbitrary bytes: no panic,
// lines accounted, at least one snapshot when there is no error.
func FuzzReadRange(f *testing.F) {
	f.Add([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"windows_process_handles","process":"a","process_id":"1"},"values":[[1,"2"],[2,"3"]]}]}}`))
	f.Add([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"groupname":"g"},"values":[[1.5,"2"]]},{"metric":{"__name__":"process_open_fds","job":"j"},"values":[[1.5,"7"]]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		log := facts.NewSourceLog("fuzz.json", prometheus.NameRange)
		snaps, err := prometheus.ReadRange(log, bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(snaps) == 0 {
			t.Fatal("no snapshot")
		}
		if l := log.Lines; l.Parsed+l.Ignored+l.Unrecognized != l.Total {
			t.Fatalf("lines %+v", l)
		}
		last := snaps[len(snaps)-1]
		last.Sources = []facts.Source{log.Source()}
		last.Diagnostics = log.Diagnostics()
		readtest.CheckSnapshot(t, last)
		prometheus.SniffRange(data)
	})
}
