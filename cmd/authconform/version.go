package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// buildVersion is what the Go toolchain stamped into this binary.
type buildVersion struct {
	// Module is the module version: a tag such as v0.3.0, a pseudo-version
	// (v0.0.0-20261202002600-837f43b1234a+dirty) from `go build` in a git
	// checkout, or "(devel)" where nothing was stamped (go run, go test).
	Module   string `json:"module"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// currentVersion reads the build information of the running binary.
func currentVersion() buildVersion {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return buildVersion{Module: "(unknown)", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	}
	return versionOf(info)
}

// versionOf extracts a buildVersion from build information.
func versionOf(info *debug.BuildInfo) buildVersion {
	v := buildVersion{Module: info.Main.Version, Go: info.GoVersion, Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if v.Module == "" {
		v.Module = "(devel)"
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is one line: "v0.1.0 (revision 837f43b..., 2026-12-02T00:26:00Z, modified) go1.25.0 linux/amd64".
func (v buildVersion) String() string {
	s := v.Module
	if v.Revision != "" {
		s += " (revision " + v.Revision
		if v.Time != "" {
			s += ", " + v.Time
		}
		if v.Modified {
			s += ", modified"
		}
		s += ")"
	}
	return s + " " + v.Go + " " + v.Platform
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the module version, VCS revision and Go version of this binary",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "authconform "+currentVersion().String())
		},
	}
}
