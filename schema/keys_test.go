package schema

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEveryUpstreamSchemaKeyIsUnderstood walks the four YNL JSON schemas
// (genetlink, -c and -legacy of v6.14, netlink-raw of v6.12) and checks
// that every property they allow, at every level, is in nlgen's key
// tables: understood, or explicitly marked unsupported. A new schema
// generation adding a key fails here instead of being silently ignored.
// Every key of netlink-raw.yaml must also be understood for netlink-raw
// specs, not merely known.
func TestEveryUpstreamSchemaKeyIsUnderstood(t *testing.T) {
	files, _ := filepath.Glob("../../shared/specs/linux/schemas/*.yaml")
	raw, _ := filepath.Glob("../../shared/specs/linux-6.12/schemas/netlink-raw.yaml")
	files = append(files, raw...)
	if len(files) == 0 || len(raw) == 0 {
		t.Skip("../shared/specs/linux/schemas or linux-6.12/schemas is absent: schema coverage needs the shared folder beside the checkout")
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
		"sub-messages":                     subMsgKeys,
		"sub-messages.formats":             formatKeys,
		"mcast-groups":                     mcastKeys,
		"mcast-groups.list":                mcgrpKeys,
		"kernel-family":                    kfamKeys,
	}
	for _, f := range files {
		// as the kernel's tools read it: netlink-raw.yaml repeats "if"
		doc := lastWins(readYAML(t, f))
		seen := 0
		walkSchema(doc.(map[string]any), "", func(path, key string) {
			seen++
			table, ok := tables[path]
			if !assert.True(t, ok, "%s: no key table for level %q", filepath.Base(f), path) {
				return
			}
			lv, known := table[key]
			assert.True(t, known, "%s: key %q at level %q is neither understood nor marked unsupported", filepath.Base(f), key, path)
			if filepath.Base(f) == "netlink-raw.yaml" {
				assert.LessOrEqual(t, lv, levelRaw, "netlink-raw.yaml: key %q at level %q is not understood for netlink-raw specs", key, path)
			}
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
