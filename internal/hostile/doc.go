// Package hostile is nlgen's armour test: end-to-end runs of the CLI on
// the malformed corpus in testdata/hostile, fuzz targets seeded with it,
// escaping and determinism checks, and the speed benchmarks behind
// `make bench`. It has no code of its own: everything is in _test files,
// and this package exists so those tests drive the real CLI and pipeline
// the way a user's build does.
package hostile
