package reporters

import (
	"encoding/json"

	"github.com/leakdiag/leakdiag/engine"
)

// jsonlShard is the first line of a worker's report in a sharded run:
// which part it is, and the positions of its captures in the whole input.
// Its field order is the output's.
type jsonlShard struct {
	SchemaVersion int    `json:"schema_version"`
	Kind          string `json:"kind"`
	engine.Shard
}

// jsonlFleetGroup is a group of a merge's fleet summary. Its field order
// is the output's.
type jsonlFleetGroup struct {
	SchemaVersion int    `json:"schema_version"`
	Kind          string `json:"kind"`
	engine.FleetGroup
	// FleetHosts is the number of hosts of the whole fleet.
	FleetHosts int `json:"fleet_hosts"`
}

// jsonlShardLine writes the "kind":"shard" line of a worker's report; none
// when s is nil.
func jsonlShardLine(enc *json.Encoder, s *engine.Shard) error {
	if s == nil {
		return nil
	}
	return enc.Encode(jsonlShard{SchemaVersion: engine.SchemaVersion, Kind: "shard", Shard: *s})
}

// jsonlFleetLines writes a "kind":"fleet_group" line for each group of a
// merge's fleet summary; none when f is nil.
func jsonlFleetLines(enc *json.Encoder, f *engine.Fleet) error {
	if f == nil {
		return nil
	}
	for _, g := range f.Groups {
		if err := enc.Encode(jsonlFleetGroup{SchemaVersion: engine.SchemaVersion, Kind: "fleet_group", FleetGroup: g, FleetHosts: f.Hosts}); err != nil {
			return err
		}
	}
	return nil
}
