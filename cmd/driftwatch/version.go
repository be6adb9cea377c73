package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type versionCommand struct{ out io.Writer }

func (c *versionCommand) name() string     { return "version" }
func (c *versionCommand) synopsis() string { return "print the driftwatch version" }

func (c *versionCommand) run(ctx context.Context, args []string) error {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	fmt.Fprintln(c.out, "driftwatch", v)
	return nil
}
