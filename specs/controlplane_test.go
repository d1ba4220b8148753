package specs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/authconform/authconform/fakeserver"
	"github.com/authconform/authconform/specs"
)

// TestControlPlaneSendsItsToken: a fake whose control plane needs a token
// lets the suite in with it and refuses it without, naming the flag.
func TestControlPlaneSendsItsToken(t *testing.T) {
	srv, err := fakeserver.Start(fakeserver.Options{Flavor: fakeserver.CouchDB, ControlPlane: true, ControlToken: "s3cret-token"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	vars, err := specs.ControlPlaneWithToken(srv.URL, "s3cret-token", srv.Client()).Enter(ctx, "logged-in")
	if err != nil {
		t.Fatalf("with the token: %v", err)
	}
	if vars["Cookie"] == "" {
		t.Errorf("with the token: vars %v have no session cookie", vars)
	}
	for name, states := range map[string]specs.StateProvider{
		"no token":    specs.ControlPlane(srv.URL, srv.Client()),
		"wrong token": specs.ControlPlaneWithToken(srv.URL, "s3cret-tokeN", srv.Client()),
	} {
		_, err := states.Enter(ctx, "logged-in")
		if err == nil || !strings.Contains(err.Error(), "status 401") || !strings.Contains(err.Error(), "ControlPlaneWithToken") {
			t.Errorf("%s: err %v, want a 401 that names ControlPlaneWithToken", name, err)
		}
	}
}
