package nlattr

import (
	"fmt"
	"testing"
)

func TestOptionalPrints(t *testing.T) {
	type port struct {
		PortNo  Optional[uint32]
		Name    Optional[string]
		Ifindex Optional[uint32]
	}
	p := port{PortNo: SomeU32(7), Name: Some("br0")}
	for _, c := range []struct {
		format string
		arg    any
		want   string
	}{
		{"%v", SomeU32(7), "7"},
		{"%v", Optional[uint32]{}, "<absent>"},
		{"%d", SomeU16(7), "7"},
		{"%#x", SomeU32(255), "0xff"},
		{"%5d|", SomeU8(7), "    7|"},
		{"%q", Some("br0"), `"br0"`},
		{"%s", Some("br0"), "br0"},
		{"%v", p, "{7 br0 <absent>}"},
		{"%+v", p, "{PortNo:7 Name:br0 Ifindex:<absent>}"},
		{"%#v", SomeU32(7), "nlattr.Some[uint32](0x7)"},
		{"%#v", Optional[string]{}, "nlattr.Optional[string]{}"},
		{"%v", SomeS32(-1), "-1"},
		// Absent is absent whatever Value holds.
		{"%v", Optional[uint32]{Value: 9}, "<absent>"},
	} {
		if got := fmt.Sprintf(c.format, c.arg); got != c.want {
			t.Errorf("Sprintf(%q, %#v) = %q, want %q", c.format, c.arg, got, c.want)
		}
	}
	if got := SomeU32(7).String(); got != "7" {
		t.Errorf("String() = %q", got)
	}
	if got := (Optional[int]{}).String(); got != "<absent>" {
		t.Errorf("absent String() = %q", got)
	}
}

// TestSomeForConstants: the typed constructors give the same Optional as
// Some with a type argument, so constants need none.
func TestSomeForConstants(t *testing.T) {
	if SomeU8(1) != Some[uint8](1) || SomeU16(2) != Some[uint16](2) || SomeU32(3) != Some[uint32](3) ||
		SomeU64(4) != Some[uint64](4) || SomeS8(-1) != Some[int8](-1) || SomeS16(-2) != Some[int16](-2) ||
		SomeS32(-3) != Some[int32](-3) || SomeS64(-4) != Some[int64](-4) {
		t.Fatal("a typed constructor differs from Some")
	}
}

type testEnum uint32

func (v testEnum) String() string { return [...]string{"unspec", "counter"}[v] }

func TestSelectorName(t *testing.T) {
	if got := SelectorName(Some(testEnum(1))); got != "counter" {
		t.Errorf("present: %q", got)
	}
	// Absent is no name, not the name of the zero value.
	if got := SelectorName(Optional[testEnum]{}); got != "" {
		t.Errorf("absent: %q", got)
	}
}
