package dumpreader

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/flate"
)

// gzipMembers reads gzip members as compress/gzip's Reader does with
// Multistream(false) (the same header checks, the same checksum and size
// check at each member's end), inflating with klauspost's flate, whose
// end-of-block callback gives checkpoints a quote can resume from
// (gzipindex.go). klauspost's own gzip.Reader takes no options for its
// inflater. Its errors need not read as compress/gzip's: where a member
// breaks, compress/gzip reads it again (gzipStream).
type gzipMembers struct {
	br     *bufio.Reader
	fl     io.ReadCloser
	digest uint32
	size   uint32
	err    error
	buf    [512]byte
	// offset is the offset in the compressed stream where decompression
	// is; out counts the bytes decompressed, over all members.
	offset func() int64
	out    int64
	// index, if not nil, receives a checkpoint at the end of each block.
	index *gzipIndex
	// body and bodyOut are the compressed and decompressed offsets where
	// the current member's deflate data starts.
	body, bodyOut int64
	// resumed: the member was inflated from a checkpoint, so its
	// checksum and size cannot be checked.
	resumed bool
}

// Reset starts the member r starts with; r must be the stream's
// *bufio.Reader, which the inflater reads in place.
func (z *gzipMembers) Reset(r io.Reader) error {
	z.br = r.(*bufio.Reader)
	z.resumed = false
	z.err = z.readHeader()
	return z.err
}

// Multistream does nothing: a member always ends with io.EOF.
func (z *gzipMembers) Multistream(bool) {}

// readHeader reads a member's header as compress/gzip does, and starts
// inflating its data.
func (z *gzipMembers) readHeader() error {
	if _, err := io.ReadFull(z.br, z.buf[:10]); err != nil {
		return err
	}
	if z.buf[0] != 0x1f || z.buf[1] != 0x8b || z.buf[2] != 8 {
		return gzip.ErrHeader
	}
	flg := z.buf[3]
	z.digest = crc32.ChecksumIEEE(z.buf[:10])
	if flg&0x04 != 0 { // FEXTRA
		if _, err := io.ReadFull(z.br, z.buf[:2]); err != nil {
			return noEOF(err)
		}
		z.digest = crc32.Update(z.digest, crc32.IEEETable, z.buf[:2])
		data := make([]byte, binary.LittleEndian.Uint16(z.buf[:2]))
		if _, err := io.ReadFull(z.br, data); err != nil {
			return noEOF(err)
		}
		z.digest = crc32.Update(z.digest, crc32.IEEETable, data)
	}
	for _, flag := range []byte{0x08, 0x10} { // FNAME, FCOMMENT
		if flg&flag != 0 {
			if err := z.skipString(); err != nil {
				return noEOF(err)
			}
		}
	}
	if flg&0x02 != 0 { // FHCRC
		if _, err := io.ReadFull(z.br, z.buf[:2]); err != nil {
			return noEOF(err)
		}
		if binary.LittleEndian.Uint16(z.buf[:2]) != uint16(z.digest) {
			return gzip.ErrHeader
		}
	}
	z.digest, z.size = 0, 0
	z.body, z.bodyOut = z.offset(), z.out
	opts := []flate.ReaderOpt{}
	if z.index != nil {
		opts = append(opts, flate.WithEobCallback(z.block))
	}
	z.fl = flate.NewReaderOpts(z.br, opts...)
	return nil
}

// skipString reads a NUL-terminated header string of at most 511 bytes.
func (z *gzipMembers) skipString() error {
	for i := 0; ; i++ {
		if i >= len(z.buf) {
			return gzip.ErrHeader
		}
		c, err := z.br.ReadByte()
		if err != nil {
			return err
		}
		z.buf[i] = c
		if c == 0 {
			z.digest = crc32.Update(z.digest, crc32.IEEETable, z.buf[:i+1])
			return nil
		}
	}
}

// block notes the checkpoint at the end of a block.
func (z *gzipMembers) block(cp flate.InflateCheckpoint) {
	if cp.Final {
		return // resuming there reads nothing
	}
	z.index.note(z.body+cp.CompressedOffset, z.bodyOut+cp.UncompressedOffset, cp.BitOffset, cp.Window)
}

func (z *gzipMembers) Read(p []byte) (int, error) {
	if z.err != nil {
		return 0, z.err
	}
	n, err := z.fl.Read(p)
	z.digest = crc32.Update(z.digest, crc32.IEEETable, p[:n])
	z.size += uint32(n)
	z.out += int64(n)
	if err != io.EOF {
		z.err = err
		return n, err
	}
	if _, err := io.ReadFull(z.br, z.buf[:8]); err != nil {
		z.err = noEOF(err)
		return n, z.err
	}
	if !z.resumed && (binary.LittleEndian.Uint32(z.buf[:4]) != z.digest || binary.LittleEndian.Uint32(z.buf[4:8]) != z.size) {
		z.err = gzip.ErrChecksum
		return n, z.err
	}
	z.err = io.EOF
	return n, io.EOF
}

// noEOF turns io.EOF into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
