package facts

import "reflect"

// Rules price a condition at load by the largest facts there can be
// (rules' cost estimate with strings of StringLimit bytes, maps of
// MapLimit keys, TopNamesLimit names) and may then run it without
// counting its cost step by step. That holds for views of a snapshot,
// whose values are cut to those limits (capBuilt, the JSON decoder); a
// view made any other way (a test's literal, a caller's own) has not
// been checked, and its rules count their cost as they run.

// WithinLimits reports whether the view was built by this package and
// every string, map and list in it is within the limits rules' cost
// estimates assume.
func (f *ProcessFacts) WithinLimits() bool { return f != nil && f.bounded }

// WithinLimits reports, as ProcessFacts.WithinLimits does, whether the
// snapshot's view is within the limits rules' cost estimates assume.
func (f *SnapshotFacts) WithinLimits() bool { return f != nil && f.bounded }

// checkLimits sets f.bounded: every string and list of f is within the
// limits. It names each field (no reflection: it runs for every process);
// TestViewLimitsCoverEveryField keeps the list whole.
//
// Maps are not looked at: rules price a map at MapLimit (2^20) entries,
// so a condition that loops over one is over the cost limit by that
// alone and always counts its cost; looking a key up or taking the size
// costs the same whatever the map holds.
func (f *ProcessFacts) checkLimits() {
	f.bounded = false
	for _, s := range [...]string{f.Image, f.Label, f.HandleNoun, f.DominantType, f.TopUnnamedType,
		f.VerifierHandle, f.VerifierMessage, f.VerifierTooManyMessage, f.TopStackType, f.TopGrowingType, f.TopGrowingName,
		f.TopName.Name, f.TopName.Type, f.TopZombieImage.Name, f.TopZombieImage.Type, f.Instance} {
		if len(s) > StringLimit {
			return
		}
	}
	if len(f.TopNames) > TopNamesLimit {
		return
	}
	if len(f.ZombieImages) > TopNamesLimit {
		return
	}
	for _, l := range [...][]NameFacts{f.TopNames, f.ZombieImages} {
		for _, n := range l {
			if len(n.Name) > StringLimit || len(n.Type) > StringLimit {
				return
			}
		}
	}
	f.bounded = true
}

// checkLimits sets f.bounded, by reflection: a snapshot's view is made
// once a run.
func (f *SnapshotFacts) checkLimits() {
	f.bounded = false
	v := reflect.ValueOf(f).Elem()
	for i := range v.NumField() {
		switch fv := v.Field(i); fv.Kind() {
		case reflect.String:
			if fv.Len() > StringLimit {
				return
			}
		case reflect.Slice:
			return // a list this check does not know: a new one to add here
		}
	}
	f.bounded = true
}
