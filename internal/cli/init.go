package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
)

func init() {
	extraCommands = append(extraCommands, func(a *app) *cobra.Command { return a.initCommand() })
}

// familyNameRE keeps starter names to what is a valid genl family name and
// makes valid C and Go identifiers once dashes become underscores.
var familyNameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,14}$`)

func (a *app) initCommand() *cobra.Command {
	var family string
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a starter nlgen.yaml and family spec (never overwrites)",
		Long: `Writes DIR/nlgen.yaml and DIR/specs/FAMILY.yaml (DIR defaults to the current
folder): a small genetlink family with an attribute set, a do/dump
operation and a multicast group, and a config generating its C uapi header,
Markdown docs and, when DIR is inside a Go module, a Go package whose import
path comes from go.mod. The config's first line points editors at nlgen's JSON
Schema. Refuses to touch either file if it already exists.`,
		Example: `  nlgen init
  nlgen init --family my_counter ./netlink
  cd netlink && nlgen generate`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if !familyNameRE.MatchString(family) {
				return usage("--family %q: use 1-15 lowercase letters, digits, '-' or '_', starting with a letter (genl family names are at most 15 bytes)", family)
			}
			// Go output only where it can build: inside a module, whose
			// go.mod gives the import path (see pipeline.GoImportPath).
			goPkg, goErr := pipeline.GoImportPath(filepath.Join(dir, "out", "go"))
			files := []struct{ path, body string }{
				{filepath.Join(dir, "nlgen.yaml"), starterConfig(family, goErr == nil)},
				{filepath.Join(dir, "specs", family+".yaml"), starterSpec(family)},
			}
			for _, f := range files {
				if _, err := os.Stat(f.path); err == nil {
					return fail(fmt.Errorf("%s already exists; init never overwrites (remove it or pick another folder)", f.path))
				} else if !errors.Is(err, fs.ErrNotExist) {
					return fail(err)
				}
			}
			for _, f := range files {
				if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
					return fail(err)
				}
				// O_EXCL: a file created since the check above is not clobbered.
				fh, err := os.OpenFile(f.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
				if err != nil {
					return fail(err)
				}
				_, werr := fh.WriteString(f.body)
				if cerr := fh.Close(); werr == nil {
					werr = cerr
				}
				if werr != nil {
					return fail(werr)
				}
				fmt.Fprintf(a.stdout, "wrote %s\n", filepath.ToSlash(f.path))
			}
			if goErr == nil {
				fmt.Fprintf(a.stdout, "Go package: %s/%s (needs nlgen's runtime: go get github.com/nlgen/nlgen)\n", goPkg, ir.GoPackageName(family))
			} else {
				fmt.Fprintf(a.stdout, "no Go output: %v (the go target is left commented out in nlgen.yaml)\n", goErr)
			}
			fmt.Fprintf(a.stdout, "next: nlgen generate -f %s\n", filepath.ToSlash(files[0].path))
			return nil
		},
	}
	cmd.Flags().StringVar(&family, "family", "example", "name of the starter family")
	return cmd
}

const schemaURL = "https://raw.githubusercontent.com/nlgen/nlgen/main/schema/jsonschema/"

func starterConfig(family string, withGo bool) string {
	goOut := `
  # Go: a typed package and client per family. The import path comes from
  # the nearest go.mod; set options: {import-path: ...} to override it.
  - target: go
    dir: out/go
`
	if !withGo {
		goOut = `
  # Go needs a Go module around the output (go mod init), which gives the
  # package's import path; then uncomment:
  # - target: go
  #   dir: out/go
`
	}
	return `# yaml-language-server: $schema=` + schemaURL + `nlgen.schema.json
#
# nlgen configuration: the specs to read and what to generate from them.
# nlgen generate writes the outputs; nlgen diff fails when they are stale.
version: 1
specs:
  - specs/` + family + `.yaml
# windows: specs/windows.yaml   # optional Windows overlay (docs/windows-extension.md)
outputs:
  - target: c-uapi
    dir: out/include
  - target: docs
    dir: out/docs` + goOut
}

func starterSpec(family string) string {
	return `# SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
# A starter YNL spec; the format is the kernel's (Documentation/netlink/specs).
name: ` + family + `
protocol: genetlink
doc: Counters that userspace can read, reset and watch.

definitions:
  -
    name: mode
    type: enum
    doc: How a counter counts.
    entries: [packets, bytes]

attribute-sets:
  -
    name: counter
    attributes:
      -
        name: id
        type: u32
        checks: {min: 1}
        doc: Counter id.
      -
        name: name
        type: string
        checks: {max-len: 31}
        doc: Human-readable name.
      -
        name: mode
        type: u32
        enum: mode
      -
        name: value
        type: uint
        doc: Current value.

operations:
  list:
    -
      name: get
      doc: Read one counter, or all of them with a dump.
      attribute-set: counter
      do:
        request: {attributes: [id]}
        reply: &counter-all {attributes: [id, name, mode, value]}
      dump:
        reply: *counter-all
    -
      name: reset
      doc: Set a counter back to zero.
      attribute-set: counter
      flags: [admin-perm]
      do:
        request: {attributes: [id]}
    -
      name: changed-ntf
      doc: A counter changed; sent to the events multicast group.
      notify: get
      mcgrp: events

mcast-groups:
  list:
    - name: events
`
}
