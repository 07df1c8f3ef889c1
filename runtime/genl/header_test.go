package genl

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/nlgen/nlgen/runtime/nlattr"
)

func errorMessage(flags uint16, errno int32, req []byte, tlvs []byte) []byte {
	b := binary.NativeEndian.AppendUint32(nil, uint32(errno))
	if flags&FlagCapped != 0 {
		b = append(b, req[:HeaderLen]...)
	} else {
		b = append(b, req...)
		b = nlattr.Pad(b)
	}
	return append(b, tlvs...)
}

func TestParseErrorMessageExtAck(t *testing.T) {
	req, _ := AppendRequest(nil, Header{Type: 0x20, Seq: 9}, 1, 1, []byte{1, 2, 3}) // 23 bytes, unpadded
	tlvs := nlattr.AppendString(nil, extAckMsg, "missing name")
	tlvs = nlattr.AppendU32(tlvs, extAckOffs, 20)
	tlvs = nlattr.AppendU32(tlvs, extAckMissType, 1)
	tlvs = nlattr.AppendU32(tlvs, extAckMissNest, 0)
	for _, flags := range []uint16{FlagAckTLVs, FlagAckTLVs | FlagCapped} {
		code, h, err := ParseErrorMessage(flags, errorMessage(flags, -22, req, tlvs))
		var ge *Error
		if code != -22 || h.Seq != 9 || !errors.As(err, &ge) {
			t.Fatalf("flags %#x: code %d hdr %+v err %v", flags, code, h, err)
		}
		if ge.Errno != EINVAL || ge.Message != "missing name" || ge.Offset != 20 || !ge.HasMissing || ge.MissingType != 1 {
			t.Fatalf("flags %#x: %+v", flags, ge)
		}
		if !errors.Is(err, EINVAL) || ge.Error() == "" {
			t.Fatal("errors.Is EINVAL failed")
		}
	}
	// ACK: errno 0 is not an error.
	if code, _, err := ParseErrorMessage(0, errorMessage(FlagCapped, 0, req, nil)); code != 0 || err != nil {
		t.Fatalf("ack: %d %v", code, err)
	}
	if _, _, err := ParseErrorMessage(0, []byte{1, 2}); !errors.Is(err, ErrShortMessage) {
		t.Fatalf("short: %v", err)
	}
	// Without ACK_TLVS the TLVs are ignored and Offset is -1.
	_, _, err := ParseErrorMessage(0, errorMessage(0, -2, req, tlvs))
	var ge *Error
	if !errors.As(err, &ge) || ge.Message != "" || ge.Offset != -1 || ge.Errno != ENOENT {
		t.Fatalf("no tlvs: %+v", err)
	}
}

func TestSplitMessages(t *testing.T) {
	a, _ := AppendRequest(nil, Header{Type: 20, Seq: 1}, 1, 1, []byte{9}) // 21 bytes, needs padding
	a = append(a, 0, 0, 0)
	b, _ := AppendRequest(nil, Header{Type: 20, Seq: 2}, 2, 1, nil)
	msgs, err := SplitMessages(append(a, b...))
	if err != nil || len(msgs) != 2 || msgs[1].Header.Seq != 2 || len(msgs[0].Data) != 5 {
		t.Fatalf("%+v %v", msgs, err)
	}
	bad := append([]byte(nil), b...)
	binary.NativeEndian.PutUint32(bad, 200)
	if _, err := SplitMessages(bad); !errors.Is(err, ErrShortMessage) {
		t.Fatalf("overlong: %v", err)
	}
	if _, _, _, err := ParseGenl([]byte{1}); !errors.Is(err, ErrShortMessage) {
		t.Fatal("short genl accepted")
	}
}

func TestErrnoNames(t *testing.T) {
	if ENOENT.Error() != "ENOENT" || Errno(4095).Name() != "errno 4095" {
		t.Fatal(ENOENT.Error(), Errno(4095).Name())
	}
	if !errors.Is(&Error{Errno: EEXIST}, EEXIST) || errors.Is(&Error{Errno: EEXIST}, ENOENT) {
		t.Fatal("errors.Is on *Error")
	}
	if errnoFromMSVC(129) != EOPNOTSUPP || errnoFromMSVC(22) != EINVAL || errnoFromMSVC(115) != EMSGSIZE || errnoFromMSVC(122) != ENOMSG {
		t.Fatal("MSVC mapping")
	}
}

func FuzzReplies(f *testing.F) {
	req, _ := AppendRequest(nil, Header{Type: 18, Seq: 1}, 1, 2, make([]byte, 4))
	f.Add(req)
	f.Add(errorMessage(FlagAckTLVs, -22, req, nlattr.AppendString(nil, 1, "x")))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = SplitMessages(b)
		_, _, _ = ParseErrorMessage(FlagAckTLVs, b)
		_, _, _ = ParseErrorMessage(FlagAckTLVs|FlagCapped, b)
		c := &DeviceConn{names: map[uint16]string{}}
		_, _, _ = c.parseReplies(b, fakeDatapathFamily, 1, 1)
		_, _, _ = c.parseReplies(b, nil, 0, 0)
	})
}
