module github.com/authconform/authconform/clientchecks

go 1.26.8

replace github.com/authconform/authconform => ../../..

require (
	github.com/authconform/authconform v0.0.0-00010101000000-000000000000
	github.com/go-kivik/kivik/v4 v4.5.2
)

require (
	github.com/google/uuid v1.6.0 // indirect
	golang.org/x/net v0.56.0 // indirect
	golang.org/x/sync v0.21.0 // indirect
)
