package checker

import (
	"strings"
	"testing"
)

// A hostile name in a needs-a-person message must not end the comment.
func TestSQLCommentKeepsEveryLineCommented(t *testing.T) {
	for _, text := range []string{
		"plain",
		"server \"x\nDROP TABLE users; --\" differs",
		"a\r\nDROP TABLE b;",
		"a\rDROP TABLE b;",
		"",
	} {
		got := sqlComment(text)
		for _, line := range strings.Split(got, "\n") {
			if !strings.HasPrefix(line, "-- ") || strings.Contains(line, "\r") {
				t.Errorf("sqlComment(%q) = %q: line %q is not a comment", text, got, line)
			}
		}
	}
}
