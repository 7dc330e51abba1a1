// Package facts is leakdiag's model of a captured machine: the processes it
// ran, the handles they held, and the aggregates that rules reason about.
//
// Readers (package dumpreader) never hand rules raw text. They feed a Builder
// one process header and one handle at a time; the Builder folds each handle
// into per-process aggregates at once and forgets it, so memory grows with the
// number of processes and of their distinct object names up to NameTableLimit
// a process, never with the number of handles: past that many names, a
// process's names are counted in a bounded summary (nametable.go), whose
// figures say they are estimates and by how much they may be off.
// Builder.Snapshot then derives the figures rules use and returns a Snapshot.
//
// # Snapshot
//
// A Snapshot is one capture of one machine, possibly read from several files
// (a `!process 0 0` log and a `!handle` log of the same dump, say). It lists
//
//   - Sources: each file read, its format and its line accounting: every line
//     is parsed, ignored (known noise such as other commands' output, blank
//     lines, an author's "..." elision) or unrecognized. The three add up to
//     Total.
//   - Processes, ordered by pid, then image, then address.
//   - Diagnostics: what a reader skipped, could not read, or found
//     inconsistent, each with the file and line it concerns.
//
// The snapshot's JSON form (WriteJSON, DecodeJSON) carries "schema_version": 1
// and is leakdiag's own capture format: reading it back gives the same facts.
// It is read as the untrusted input it may be (JSONDecoder): a process at a
// time, each value validated. Values no capture gives (a negative count, a
// share outside 0..1) are errors; values past the limits of limits.go (a
// count over 2^40, a list longer than the readers keep it, a string over
// 64 KiB) are cut to them with a "capped" diagnostic. Builder.Snapshot
// cuts a capture's figures to the same limits, so sums over a snapshot
// never overflow and what leakdiag writes reads back.
//
// # Process
//
// A process is what the capture says about one process:
//
//   - Identity: pid and ppid (the debugger's Cid and ParentCid, hex in the
//     capture, numbers here), session (null for "none"), image, and the
//     kernel address of its EPROCESS when the capture is a kernel one.
//   - HandleCount: the count the debugger reported for the process
//     (HandleCount or, on NT4 and Windows 2000, TableSize; a user-mode
//     "N Handles" summary). It is null when the capture says
//     <Data Not Accessible> or does not say: unknown is not zero.
//   - TableEntries: the "with N entries in use" figure of the handle table
//     header that `!handle` prints, also null when absent.
//   - HandlesParsed: the handles the capture actually shows. A difference
//     between HandlesParsed and HandleCount is normal when the command asked
//     for one handle or one type, and a sign of a cut capture otherwise; the
//     reader says which in a diagnostic.
//   - ByType: handles per object type. Where the debugger printed its own
//     per-type summary (the user-mode "Type Count" table or "N handles of
//     type X"), its counts are taken for those types, since they cover handles
//     the capture does not list; other types are counted from the handles.
//     TypeCountsFrom says which applied.
//   - DominantType and DominantShare: the type with most handles (ties go to
//     the name that sorts first) and its share of all typed handles.
//   - Names: DistinctNames is the number of distinct (type, name) pairs among
//     named handles; Unnamed and UnnamedByType count handles whose object
//     information was printed without a name (the classic anonymous Event);
//     handles printed without object information (the one-line `!handle 0 1`
//     form) are neither named nor unnamed. Untyped counts handles whose type
//     the capture does not give. TopNames lists the most held names with
//     their type and count, most first. Past NameTableLimit distinct names
//     a process, DistinctNames is an estimate (DistinctNamesEstimated) and
//     a top name's count may be short of the truth by its Error.
//   - Exited processes (ObjectTable 00000000, "No active threads") and the
//     handles any process holds on exited processes and terminated threads,
//     the signature of a zombie kept alive by a handle holder.
//   - Source: the file and line where the process first appears.
package facts
