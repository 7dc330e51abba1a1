// Package prometheus reads the per-process handle metrics monitoring
// already collects, as Prometheus serves them:
//
//   - exposition text (Name), one scrape of an exporter or a /federate
//     page: a snapshot. windows_exporter's windows_process_handles
//     {process="x",process_id="123",creating_process_id="4"} (wmi_exporter's
//     older wmi_process_handles), with its windows_process_private_bytes
//     and windows_process_pool_bytes{pool="nonpaged"}; process-exporter's
//     namedprocess_namegroup_open_filedesc{groupname="x"}, a group of
//     processes read as one (no pid); and process_open_fds and
//     process_max_fds, which client libraries and node_exporter give of
//     the scraped process itself (named by its job label).
//   - the JSON of the HTTP API's query_range (NameRange): a matrix, a
//     series of samples per process, read as a series of snapshots per
//     host, one per sample time (see ReadRange).
//
// A windows_exporter process is its pid, its image the process label
// with .exe (the label is perfmon's instance name, which has none). The
// host is the instance label, its port dropped, where the data has one.
// Other metrics are ignored lines, noted once.
package prometheus

// Names of the formats read.
const (
	// Name is Prometheus exposition text.
	Name = "prometheus"
	// NameRange is the JSON of a query_range response.
	NameRange = "prometheus-range"
)
