package dyn

import (
	"os"
	"testing"

	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// Numbers from the kernel's uapi (include/uapi/linux/genetlink.h and
// netlink.h), which is what the replies below are built from: the tests
// model nlctrl's messages as genetlink.c and net/netlink/policy.c build
// them, not as nlgen encodes them.
const (
	ctrlAttrFamilyID    = 1  // CTRL_ATTR_FAMILY_ID (u16)
	ctrlAttrFamilyName  = 2  // CTRL_ATTR_FAMILY_NAME
	ctrlAttrOps         = 6  // CTRL_ATTR_OPS: array of op nests, index from 1
	ctrlAttrMcastGroups = 7  // CTRL_ATTR_MCAST_GROUPS: array, index from 1
	ctrlAttrPolicy      = 8  // CTRL_ATTR_POLICY: policy-idx { attr-idx { ... } }
	ctrlAttrOpPolicy    = 9  // CTRL_ATTR_OP_POLICY: cmd { DO, DUMP }
	ctrlAttrOpID        = 1  // CTRL_ATTR_OP_ID
	ctrlAttrOpFlags     = 2  // CTRL_ATTR_OP_FLAGS
	ctrlAttrGrpName     = 1  // CTRL_ATTR_MCAST_GRP_NAME
	ctrlAttrGrpID       = 2  // CTRL_ATTR_MCAST_GRP_ID
	ctrlAttrPolicyDo    = 1  // CTRL_ATTR_POLICY_DO
	ctrlAttrPolicyDump  = 2  // CTRL_ATTR_POLICY_DUMP
	nlPolicyTypeAttrTy  = 1  // NL_POLICY_TYPE_ATTR_TYPE
	nlPolicyMinValueU   = 4  // NL_POLICY_TYPE_ATTR_MIN_VALUE_U (u64)
	nlPolicyMaxValueU   = 5  // NL_POLICY_TYPE_ATTR_MAX_VALUE_U (u64)
	nlAttrTypeU32       = 4  // NL_ATTR_TYPE_U32
	nlAttrTypeUint      = 17 // NL_ATTR_TYPE_UINT
	genlCmdCapDo        = 2  // GENL_CMD_CAP_DO (flags value, bit 1)
	genlCmdCapHaspol    = 8  // GENL_CMD_CAP_HASPOL
)

func nlctrlFamily(t *testing.T) *ir.Family {
	t.Helper()
	const spec = "../../../shared/specs/linux/nlctrl.yaml"
	if _, err := os.Stat(spec); err != nil {
		t.Skipf("upstream nlctrl spec absent (../shared not checked out): %v", err)
	}
	m, err := pipeline.LoadSpecs([]string{spec}, "", func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	return m.Families[0]
}

func nest(b []byte, typ uint16, inner []byte) []byte {
	return nlattr.AppendBytes(b, typ|nlattr.FlagNested, inner)
}

func opByName(t *testing.T, f *ir.Family, name string) *ir.Op {
	t.Helper()
	for _, op := range f.Ops {
		if op.Name == name {
			return op
		}
	}
	t.Fatalf("no op %s", name)
	return nil
}

// TestIndexedArrayKeepsIndex decodes a getfamily reply as ctrl_fill_info
// builds it (CTRL_ATTR_OPS and CTRL_ATTR_MCAST_GROUPS nest one nest per
// element, typed by a 1-based index) and expects the YNL CLI's JSON:
// _decode_array_attr keeps a nest element's index as its key.
func TestIndexedArrayKeepsIndex(t *testing.T) {
	f := nlctrlFamily(t)
	op := opByName(t, f, "getfamily")
	b := nlattr.AppendU16(nil, ctrlAttrFamilyID, 16)
	b = nlattr.AppendString(b, ctrlAttrFamilyName, "nlctrl")
	op1 := nlattr.AppendU32(nlattr.AppendU32(nil, ctrlAttrOpID, 3), ctrlAttrOpFlags, genlCmdCapDo|genlCmdCapHaspol)
	op2 := nlattr.AppendU32(nil, ctrlAttrOpID, 10)
	b = nest(b, ctrlAttrOps, nest(nest(nil, 1, op1), 2, op2))
	grp := nlattr.AppendString(nlattr.AppendU32(nil, ctrlAttrGrpID, 16), ctrlAttrGrpName, "notify")
	b = nest(b, ctrlAttrMcastGroups, nest(nil, 1, grp))
	obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, b)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"family-id":16,"family-name":"nlctrl","ops":[{"1":{"id":3,"flags":["cmd-cap-do","cmd-cap-haspol"]}},{"2":{"id":10}}],` +
		`"mcast-groups":[{"1":{"id":16,"name":"notify"}}]}`
	if got := marshal(t, obj); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestNestTypeValuePolicyDump decodes getpolicy replies as ctrl_dumppolicy
// builds them: one message per attribute, CTRL_ATTR_POLICY holding a nest
// typed by the policy index, holding a nest typed by the attribute index,
// holding the policy attributes (netlink_policy_dump_write); and one per
// operation for CTRL_ATTR_OP_POLICY (ctrl_dumppolicy_put_op). The YNL CLI
// (_decode_nest_type_value) turns each into one object: the keys of the
// type-value levels, then the policy attributes.
func TestNestTypeValuePolicyDump(t *testing.T) {
	f := nlctrlFamily(t)
	op := opByName(t, f, "getpolicy")

	attrs := nlattr.AppendU32(nil, nlPolicyTypeAttrTy, nlAttrTypeU32)
	attrs = nlattr.AppendU64(attrs, nlPolicyMinValueU, 1)
	attrs = nlattr.AppendU64(attrs, nlPolicyMaxValueU, 4294967295)
	b := nlattr.AppendU16(nil, ctrlAttrFamilyID, 20)
	b = nest(b, ctrlAttrPolicy, nest(nil, 3, nest(nil, 2, attrs)))
	obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, b)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"family-id":20,"policy":{"policy-id":3,"attr-id":2,"type":"u32","min-value-u":1,"max-value-u":4294967295}}`
	if got := marshal(t, obj); got != want {
		t.Errorf("policy message\n got %s\nwant %s", got, want)
	}

	// policy-idx 0 is a real index (the first policy), and UINT is 17.
	attrs = nlattr.AppendU32(nil, nlPolicyTypeAttrTy, nlAttrTypeUint)
	b = nlattr.AppendU16(nil, ctrlAttrFamilyID, 20)
	b = nest(b, ctrlAttrPolicy, nest(nil, 0, nest(nil, 1, attrs)))
	obj, err = DecodeMessage(op.FixedHeader, op.AttrSet, b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := marshal(t, obj), `{"family-id":20,"policy":{"policy-id":0,"attr-id":1,"type":"uint"}}`; got != want {
		t.Errorf("policy 0\n got %s\nwant %s", got, want)
	}

	pol := nlattr.AppendU32(nlattr.AppendU32(nil, ctrlAttrPolicyDo, 2), ctrlAttrPolicyDump, 1)
	b = nlattr.AppendU16(nil, ctrlAttrFamilyID, 20)
	b = nest(b, ctrlAttrOpPolicy, nest(nil, 5, pol))
	obj, err = DecodeMessage(op.FixedHeader, op.AttrSet, b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := marshal(t, obj), `{"family-id":20,"op-policy":{"op-id":5,"do":2,"dump":1}}`; got != want {
		t.Errorf("op-policy message\n got %s\nwant %s", got, want)
	}
}
