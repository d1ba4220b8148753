package live

// The cluster checks, exported for the external tests only (go doc does
// not show test files): a user reaches them through Target.
var (
	DetectCluster   = detectCluster
	CookiePreflight = cookiePreflight
)
