package dumpreader

import (
	"io"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	put := func(u uint16) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	if bom {
		put(0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return out
}

func TestSniffAndDecodeUTF16(t *testing.T) {
	text := "0: kd> !process 0 0\r\nPROCESS 8a5295f0  Image: \u65e5\u672c \U0001F600\r\n"
	tests := []struct {
		name      string
		in        []byte
		enc       textEncoding
		bom       int
		bigEndian bool
	}{
		{"LE with BOM", utf16Bytes(text, false, true), encUTF16LE, 2, false},
		{"BE with BOM", utf16Bytes(text, true, true), encUTF16BE, 2, true},
		{"LE without BOM", utf16Bytes(text, false, false), encUTF16LE, 0, false},
		{"UTF-8", []byte(text), encUTF8, 0, false},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, text...), encUTF8, 3, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc, bom := sniffEncoding(tc.in)
			if enc != tc.enc || bom != tc.bom {
				t.Fatalf("sniffEncoding = %v, %d; want %v, %d", enc, bom, tc.enc, tc.bom)
			}
			if enc == encUTF8 {
				return
			}
			got, err := io.ReadAll(newUTF16Reader(strings.NewReader(string(tc.in[bom:])), tc.bigEndian))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != text {
				t.Errorf("decoded %q, want %q", got, text)
			}
		})
	}
}

func TestUTF16Damage(t *testing.T) {
	// An unpaired high surrogate and an odd last byte become U+FFFD.
	in := []byte{'a', 0, 0x00, 0xD8, 'b', 0, 'c'}
	got, err := io.ReadAll(newUTF16Reader(strings.NewReader(string(in)), false))
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\uFFFDb\uFFFD"; string(got) != want {
		t.Errorf("decoded %q, want %q", got, want)
	}
}
