package docs

import (
	"strings"
	"testing"

	"github.com/nlgen/nlgen/ir"
)

// TestEveryKindDocumented: each kind (ir.AllKinds) gets a Type and a
// Length cell in an attribute table, and a kind holding another set links
// to that set's table, so a reader can follow every nest.
func TestEveryKindDocumented(t *testing.T) {
	for _, k := range ir.AllKinds() {
		a := &ir.Attr{Name: "a", Kind: k}
		typ, length := attrType(a), payloadLen(k)
		if typ == "" || length == "" {
			t.Errorf("%s: type cell %q, length cell %q", k, typ, length)
		}
		var set *ir.AttrSet
		switch k := k.(type) {
		case ir.Nest:
			set = k.Set
		case ir.NestTypeValue:
			set = k.Set
		case ir.IndexedArray:
			if n, ok := k.Elem.(ir.Nest); ok {
				set = n.Set
			}
		}
		if set != nil && !strings.Contains(typ, setLink(set)) {
			t.Errorf("%s: type cell %q does not link to %s", k, typ, set.Name)
		}
	}
}
