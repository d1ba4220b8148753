package core

import "crypto/sha256"

// HMACSHA256 appends HMAC-SHA256(key, msg) (RFC 2104) to dst. It is
// crypto/hmac's result (a test compares them) computed with
// sha256.Sum256 on stack buffers: crypto/hmac allocates its state anew
// for every key, and a per-request key (CouchDB's cookie MAC: server
// secret plus user salt) made that most of a cookie check's cost.
func HMACSHA256(dst, key, msg []byte) []byte {
	const block = 64
	if len(key) > block {
		sum := sha256.Sum256(key)
		key = sum[:]
	}
	// inner = SHA256((K ^ ipad) || msg), on the stack for short messages.
	var innerBuf [block + 192]byte
	in := innerBuf[:0]
	if block+len(msg) > len(innerBuf) {
		in = make([]byte, 0, block+len(msg))
	}
	in = in[:block]
	for i := range block {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		in[i] = k ^ 0x36
	}
	inner := sha256.Sum256(append(in, msg...))
	// outer = SHA256((K ^ opad) || inner)
	var out [block + sha256.Size]byte
	for i := range block {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		out[i] = k ^ 0x5c
	}
	copy(out[block:], inner[:])
	mac := sha256.Sum256(out[:])
	return append(dst, mac[:]...)
}
