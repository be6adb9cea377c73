package checker

import (
	"slices"
	"testing"
)

// stepNames lists what the steps read, in order.
func stepNames(steps []inspectStep) []string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.what
	}
	return names
}

func TestSchedule(t *testing.T) {
	in := &inspector{}
	full := append(in.steps(), inspectStep{"dependencies", (*inspector).dependencyRows})

	// One reader: the steps as listed, the columns first.
	steps, follows, columnSteps := schedule(full, 1)
	if !slices.Equal(stepNames(steps), stepNames(full)) || len(follows) != 0 || columnSteps != 1 {
		t.Errorf("one reader: %v, follows %v, %d columns steps", stepNames(steps), follows, columnSteps)
	}

	// Two: the columns whole, relations after them on the same reader,
	// the steps that name columns last.
	steps, follows, columnSteps = schedule(full, 2)
	names := stepNames(steps)
	if names[0] != "columns" || columnSteps != 1 || len(follows) != 1 || names[follows[0]] != "relations" {
		t.Errorf("two readers: %v, follows %v, %d columns steps", names, follows, columnSteps)
	}
	checkNamersLast(t, steps)
	if len(steps) != len(full) {
		t.Errorf("two readers: %d steps, want %d", len(steps), len(full))
	}

	// Three: the columns in two halves, no step pinned.
	steps, follows, columnSteps = schedule(full, 3)
	names = stepNames(steps)
	if names[0] != "columns" || names[1] != "columns" || columnSteps != 2 || len(follows) != 0 {
		t.Errorf("three readers: %v, follows %v, %d columns steps", names, follows, columnSteps)
	}
	checkNamersLast(t, steps)
	if len(steps) != len(full)+1 {
		t.Errorf("three readers: %d steps, want %d", len(steps), len(full)+1)
	}
}

// checkNamersLast fails unless the steps that wait for the columns come
// after every other step.
func checkNamersLast(t *testing.T, steps []inspectStep) {
	t.Helper()
	seen := false
	for _, s := range steps {
		if s.namesColumns() {
			seen = true
		} else if seen {
			t.Errorf("%s after a step that waits for the columns: %v", s.what, stepNames(steps))
		}
	}
}
