package cpolicy

import (
	"testing"

	"github.com/nlgen/nlgen/ir"
)

// driverTypes are the NL_ATTR_TYPE enumerators of the Windows driver's
// Netlink.h (NL_A_BE16..BE64 alias U16..U64).
var driverTypes = map[string]bool{
	"NL_A_NO_ATTR": true, "NL_A_VAR_LEN": true, "NL_A_UNSPEC": true,
	"NL_A_U8": true, "NL_A_U16": true, "NL_A_U32": true, "NL_A_U64": true,
	"NL_A_BE16": true, "NL_A_BE32": true, "NL_A_BE64": true,
	"NL_A_STRING": true, "NL_A_FLAG": true, "NL_A_NESTED": true,
}

// TestEveryKindSpelled: the policy ir derives for each kind (ir.AllKinds)
// is spelled as a type the driver has, and the check program's bounds for
// it are a range. A new kind fails here until ir.DerivePolicyEntry gives it
// a meaning the driver can check.
func TestEveryKindSpelled(t *testing.T) {
	for _, k := range ir.AllKinds() {
		a := &ir.Attr{Name: "a", CName: "SAMPLE_A", Kind: k}
		e := ir.DerivePolicyEntry(a)
		if typ := TypeName(e.Type); !driverTypes[typ] {
			t.Errorf("%s: NL_POLICY entry type %s is not a Netlink.h type", k, typ)
		}
		if lo, hi := kindBounds(a); lo > hi {
			t.Errorf("%s: payload bounds %d..%d", k, lo, hi)
		}
	}
}
