package specs

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLiveAdvanceWaitsOnlyWithinMaxWait(t *testing.T) {
	ctx := context.Background()
	none := Live("couchdb", "http://127.0.0.1:1", Credentials{}, nil)
	if err := none.Advance(ctx, 0); !errors.Is(err, ErrUnreachable) {
		t.Errorf("without --max-wait: %v, want ErrUnreachable", err)
	}
	some := Live("couchdb", "http://127.0.0.1:1", Credentials{MaxWait: time.Millisecond}, nil)
	if err := some.Advance(ctx, time.Millisecond); err != nil {
		t.Errorf("within --max-wait: %v", err)
	}
	if err := some.Advance(ctx, time.Hour); !errors.Is(err, ErrUnreachable) {
		t.Errorf("beyond --max-wait: %v, want ErrUnreachable", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	long := Live("couchdb", "http://127.0.0.1:1", Credentials{MaxWait: time.Hour}, nil)
	if err := long.Advance(cancelled, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("an interrupted wait: %v, want context.Canceled", err)
	}
}
