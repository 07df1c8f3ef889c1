// Package gogenerate shows nlgen run by go generate: the directive below
// regenerates out/ from nlgen.yaml, and the package's test runs
// `go generate ./...` and fails when the committed output differs, the
// same drift check as `nlgen diff` in CI.
//
// In a module of your own, make nlgen a tool dependency so the version is
// pinned by go.mod (go get -tool github.com/nlgen/nlgen/cmd/nlgen) and
// write the directive as:
//
//	//go:generate go tool nlgen generate -f nlgen.yaml
package gogenerate

//go:generate go run github.com/nlgen/nlgen/cmd/nlgen generate -f nlgen.yaml
