package fakeserver

import (
	"strings"
	"testing"
	"time"
)

func TestNewWantsAFlavor(t *testing.T) {
	for _, o := range []Options{{}, {Users: []User{{Name: "admin", Password: "secret"}}}, {Flavor: "mongodb"}} {
		if _, err := New(o); err == nil || !strings.Contains(err.Error(), "flavor") && !strings.Contains(err.Error(), "Flavor") {
			t.Errorf("New(%+v) = %v, want an error about the flavor", o, err)
		}
	}
}

// TestNewRefusesFieldsOfOtherFlavors: a field that a flavor would ignore
// is an error naming the field; the fields it uses are accepted.
func TestNewRefusesFieldsOfOtherFlavors(t *testing.T) {
	set := map[string]func(*Options){
		"AuthDisabled":     func(o *Options) { o.AuthDisabled = true },
		"Tokens":           func(o *Options) { o.Tokens = []Token{{Token: "t", User: "neo4j"}} },
		"SessionTTL":       func(o *Options) { o.SessionTTL = time.Minute },
		"CookieSecret":     func(o *Options) { o.CookieSecret = []byte("s") },
		"RequireValidUser": func(o *Options) { o.RequireValidUser = true },
		"Databases":        func(o *Options) { o.Databases = []Database{{Name: "x"}} },
	}
	uses := map[Flavor][]string{
		Neo4j33:    {"AuthDisabled"},
		Neo4jQuery: {"AuthDisabled", "Tokens"},
		CouchDB:    {"SessionTTL", "CookieSecret", "RequireValidUser", "Databases"},
	}
	for _, fl := range Flavors() {
		for field, apply := range set {
			o := Options{Flavor: fl}
			apply(&o)
			_, err := New(o)
			applies := false
			for _, u := range uses[fl] {
				applies = applies || u == field
			}
			switch {
			case applies && err != nil:
				t.Errorf("%s: Options.%s refused: %v", fl, field, err)
			case !applies && (err == nil || !strings.Contains(err.Error(), "Options."+field)):
				t.Errorf("%s: Options.%s: error %v, want one naming the field", fl, field, err)
			}
		}
	}
	// User fields of one flavor only.
	for _, tc := range []struct {
		flavor Flavor
		user   User
		field  string
	}{
		{Neo4j33, User{Name: "neo4j", Password: "x", Roles: []string{"_admin"}}, "Options.Users[0].Roles"},
		{Neo4jQuery, User{Name: "neo4j", Password: "x", Roles: []string{"reader"}}, "Options.Users[0].Roles"},
		{CouchDB, User{Name: "admin", Password: "x", PasswordChangeRequired: true}, "Options.Users[0].PasswordChangeRequired"},
	} {
		if _, err := New(Options{Flavor: tc.flavor, Users: []User{tc.user}}); err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s with %+v: %v, want an error naming %s", tc.flavor, tc.user, err, tc.field)
		}
	}
	for _, o := range []Options{
		{Flavor: Neo4j33, Users: []User{{Name: "neo4j", Password: "x", PasswordChangeRequired: true}}},
		{Flavor: Neo4jQuery, Users: []User{{Name: "neo4j", Password: "x", PasswordChangeRequired: true}}},
		{Flavor: CouchDB, Users: []User{{Name: "admin", Password: "x", Roles: []string{"_admin"}}}},
	} {
		if _, err := New(o); err != nil {
			t.Errorf("%s: %v", o.Flavor, err)
		}
	}
	// An empty, non-nil slice is as good as none.
	if _, err := New(Options{Flavor: CouchDB, Tokens: []Token{}}); err != nil {
		t.Errorf("empty Tokens on couchdb: %v", err)
	}
}

func TestOptionsLimits(t *testing.T) {
	for name, o := range map[string]Options{
		"unknown flavor":   {Flavor: "nope"},
		"foreign profile":  {Flavor: Neo4j33, Profile: ProfileCouchDB35},
		"body over limit":  {Flavor: Neo4j33, MaxBodyBytes: MaxBodyBytesLimit + 1},
		"negative timeout": {Flavor: Neo4j33, BodyTimeout: -time.Second},
		"token, no plane":  {Flavor: Neo4j33, ControlToken: "t"},
		"empty user name":  {Flavor: Neo4j33, Users: []User{{Name: "", Password: "x"}}},
		"a user twice":     {Flavor: Neo4j33, Users: []User{{Name: "a", Password: "x"}, {Name: "a", Password: "y"}}},
		"couchdb change":   {Flavor: CouchDB, Users: []User{{Name: "a", Password: "x", PasswordChangeRequired: true}}},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
	for name, o := range map[string]Options{
		"body at limit": {Flavor: Neo4j33, MaxBodyBytes: MaxBodyBytesLimit},
		"a release":     {Flavor: Neo4j33, Profile: ProfileNeo4j339},
	} {
		f, err := New(o)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := f.Options(); got.BodyTimeout <= 0 || got.Clock == nil {
			t.Errorf("%s: defaults not filled: %+v", name, got)
		}
	}
	f, _ := New(Options{Flavor: Neo4j33, MaxBodyBytes: -5})
	if f.Options().MaxBodyBytes != 1<<20 {
		t.Errorf("a negative MaxBodyBytes is not the default: %d", f.Options().MaxBodyBytes)
	}
}
