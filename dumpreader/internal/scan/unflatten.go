package scan

// MaxFlatPieces bounds the pieces Unflatten cuts one line into: a
// flattened listing of every process of a server is one line of
// thousands.
const MaxFlatPieces = 1 << 16

// Unflatten cuts a line that a page flattened (its lines joined with
// blanks) back into the lines it was: before every i, from 1 on, at which
// starts reports that a line began, appending each piece, trimmed, to
// dst (blank pieces are dropped). dst holds at most MaxFlatPieces pieces,
// the last one the rest of the line.
func Unflatten(line []byte, dst [][]byte, starts func(i int) bool) [][]byte {
	start := 0
	for i := 1; i < len(line) && len(dst) < MaxFlatPieces-1; i++ {
		if !starts(i) {
			continue
		}
		if piece := TrimSpace(line[start:i]); len(piece) > 0 {
			dst = append(dst, piece)
		}
		start = i
	}
	if piece := TrimSpace(line[start:]); len(piece) > 0 {
		dst = append(dst, piece)
	}
	return dst
}
