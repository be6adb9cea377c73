package sql

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed install/*.sql
var installFS embed.FS

//go:embed uninstall.sql
var uninstallScript string

//go:embed queries/*.sql
var queriesFS embed.FS

// InstallScript returns the install script: every file under install/ in
// name order, each idempotent, to be run in one transaction.
func InstallScript() string {
	entries, err := fs.ReadDir(installFS, "install")
	if err != nil {
		panic(fmt.Sprintf("sql: read embedded install dir: %v", err))
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		data, err := installFS.ReadFile("install/" + n)
		if err != nil {
			panic(fmt.Sprintf("sql: read embedded %s: %v", n, err))
		}
		fmt.Fprintf(&b, "-- install/%s\n%s\n", n, data)
	}
	return b.String()
}

// UninstallScript returns the script that removes everything driftwatch installed.
func UninstallScript() string { return uninstallScript }

// Query returns the catalog query in queries/<name>.sql. A missing name is
// a programming error and panics.
func Query(name string) string {
	data, err := queriesFS.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("sql: no embedded query %q: %v", name, err))
	}
	return string(data)
}
