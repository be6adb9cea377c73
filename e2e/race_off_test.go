//go:build !race

package e2e

// raceBuild: the tests run without -race.
const raceBuild = false
