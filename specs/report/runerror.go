package report

// SetupID is the Result.ID of a failure before any fixture ran.
const SetupID = "setup"

// CleanupID is the Result.ID of a failure after a target's last fixture,
// deleting what the run made for the target (a scratch database): its own
// result, so that it neither changes the last fixture's verdict nor goes
// unreported.
const CleanupID = "cleanup"

// WithRunError returns s with one Error result for a failure before any
// fixture could run against target (unreachable, a target of another
// flavor, refused credentials), so that every report is still written and
// says what happened. s itself is not changed.
func WithRunError(s Summary, target Target, err error) Summary {
	s.Results = append(append([]Result(nil), s.Results...), Result{
		Target: target.Name, ID: SetupID, Flavor: target.Flavor, Kind: SetupID,
		Outcome: Error, Reason: err.Error(),
	})
	return s
}
