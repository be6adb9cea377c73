package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is the driftwatch binary under test, built once by TestMain.
var binary string

// cacheDir is the canonical-model cache shared by the package's daemons.
var cacheDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "driftwatch-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: make temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "driftwatch")
	cacheDir = filepath.Join(dir, "cache")
	args := []string{"build", "-o", binary}
	if raceBuild {
		args = append(args, "-race")
	}
	args = append(args, "github.com/driftwatch/driftwatch/cmd/driftwatch")
	cmd := exec.Command("go", args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: build driftwatch:", err)
		return 1
	}
	return m.Run()
}
