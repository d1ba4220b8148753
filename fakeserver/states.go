package fakeserver

import "fmt"

func unknownState(name string, known []string) error {
	return fmt.Errorf("fakeserver: unknown state %q (this flavor knows %v)", name, known)
}
