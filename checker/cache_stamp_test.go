package checker

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// A test binary records no VCS revision: its models must not be shared
// with another such build, whose model format may differ.
func TestBuildStampOfUnpinnedBuildNamesTheExecutable(t *testing.T) {
	stamp := buildStamp()
	path, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(" exe %d %d", fi.Size(), fi.ModTime().UnixNano())
	if !strings.HasSuffix(stamp, want) {
		t.Fatalf("buildStamp() = %q, want it to end with %q", stamp, want)
	}
}
