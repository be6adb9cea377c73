package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// PeakRSSCommand is the hidden subcommand (`driftwatch __peak-rss CMD
// ARGS...`) that runs a command and reports its peak RSS on its last
// line of stderr.
//
// A process started from Go reports a wrong peak: Go starts children
// with vfork, and at exec Linux carries the parent's peak RSS into the
// child's (ru_maxrss is the larger of the two). The bench process held
// pg_dump's output, so every check it timed read 76 MB, whatever the
// check used. Started from this small process instead, a command carries
// only its few MB over, and its wait4 ru_maxrss is its own peak.
const PeakRSSCommand = "__peak-rss"

const peakRSSPrefix = "driftwatch-peak-rss-kb "

// RunPeakRSS is the __peak-rss subcommand: it runs args with this
// process's standard streams, then writes the peak RSS line to stderr,
// and returns the command's exit code.
func RunPeakRSS(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "driftwatch: "+PeakRSSCommand+" needs a command")
		return 2
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintf(os.Stderr, "driftwatch: %s: %v\n", PeakRSSCommand, err)
		return 2
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		fmt.Fprintf(os.Stderr, "\n%s%d\n", peakRSSPrefix, ru.Maxrss)
	}
	return cmd.ProcessState.ExitCode()
}

// splitPeakRSS takes the peak line off a __peak-rss run's output and
// returns the rest and the peak in MB (0 when there is none).
func splitPeakRSS(out []byte) ([]byte, float64) {
	i := bytes.LastIndex(out, []byte(peakRSSPrefix))
	if i < 0 {
		return out, 0
	}
	kb, err := strconv.ParseFloat(strings.TrimSpace(string(out[i+len(peakRSSPrefix):])), 64)
	if err != nil {
		return out, 0
	}
	return bytes.TrimSuffix(out[:i], []byte("\n")), kb / 1024
}
