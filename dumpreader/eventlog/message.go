package eventlog

import (
	"bytes"
	"time"
)

// pool names the pool an event says ran out.
type pool uint8

const (
	unknownPool pool = iota
	nonPaged
	paged
)

// zeroTime is the time of an event whose time is not given.
var zeroTime time.Time

// The message of events 2019 and 2020, up to the pool's name, lowercased:
// tables cut it at the console's width, so its end may be missing, and
// people retype it ("The Server ...", "NonPaged", "Non-Paged pool").
const (
	messageHead = "the server was unable to allocate from the system "
	pagedTail   = "paged pool"
)

// nonPagedHeads are the spellings of "nonpaged" before pagedTail.
var nonPagedHeads = []string{"non", "non-", "non "}

// maxMessageLine bounds the line searched for the message.
const maxMessageLine = 4096

// poolMessage finds the message of event 2019 or 2020 in line, in any
// case, and says which pool it names.
func poolMessage(line []byte) (pool, bool) {
	if len(line) > maxMessageLine {
		line = line[:maxMessageLine]
	}
	lower := bytes.ToLower(line)
	i := bytes.Index(lower, []byte(messageHead))
	if i < 0 {
		return unknownPool, false
	}
	rest := lower[i+len(messageHead):]
	for _, h := range nonPagedHeads {
		if bytes.HasPrefix(rest, []byte(h+pagedTail)) {
			return nonPaged, true
		}
	}
	if bytes.HasPrefix(rest, []byte(pagedTail)) {
		return paged, true
	}
	return unknownPool, false
}

// poolOf is the pool of an event by its ID, unknownPool for other IDs.
func poolOf(id int64) pool {
	switch id {
	case idNonPaged:
		return nonPaged
	case idPaged:
		return paged
	}
	return unknownPool
}

// eventID is the event ID of an ID or InstanceID value: Get-EventLog's
// InstanceID holds the severity and facility bits of the message above
// the ID's 16 (3221227491 is 0xC00007E3, event 2019).
func eventID(v int64) int64 {
	return v & 0xFFFF
}
