// Package minidump reads what a handle-leak diagnosis needs from a Windows
// user-mode minidump (.dmp, "MDMP"): the handle table (HandleDataStream),
// the handle-trace database (HandleOperationListStream), and the process
// context around them: process id and start time, modules, threads and
// their names, OS and architecture.
//
// # Reading
//
// Open takes an io.ReaderAt and the input's size and reads only the header
// and the stream directory. Each stream is decoded when first asked for,
// with ReadAt; nothing holds the whole file, so multi-gigabyte dumps are
// fine. Handles and HandleOps are iterators that decode one entry at a
// time, so a dump with a million handles is not held in memory either.
// Every read is checked against the file size before it is made, and every
// allocation is bounded by the file size and by caps (64 KiB strings,
// 64-node object-information chains, a bounded string cache), so no input
// makes the reader panic or allocate without bound.
//
// The layout follows the Microsoft SDK's minidumpapiset.h as written down
// in the project's MINIDUMP.md, which was checked against real dumps
// written by DbgHelp, Breakpad and Crashpad. Fields are read
// at their offsets in little-endian order: the structures are packed to 4
// bytes and never mapped onto Go structs. Sizes the file states
// (SizeOfHeader, SizeOfDescriptor, SizeOfEntry, SizeOfInfo) are used rather
// than fixed ones.
//
// # Errors and problems
//
// Open fails, with a *FormatError saying what and at which offset, only
// when the input is not a minidump (short, wrong signature or version) or
// its directory does not fit in the file. Every other kind of damage —
// streams past the end of the file, duplicate or overlapping streams,
// counts larger than their stream, odd-length or out-of-range strings,
// object-information cycles — becomes a Problem with an offset, a
// severity and a stable code, and reading goes on with what is there: a
// stream past the end is cut at the end, a count is cut to what fits, a
// damaged string reads as "". Problems are kept on the Dump (at most 200
// per code, the rest counted) and grow as streams are decoded; Accounting
// decodes every stream this package reads, so after it the list is
// complete. Errors returned by the iterators are only fn's own or
// the reader's.
//
// # Accounting
//
// Accounting says where every byte of the file went: header and directory,
// decoded streams, strings and object information they point to, streams
// skipped (by type name), and the rest (memory contents, thread contexts),
// each byte counted once, so the parts add up to the file size.
//
// A Dump is safe for concurrent use.
package minidump
