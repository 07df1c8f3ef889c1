// Package jsonschema publishes JSON Schemas for nlgen's own YAML files:
// nlgen.schema.json for nlgen.yaml and nlgen-windows.schema.json for the
// Windows overlay. Editors that use the YAML language server complete and
// check a file whose first line is
//
//	# yaml-language-server: $schema=<path or URL of the schema>
//
// The schemas describe the shape only; nlgen's loaders remain the
// authority (they also resolve names and report file:line:col).
package jsonschema

import _ "embed"

// Config is the JSON Schema of nlgen.yaml.
//
//go:embed nlgen.schema.json
var Config []byte

// Windows is the JSON Schema of the Windows overlay.
//
//go:embed nlgen-windows.schema.json
var Windows []byte
