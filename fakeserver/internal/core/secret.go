package core

import (
	"crypto/sha256"
	"crypto/subtle"
)

// SameSecret reports whether a and b are equal by comparing their SHA-256
// digests in constant time. subtle.ConstantTimeCompare alone returns at
// once when the lengths differ, which tells a caller the secret's length;
// digests are always 32 bytes, so the work is the same for any input.
func SameSecret(a, b []byte) bool {
	da, db := sha256.Sum256(a), sha256.Sum256(b)
	return subtle.ConstantTimeCompare(da[:], db[:]) == 1
}

// SameSecretString is SameSecret for strings, which it hashes without
// copying them to the heap.
func SameSecretString(a, b string) bool {
	da, db := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(da[:], db[:]) == 1
}
