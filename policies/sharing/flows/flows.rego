# METADATA
# title: Approved PIA information flows
# description: >-
#   Links a disclosure to the information flow of the MACIP Privacy Impact Assessment
#   that covers it. The PIA's approved flows are policy data at data.pia.approved_flows,
#   an object keyed by flow id; a flow covers a request when its from_agency and
#   to_agency are the request's, it is signed off, it lists the request's purpose and
#   every one of the request's categories. Without that data no flow covers anything.
package sharing.flows

import data.lib.result
import data.privacy.facts

# METADATA
# title: Covering flows
# description: >-
#   Ids of the signed-off flows that cover the request. The flows of the request's agency
#   pair are looked up in data.sharing.flows.by_pair, an index generated from the approved
#   flows (scripts/policy_indexes.py, run again after exporting flows) that keeps a copy
#   of each flow; when it does not fit data.pia.approved_flows (flows substituted by a
#   test, or added or withdrawn since) every flow is scanned instead.
covering contains id if {
	request := facts.request
	some id in _candidates
	f := data.pia.approved_flows[id]
	f.signed_off == true
	request.purpose in f.purposes
	count(request.categories) > 0
	every c in request.categories {
		c in f.categories
	}
}

# METADATA
# title: The covering flow
# description: The lowest covering flow id, or null when no flow covers the request.
flow := sort(covering)[0] if {
	count(covering) > 0
} else := null

# METADATA
# title: No approved flow
# description: A disclosure no approved PIA information flow covers is referred, not silently allowed.
# custom:
#   id: sharing.flows.not_covered
#   severity: refer
#   authority: MACIP Privacy Impact Assessment (approved information flows)
refer contains v if {
	count(covering) == 0
	v := result.violation(
		rego.metadata.rule(),
		sprintf("%v: no approved information flow covers %v -> %v for %v (%v)", [
			_authority,
			facts.request.from_agency,
			facts.request.to_agency,
			concat(", ", sort(facts.request.categories)),
			facts.request.purpose,
		]),
		{"flows_known": count(_approved)},
	)
}

# The ids of the flows from the request's sender to its recipient: looked up in the
# index when it can be used, else found by scanning the approved flows.
_candidates := _pair_flows if {
	_pair_flows
} else := [id |
	some id, f in _approved
	f.from_agency == facts.request.from_agency
	f.to_agency == facts.request.to_agency
]

# The flows of the request's pair, read from the index by path: reading a whole data
# document costs about what scanning it does. The index is used only when it has as many
# flows as the approved flows and each flow it names for the pair is the approved flow
# of that id, so a flow withdrawn, changed or no longer signed off is never taken from a
# stale index. (A flow moved to another pair since is found only once the index is made
# again: the tests fail while the committed index is stale.)
_pair_flows := ids if {
	is_object(data.pia.approved_flows)
	count(data.sharing.flows.by_pair.flows) == count(data.pia.approved_flows)
	from := facts.request.from_agency
	to := facts.request.to_agency
	is_string(from)
	is_string(to)
	ids := object.get(data.sharing.flows.by_pair.pairs, [from, to], [])
	every id in ids {
		data.sharing.flows.by_pair.flows[id] == data.pia.approved_flows[id]
	}
}

_authority := "MACIP Privacy Impact Assessment (approved information flows)"

default _approved := {}

_approved := f if {
	f := data.pia.approved_flows
	is_object(f)
}
