// Package eventlog reads the Windows System event log as admins paste it,
// for the events of kernel pool running out: 2019 ("The server was
// unable to allocate from the system nonpaged pool because the pool was
// empty.", source Srv) and 2020 (the same for paged pool). Every handle
// keeps its object in pool, so these are how a long handle leak shows in
// the log, often before anyone captures handles.
//
// The shapes read:
//
//   - Get-WinEvent's default table, under its "ProviderName: Srv"
//     headings (TimeCreated, Id, LevelDisplayName, Message);
//   - Get-EventLog's default table (Index, Time, EntryType, Source,
//     InstanceID, Message), whose InstanceID holds the event ID in its
//     low 16 bits (3221227491 is 2019);
//   - Format-List of either ("TimeCreated : ...", "Id : 2019", "Message
//     : ..."; "InstanceId : 3221227491", "TimeGenerated : ...");
//   - wevtutil qe System /f:text ("Event[0]:", "Log Name: System",
//     "Source: Srv", "Date: ...", "Event ID: 2019", "Description:" and the
//     text under it);
//   - Event Viewer's copied details text ("Log Name:", "Source:",
//     "Date:", "Event ID:", ..., "Description:", then "Event Xml:"), and
//     its Event Properties before Vista ("Event Type:", "Event Source:",
//     "Event Category:", "Event ID:", "Date:" and "Time:" apart);
//   - Event Viewer's list of events saved (Save All Events As, CSV or
//     tab-delimited text) or copied: "Level,Date and Time,Source,Event
//     ID,Task Category", a message perhaps quoted over several lines;
//   - an event quoted without a time, as articles and posts quote it:
//     "Event ID: 2019" and the message of pool running out; a heading
//     "Event ID 2019" over an event joins it, or is its ID; both on one
//     line ("Event 2019: The server was unable ...", "Event ID 2020 -
//     The server ..."), an event of Srv without a time.
//
// Other events in the paste are read as nothing: their lines are ignored,
// not unrecognized, so a whole System log excerpt reads cleanly. An event
// 2019 or 2020 of another source than Srv is another event. The column
// and level names read are English, but for Event Viewer's list, whose
// German, French and Japanese headers are read too (viewer.go); times are
// read in the forms those tools print in English locales (M/d/yyyy
// h:mm:ss tt, ISO 8601, and Get-EventLog's "MMM dd HH:mm" without a
// year), a day first when the month cannot be one (13/7/2026) or under a
// German or French header, and year first under a Japanese one.
//
// Its face is the one of every text format of dumpreader: Name, Sniff
// and Read.
package eventlog
