package specs

import (
	"net/http"

	"github.com/gavv/httpexpect/v2"
)

// InProcessClient returns an http.Client that hands every request straight
// to h, with no listener and no network: for running the suite against a
// handler in the same process (use any BaseURL, such as http://fake.test).
func InProcessClient(h http.Handler) *http.Client {
	return &http.Client{
		Transport:     httpexpect.NewBinder(h),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
