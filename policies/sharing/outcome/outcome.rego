# METADATA
# title: The outcome table
# description: >-
#   Picks the row of data.sharing.outcome.rows that applies to a situation: an object
#   with complete, verdict, urgent, covered, lines_crossed and claim_not_assessed. The
#   first row whose every "when" entry equals the situation's applies. Decisions look it
#   up in data.sharing.outcome.by_situation, generated from the rows (scripts/policy_indexes.py).
package sharing.outcome

# METADATA
# title: Row
# description: The first row that applies to the situation (undefined when none does).
row(situation) := [r | some r in data.sharing.outcome.rows; _applies(r, situation)][0]

# METADATA
# title: Row, looked up
# description: >-
#   The row of row(situation), found by its key in data.sharing.outcome.by_situation
#   instead of by scanning the table. The row found must apply to the situation; when it
#   does not (an index older than the table), the table is scanned.
indexed(situation) := r if {
	r := data.sharing.outcome.rows[data.sharing.outcome.by_situation[key(situation)]]
	object.subset(situation, r.when)
} else := row(situation)

# METADATA
# title: Situation key
# description: complete|verdict|urgent|covered|lines_crossed|claim_not_assessed, the key of by_situation.
key(s) := sprintf("%v|%v|%v|%v|%v|%v", [
	s.complete, s.verdict, s.urgent,
	s.covered, s.lines_crossed, s.claim_not_assessed,
])

_applies(r, situation) if {
	every k, v in r.when {
		situation[k] == v
	}
}
