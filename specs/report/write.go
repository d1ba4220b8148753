package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/authconform/authconform/fixtures"
)

// printer writes formatted text and keeps the first write error, so a
// writer can report it once at the end.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// document names the flavor's source document.
func document(flavor string) string { return fixtures.Docs()[flavor] }

// statuses are a step's accepted statuses, such as "401" or "400/401".
func statuses(want []int) string {
	parts := make([]string, len(want))
	for i, w := range want {
		parts[i] = strconv.Itoa(w)
	}
	return strings.Join(parts, "/")
}

// got is the status received, or "no answer".
func got(st Step) string {
	if st.Got == 0 {
		return "no answer"
	}
	return strconv.Itoa(st.Got)
}

// indent prefixes every line of s, without trailing blanks on empty ones.
func indent(s, prefix string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString(strings.TrimRight(prefix+line, " "))
		b.WriteByte('\n')
	}
	return b.String()
}
