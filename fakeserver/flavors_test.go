package fakeserver

import (
	"slices"
	"testing"
)

func TestProfilesFor(t *testing.T) {
	for fl, want := range map[Flavor][]Profile{
		Neo4j33:    {ProfileDocumented, ProfileNeo4j339},
		Neo4jQuery: {ProfileDocumented, ProfileNeo4j5},
		CouchDB:    {ProfileDocumented, ProfileCouchDB33, ProfileCouchDB34, ProfileCouchDB35},
		"nope":     nil,
	} {
		if got := ProfilesFor(fl); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", fl, got, want)
		}
	}
}
