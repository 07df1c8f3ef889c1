// Package schema loads YNL family specs, nlgen configs' Windows overlays and
// reports every problem with its file:line:column. It knows YAML and the YNL
// vocabulary, nothing about C or Go: resolution happens in package ir.
package schema

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a source file; Line and Col are 1-based.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one problem found in an input file. Rule is a short stable
// identifier (e.g. "unknown-key") that tools and tests can match on.
type Diagnostic struct {
	Pos  Pos
	Rule string
	Msg  string
	// schema marks a problem found by the JSON Schema check; where a
	// check of nlgen's own reports at the same place, only that one is
	// printed (see DropShadowed).
	schema bool
}

func (d Diagnostic) Error() string { return fmt.Sprintf("%s: %s: %s", d.Pos, d.Rule, d.Msg) }

// Diagnostics collects every problem instead of stopping at the first, so a
// user fixes a spec in one round trip.
type Diagnostics []Diagnostic

// Add appends a formatted diagnostic.
func (ds *Diagnostics) Add(pos Pos, rule, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Pos: pos, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

// Err returns nil when there are no diagnostics, the sorted list otherwise.
func (ds Diagnostics) Err() error {
	if len(ds) == 0 {
		return nil
	}
	ds.Sort()
	return ds
}

// Sort orders diagnostics by file, line, column and message so output is stable.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return ds[i].Msg < ds[j].Msg
	})
}

// DropShadowed removes the schema check's diagnostics at positions where
// nlgen's own checks (loader or resolver) report, which say more about the
// same node, and all but the first schema diagnostic of a position, so a
// node's problem is printed once.
func (ds Diagnostics) DropShadowed() Diagnostics {
	own := map[Pos]bool{}
	for _, d := range ds {
		if !d.schema {
			own[d.Pos] = true
		}
	}
	seen := map[Pos]bool{}
	out := ds[:0:0]
	for _, d := range ds {
		if d.schema && (own[d.Pos] || seen[d.Pos]) {
			continue
		}
		if d.schema {
			seen[d.Pos] = true
		}
		out = append(out, d)
	}
	return out
}

func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}
