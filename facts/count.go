package facts

import (
	"strconv"
	"strings"
)

// FormatCount writes a count as reports print it, with thousands
// separators: 12,345.
func FormatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return sign + string(b)
}

// Plural writes a count and its noun as reports and messages print them:
// "1 finding", "2,048 findings", "3 processes".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "s") {
		return FormatCount(int64(n)) + " " + noun + "es"
	}
	return FormatCount(int64(n)) + " " + noun + "s"
}

// ImageName is how reports name a process by its image: the image, or
// "(unknown image)" when the capture did not say.
func ImageName(image string) string {
	if image == "" {
		return "(unknown image)"
	}
	return image
}
