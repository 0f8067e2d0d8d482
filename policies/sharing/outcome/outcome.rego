# METADATA
# title: The outcome table
# description: >-
#   Picks the row of data.sharing.outcome.rows that applies to a situation: an object
#   with complete, verdict, urgent, covered, lines_crossed and claim_not_assessed. The
#   first row whose every "when" entry equals the situation's applies.
package sharing.outcome

# METADATA
# title: Row
# description: The first row that applies to the situation (undefined when none does).
row(situation) := [r | some r in data.sharing.outcome.rows; _applies(r, situation)][0]

_applies(r, situation) if {
	every k, v in r.when {
		situation[k] == v
	}
}
