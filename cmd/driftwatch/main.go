// Command driftwatch keeps a PostgreSQL database in sync with the schema its
// code expects: one-shot checks for CI and a watch daemon for production.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/driftwatch/driftwatch/internal/bench"
)

// Exit codes shared by every check command.
const (
	exitClean = 0
	exitDrift = 1
	exitError = 2
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == bench.PeakRSSCommand {
		os.Exit(bench.RunPeakRSS(os.Args[2:])) // the bench's measuring wrapper
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := newMain(os.Stdout, os.Stderr, true)
	err := m.Run(ctx, os.Args[1:])
	os.Exit(m.exitCode(err))
}

// command is one subcommand: its own flags, usage and Run.
type command interface {
	name() string
	synopsis() string
	run(ctx context.Context, args []string) error
}

// Main dispatches subcommands.
type Main struct {
	stdout, stderr io.Writer
	commands       []command
	// ownsProcess: the commands run in their own process (not in a test)
	// and may tune its Go runtime, such as the soft memory limit.
	ownsProcess bool
}

// NewMain returns the driftwatch CLI writing to stdout and stderr, for
// running commands inside another process (tests): it leaves the Go
// runtime's settings alone.
func NewMain(stdout, stderr io.Writer) *Main {
	return newMain(stdout, stderr, false)
}

func newMain(stdout, stderr io.Writer, ownsProcess bool) *Main {
	m := &Main{stdout: stdout, stderr: stderr, ownsProcess: ownsProcess}
	m.commands = m.allCommands()
	return m
}

// Run runs the subcommand named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			for _, c := range m.commands {
				if c.name() == args[1] {
					return c.run(ctx, []string{"-h"})
				}
			}
		}
		m.usage(m.stdout)
		return nil
	}
	for _, c := range m.commands {
		if c.name() == args[0] {
			return c.run(ctx, args[1:])
		}
	}
	m.usage(m.stderr)
	return usageErrorf("unknown command %q", args[0])
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "driftwatch keeps a PostgreSQL database in sync with the schema its code expects.")
	fmt.Fprintln(w, "\nUsage:\n  driftwatch <command> [flags]\n\nCommands:")
	for _, c := range m.commands {
		fmt.Fprintf(w, "  %-17s %s\n", c.name(), c.synopsis())
	}
	fmt.Fprintln(w, "\nRun 'driftwatch help <command>' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 clean, 1 drift found, 2 could not run.")
}

// codedError carries an exit code with an error.
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *codedError) Unwrap() error { return e.err }

// errDrift is returned by check commands that found drift (exit 1, already reported).
var errDrift = &codedError{code: exitDrift}

// parseFlags parses a subcommand's flags. It says stop after -h (usage
// printed, nothing else to do) and on a bad flag (exit 2, naming the
// command; the flag package has printed the details).
func parseFlags(fs *flag.FlagSet, args []string) (stop bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return true, usageErrorf("%s: %v", fs.Name(), err)
	}
	return false, nil
}

// parseNoArgs is parseFlags for commands that take no arguments.
func parseNoArgs(fs *flag.FlagSet, args []string) (stop bool, err error) {
	if stop, err := parseFlags(fs, args); stop {
		return stop, err
	}
	if fs.NArg() > 0 {
		return true, usageErrorf("%s takes no arguments, got %q", fs.Name(), fs.Args())
	}
	return false, nil
}

func usageErrorf(format string, a ...any) error {
	return &codedError{code: exitError, err: fmt.Errorf(format, a...)}
}

func (m *Main) exitCode(err error) int {
	if err == nil {
		return exitClean
	}
	var ee *codedError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(m.stderr, "driftwatch:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(m.stderr, "driftwatch:", err)
	return exitError
}
