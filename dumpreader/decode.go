package dumpreader

import (
	"bufio"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// textEncoding is how a text capture's bytes encode characters.
type textEncoding int

const (
	encUTF8 textEncoding = iota
	encUTF16LE
	encUTF16BE
)

func (e textEncoding) String() string {
	switch e {
	case encUTF16LE:
		return "UTF-16LE"
	case encUTF16BE:
		return "UTF-16BE"
	}
	return "UTF-8"
}

// sniffEncoding looks at the first bytes of a text capture and returns its
// encoding and the length of its byte-order mark. WinDbg's `.logopen /u`
// writes UTF-16LE with a BOM; a log without a BOM is taken as UTF-16 when
// most of its first characters have a zero high byte, as ASCII text in
// UTF-16 does.
func sniffEncoding(head []byte) (textEncoding, int) {
	switch {
	case len(head) >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		return encUTF8, 3
	case len(head) >= 2 && head[0] == 0xFF && head[1] == 0xFE:
		return encUTF16LE, 2
	case len(head) >= 2 && head[0] == 0xFE && head[1] == 0xFF:
		return encUTF16BE, 2
	}
	n := len(head) &^ 1
	if n > 512 {
		n = 512
	}
	if n < 4 {
		return encUTF8, 0
	}
	var zeroEven, zeroOdd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			zeroEven++
		}
		if head[i+1] == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	switch {
	case zeroOdd*10 >= pairs*9 && zeroEven*10 < pairs:
		return encUTF16LE, 0
	case zeroEven*10 >= pairs*9 && zeroOdd*10 < pairs:
		return encUTF16BE, 0
	}
	return encUTF8, 0
}

// utf16Reader turns a UTF-16 stream into UTF-8. Unpaired surrogates become
// U+FFFD, as does a last odd byte.
type utf16Reader struct {
	src       *bufio.Reader
	bigEndian bool
	out       []byte // converted bytes not yet returned
	pending   rune   // a high surrogate waiting for its pair, or -1
	eof       bool
}

func newUTF16Reader(r io.Reader, bigEndian bool) *utf16Reader {
	return &utf16Reader{src: bufio.NewReaderSize(r, 64<<10), bigEndian: bigEndian, pending: -1}
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.eof {
			return 0, io.EOF
		}
		u.fill()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// fill converts the next chunk of input into u.out.
func (u *utf16Reader) fill() {
	var buf [8 << 10]byte
	n, err := io.ReadFull(u.src, buf[:])
	if n%2 == 1 {
		// Keep the odd byte for the next chunk unless the input ends here.
		if b, err2 := u.src.ReadByte(); err2 == nil {
			buf[n] = b
			n++
		}
	}
	out := u.out[:0]
	for i := 0; i+1 < n; i += 2 {
		var c rune
		if u.bigEndian {
			c = rune(buf[i])<<8 | rune(buf[i+1])
		} else {
			c = rune(buf[i+1])<<8 | rune(buf[i])
		}
		out = u.appendUnit(out, c)
	}
	if n%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	if err != nil {
		u.eof = true
		if u.pending >= 0 {
			out = utf8.AppendRune(out, utf8.RuneError)
			u.pending = -1
		}
	}
	u.out = out
}

func (u *utf16Reader) appendUnit(out []byte, c rune) []byte {
	if u.pending >= 0 {
		hi := u.pending
		u.pending = -1
		if r := utf16.DecodeRune(hi, c); r != utf8.RuneError {
			return utf8.AppendRune(out, r)
		}
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	switch {
	case c >= 0xD800 && c < 0xDC00:
		u.pending = c
		return out
	case c >= 0xDC00 && c < 0xE000:
		return utf8.AppendRune(out, utf8.RuneError)
	case c < utf8.RuneSelf:
		return append(out, byte(c))
	}
	return utf8.AppendRune(out, c)
}
