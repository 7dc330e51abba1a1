package main

// readWorkers and readChunk, when tests set them, say how many goroutines
// parse a capture and the size of the pieces they are given
// (dumpreader.Options.Workers and ChunkSize); 0 leaves the choice to
// dumpreader. Reports must not depend on them.
var readWorkers, readChunk int
