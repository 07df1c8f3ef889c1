package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestEveryUpstreamSchemaKeyIsUnderstood walks the three YNL JSON schemas
// and checks that every property they allow, at every level, is in nlgen's
// key tables: understood, or explicitly marked unsupported. A new schema
// generation adding a key fails here instead of being silently ignored.
func TestEveryUpstreamSchemaKeyIsUnderstood(t *testing.T) {
	files, _ := filepath.Glob("../../shared/specs/linux/schemas/*.yaml")
	if len(files) == 0 {
		t.Skip("../shared/specs/linux/schemas is absent: schema coverage needs the shared folder beside the checkout")
	}
	tables := map[string]keySet{
		"":                                 specKeys,
		"definitions":                      definitionKeys,
		"definitions.entries":              entryKeys,
		"definitions.members":              memberKeys,
		"attribute-sets":                   attrSetKeys,
		"attribute-sets.attributes":        attrKeys,
		"attribute-sets.attributes.checks": checksKeys,
		"operations":                       opsKeys,
		"operations.list":                  opKeys,
		"operations.list.do":               subOpKeys,
		"operations.list.dump":             subOpKeys,
		"operations.list.do.request":       attrListKey,
		"operations.list.do.reply":         attrListKey,
		"operations.list.dump.request":     attrListKey,
		"operations.list.dump.reply":       attrListKey,
		"operations.list.event":            eventKeys,
		"mcast-groups":                     mcastKeys,
		"mcast-groups.list":                mcgrpKeys,
		"kernel-family":                    kfamKeys,
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		// yaml.v3 reads YAML 1.2 but rejects the %YAML 1.2 directive itself.
		src = bytes.Replace(src, []byte("%YAML 1.2\n"), nil, 1)
		var doc any
		require.NoError(t, yaml.Unmarshal(src, &doc))
		seen := 0
		walkSchema(doc.(map[string]any), "", func(path, key string) {
			seen++
			table, ok := tables[path]
			if !assert.True(t, ok, "%s: no key table for level %q", filepath.Base(f), path) {
				return
			}
			_, known := table[key]
			assert.True(t, known, "%s: key %q at level %q is neither understood nor marked unsupported", filepath.Base(f), key, path)
		})
		assert.Greater(t, seen, 80, "walked too few keys in %s", f)
	}
}

// walkSchema visits the properties of an object schema and recurses into
// object and array-of-object properties, resolving YAML anchors (already
// expanded by the decoder) but not $ref, which YNL uses only for scalars.
func walkSchema(s map[string]any, path string, visit func(path, key string)) {
	props, _ := s["properties"].(map[string]any)
	for key, v := range props {
		visit(path, key)
		sub, _ := v.(map[string]any)
		if sub == nil {
			continue
		}
		child := key
		if path != "" {
			child = path + "." + key
		}
		if items, ok := sub["items"].(map[string]any); ok {
			sub = items
			if one, ok := items["oneOf"].([]any); ok {
				for _, alt := range one {
					if m, ok := alt.(map[string]any); ok && m["properties"] != nil {
						sub = m
					}
				}
			}
		}
		if sub["properties"] != nil {
			walkSchema(sub, child, visit)
		}
	}
}
