package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"

	pgdsn "github.com/driftwatch/driftwatch/internal/dsn"
	"github.com/driftwatch/driftwatch/watcher"
)

type installCommand struct{ stdout, stderr io.Writer }

func (c *installCommand) name() string { return "install" }
func (c *installCommand) synopsis() string {
	return "install the DDL event trigger in a database (superuser)"
}

func (c *installCommand) run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dsn := fs.String("dsn", os.Getenv("DATABASE_URL"), "database to install into (default $DATABASE_URL)")
	printOnly := fs.Bool("print", false, "print the install script for psql instead of running it")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: driftwatch install --dsn DSN
       driftwatch install --print | psql -v ON_ERROR_STOP=1 SUPERUSER_DSN

Creates (or upgrades) schema driftwatch, its ddl_events table, the function
driftwatch.on_ddl() and the event triggers driftwatch_ddl_command_end and
driftwatch_sql_drop, in one transaction. Safe to run again. Needs a
superuser: without one, print the script and have a DBA run it.

Flags:
`)
		fs.PrintDefaults()
	}
	if stop, err := parseNoArgs(fs, args); stop {
		return err
	}
	if *printOnly {
		_, err := io.WriteString(c.stdout, watcher.InstallScriptForPsql())
		return err
	}
	conn, err := connectForInstall(ctx, *dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))

	if err := watcher.Install(ctx, conn); err != nil {
		return &codedError{code: exitError, err: fmt.Errorf("install into %s: %w", pgdsn.Describe(*dsn), err)}
	}
	st, err := watcher.InstallStatus(ctx, conn)
	if err != nil {
		return &codedError{code: exitError, err: fmt.Errorf("check install: %w", err)}
	}
	if problems := st.Problems(); len(problems) > 0 {
		return &codedError{code: exitError, err: fmt.Errorf("installed, but: %s", strings.Join(problems, "; "))}
	}
	fmt.Fprintf(c.stdout, "driftwatch %d installed in %s: event triggers %s and %s enabled ALWAYS\n",
		st.Version, databaseName(conn), watcher.EventTriggerDDLCommandEnd, watcher.EventTriggerSQLDrop)
	return nil
}

type uninstallCommand struct{ stdout, stderr io.Writer }

func (c *uninstallCommand) name() string { return "uninstall" }
func (c *uninstallCommand) synopsis() string {
	return "remove the event triggers and schema driftwatch (superuser)"
}

func (c *uninstallCommand) run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("uninstall", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dsn := fs.String("dsn", os.Getenv("DATABASE_URL"), "database to uninstall from (default $DATABASE_URL)")
	printOnly := fs.Bool("print", false, "print the uninstall script for psql instead of running it")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: driftwatch uninstall --dsn DSN
       driftwatch uninstall --print | psql -v ON_ERROR_STOP=1 SUPERUSER_DSN

Drops the event triggers, the function driftwatch.on_ddl() and schema
driftwatch with everything in it (the DDL log, drift state, outbox), in one
transaction. Safe to run again. Needs a superuser.

Flags:
`)
		fs.PrintDefaults()
	}
	if stop, err := parseNoArgs(fs, args); stop {
		return err
	}
	if *printOnly {
		_, err := io.WriteString(c.stdout, watcher.UninstallScriptForPsql())
		return err
	}
	conn, err := connectForInstall(ctx, *dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))

	if err := watcher.Uninstall(ctx, conn); err != nil {
		return &codedError{code: exitError, err: fmt.Errorf("uninstall from %s: %w", pgdsn.Describe(*dsn), err)}
	}
	fmt.Fprintf(c.stdout, "driftwatch uninstalled from %s\n", databaseName(conn))
	return nil
}

// connectForInstall opens the connection install and uninstall use; a
// missing DSN is a usage error, and connect failures say what to check.
func connectForInstall(ctx context.Context, dsn string) (*pgx.Conn, error) {
	if strings.TrimSpace(dsn) == "" {
		return nil, usageErrorf("no database given: pass --dsn or set DATABASE_URL")
	}
	return connect(ctx, dsn, "target")
}

func databaseName(conn *pgx.Conn) string {
	return fmt.Sprintf("database %q", conn.Config().Database)
}
