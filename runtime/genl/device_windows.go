//go:build windows

package genl

import "golang.org/x/sys/windows"

// winDevice is the only Windows system-call code: a synchronous handle to
// the OVS device and DeviceIoControl. A synchronous handle makes the
// driver's pending-I/O requests (PEND_REQ) simply block the caller, which
// is the blocking receive path; no OVERLAPPED bookkeeping is needed.
type winDevice struct{ h windows.Handle }

func openDevice(path string) (*winDevice, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p,
		windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE,
		nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil, err
	}
	return &winDevice{h: h}, nil
}

func firstByte(b []byte) *byte {
	if len(b) == 0 {
		return nil
	}
	return &b[0]
}

// Ioctl issues DeviceIoControl and returns the bytes written to out.
func (d *winDevice) Ioctl(code uint32, in, out []byte) (int, error) {
	var n uint32
	err := windows.DeviceIoControl(d.h, code,
		firstByte(in), uint32(len(in)),
		firstByte(out), uint32(len(out)),
		&n, nil)
	return int(n), err
}

// CancelIO aborts ioctls blocked on this handle in other goroutines
// (best effort: CancelIoEx on a synchronous handle).
func (d *winDevice) CancelIO() error { return windows.CancelIoEx(d.h, nil) }

// Close closes the handle.
func (d *winDevice) Close() error { return windows.CloseHandle(d.h) }
