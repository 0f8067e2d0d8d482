# METADATA
# title: The programme's verdict
# description: >-
#   Whether MACIP's own governance covers a disclosure: a signed-off PIA information
#   flow (sharing.flows), a sharing-matrix route for every category and the purpose
#   (sharing.matrix), and no proportionality finding (sharing.proportionality). This is
#   the programme's control, apart from the law: it can refer or refuse a disclosure the
#   law permits, but the outcome table (sharing.outcome) decides when it may, and it
#   never narrows what a statute requires or an urgent threat permits.
package sharing.programme

import data.sharing.agencies
import data.sharing.flows
import data.sharing.matrix
import data.sharing.proportionality

# METADATA
# title: Covered
# description: True when an approved flow and a matrix route cover the request and no proportionality finding is raised.
covered := false if {
	# Without a covering flow (most requests) this branch answers: OPA enters one body,
	# not a default and a rule that fails.
	flows.flow == null
} else := true if {
	flows.flow != null
	matrix.covered
	proportionality.refer == set()
	proportionality.deny == set()
} else := false

# METADATA
# title: Lines crossed
# description: True when a proportionality line the programme does not cross is crossed.
lines_crossed := proportionality.deny != set()

# METADATA
# title: Route
# description: The sharing-matrix route, "sender -> recipient" by matrix key, or null when the matrix lists none.
route := concat(" -> ", [from, to]) if {
	from := agencies.sender.kind
	to := agencies.recipient.kind
	data.sharing.matrix.routes[from][to]
} else := null

# METADATA
# title: Why not covered
# description: The findings that keep the request outside the programme's approved sharing (empty when covered).
why_not := [] if {
	covered
} else := array.concat(
	array.concat(_sorted(matrix.refer), _sorted(flows.refer)),
	_sorted(proportionality.refer),
)

# METADATA
# title: Summary
# description: covered, the PIA flow, the matrix route and whether a line is crossed.
summary := {
	"covered": covered,
	"flow": flows.flow,
	"route": route,
	"lines_crossed": lines_crossed,
}

_sorted(findings) := [f | some f in findings]
