package genl

// Annotate fills the request fields of e (Family, Cmd, and Op from
// f.Schema) and names the attributes its extended ack points at (Attr,
// Missing), as the transports do for a kernel error. payload is the request
// as the Conn got it (fixed header, then attributes). Fakes call it so the
// errors they return read exactly like the kernel's.
func (f *Family) Annotate(e *Error, cmd uint8, payload []byte) {
	f.annotate(e, cmd, payload)
}
