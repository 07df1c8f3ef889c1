package dyn

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestParseJSONStrict: what encoding/json would quietly rewrite (a second
// value for a key, bytes that are not UTF-8, a lone surrogate) is an
// error naming the key, at any depth.
func TestParseJSONStrict(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"name": "a", "name": "b"}`, `--json: name: duplicate key "name"`},
		{`{"opts": {"level": 1, "level": 2}}`, `--json: opts.level: duplicate key "level"`},
		{`{"tags": [{"x": 1, "x": 2}]}`, `--json: tags[0].x: duplicate key "x"`},
		{"{\"name\": \"a\xffb\"}", `--json: name: string is not valid UTF-8`},
		{"{\"na\xffme\": 1}", "--json: na\ufffdme: string is not valid UTF-8"},
		{`{"name": "\ud800"}`, `--json: name: string is not valid UTF-8`},
		{`{"tags": ["ok", "\udc00x"]}`, `--json: tags[1]: string is not valid UTF-8`},
		{`{"name": `, `--json: unexpected end of input`},
		{`[1]`, `--json: the request must be a JSON object, got a list`},
		{`{"a": 1} {"b": 2}`, `--json: trailing data after the object`},
		{`{"a": ` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, `input nested deeper than 32 levels`},
	} {
		_, err := ParseJSON(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseJSON(%q) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
	// A written U+FFFD, raw or escaped, and a proper surrogate pair are text.
	for _, in := range []string{`{"name": "\ufffd"}`, "{\"name\": \"\uFFFD\"}", `{"name": "\ud83d\ude00"}`} {
		if _, err := ParseJSON(in); err != nil {
			t.Errorf("ParseJSON(%q): %v", in, err)
		}
	}
}

// TestEncodeRejectsBadStrings: the kernel reads a string attribute up to
// its first NUL (nla_strscpy, NLA_NUL_STRING), so anything after it would
// never arrive; the error names the attribute or member.
func TestEncodeRejectsBadStrings(t *testing.T) {
	f := demoFamily(t)
	op := f.Ops[0]
	for _, tc := range []struct {
		in   map[string]any
		want string
	}{
		{map[string]any{"name": "br\x000"}, "name: string has a NUL character at byte 2"},
		{map[string]any{"tags": []any{"ok", "a\x00"}}, "tags: string has a NUL character at byte 1"},
		{map[string]any{"name": "a\xffb"}, "name: string is not valid UTF-8"},
	} {
		_, err := EncodeMessage(op.FixedHeader, op.AttrSet, tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.in, err, tc.want)
		}
	}
}

// TestEncodeIntegerNumbers: JSON has one number type, so 1e3 and 10.0
// are the integers they denote; fractions and values outside the
// attribute's type are errors that name the attribute.
func TestEncodeIntegerNumbers(t *testing.T) {
	f := demoFamily(t)
	op := f.Ops[0]
	encode := func(js string) ([]byte, error) {
		in, err := ParseJSON(js)
		if err != nil {
			t.Fatal(err)
		}
		return EncodeMessage(op.FixedHeader, op.AttrSet, in)
	}
	read := func(b []byte, name string) []byte {
		id := op.AttrSet.Attr(name).ID
		it := nlattr.NewIter(b[4:])
		for it.Next() {
			if it.Type() == id {
				return it.Payload()
			}
		}
		t.Fatalf("%s not encoded", name)
		return nil
	}
	for js, want := range map[string]uint64{
		`{"big": 1e3}`:                      1000,
		`{"big": 10.0}`:                     10,
		`{"big": 1.5e1}`:                    15,
		`{"big": 18446744073709551615}`:     1<<64 - 1,
		`{"big": 1.8446744073709551615e19}`: 1<<64 - 1,
		`{"big": 0e999999999999}`:           0,
	} {
		b, err := encode(js)
		if err != nil {
			t.Errorf("%s: %v", js, err)
			continue
		}
		p := read(b, "big")
		var got uint64
		switch len(p) {
		case 4:
			got = uint64(binary.NativeEndian.Uint32(p))
		case 8:
			got = binary.NativeEndian.Uint64(p)
		}
		if got != want {
			t.Errorf("%s: encoded %d, want %d", js, got, want)
		}
	}
	if b, err := encode(`{"count": -2e2}`); err != nil || int16(binary.NativeEndian.Uint16(read(b, "count"))) != -200 {
		t.Errorf("count -2e2: %v", err)
	}
	for js, want := range map[string]string{
		`{"big": 1.5}`:                "big: 1.5 is not an integer",
		`{"big": 1e-3}`:               "big: 1e-3 is not an integer",
		`{"big": 1e20}`:               "big: 1e20 does not fit uint",
		`{"big": -1}`:                 "big: -1 does not fit uint",
		`{"big": 1e1000000000}`:       "big: 1e1000000000 is out of range",
		`{"count": 32768}`:            "count: 32768 does not fit s16",
		`{"count": -3.28e4}`:          "count: -3.28e4 does not fit s16",
		`{"opts": {"level": 2.56e2}}`: "opts: level: 2.56e2 does not fit u8",
		`{"ports": [80, 6.5536e4]}`:   "ports: element 1: 6.5536e4 does not fit u16",
	} {
		_, err := encode(js)
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", js, err, want)
		}
	}
}
