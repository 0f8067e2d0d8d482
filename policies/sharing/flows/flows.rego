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
	some id in _pair_flows
	f := data.pia.approved_flows[id]
	request := facts.request
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
flow := array.concat(sort(covering), [null])[0] # the first of the sorted ids, then null: one body, no else

# METADATA
# title: No approved flow
# description: A disclosure no approved PIA information flow covers is referred, not silently allowed.
# custom:
#   id: sharing.flows.not_covered
#   severity: refer
#   authority: MACIP Privacy Impact Assessment (approved information flows)
refer contains v if {
	covering == set()
	v := result.violation(
		rego.metadata.rule(),
		sprintf("%v: no approved information flow covers %v -> %v for %v (%v)", [
			"MACIP Privacy Impact Assessment (approved information flows)",
			facts.request.from_agency,
			facts.request.to_agency,
			concat(", ", sort(facts.request.categories)),
			facts.request.purpose,
		]),
		{"flows_known": count(_approved)},
	)
}

# The ids of the flows from the request's sender to its recipient, read from the index by
# path (a pair the index does not name has none) when the index fits the approved flows,
# else found by scanning the approved flows. Reading a whole data document costs about
# what scanning it does, and comparing the index's copy of the flows with the approved
# flows as a whole costs more than both: the index is used when it has as many flows as
# the approved flows and each flow it names for the pair is the approved flow of that id,
# so a flow withdrawn, changed or no longer signed off is never taken from a stale index.
# (A flow moved to another pair since is found only once the index is made again: the
# tests fail while the committed index is stale.) An agency id that is not a string
# names no pair.
_pair_flows := ids if {
	count(data.sharing.flows.by_pair.flows) == count(data.pia.approved_flows)
	ids := object.get(data.sharing.flows.by_pair.pairs, [input.from_agency, input.to_agency], [])
	every id in ids {
		data.sharing.flows.by_pair.flows[id] == data.pia.approved_flows[id]
	}
} else := [id |
	some id, f in _approved
	f.from_agency == facts.request.from_agency
	f.to_agency == facts.request.to_agency
]

# The approved flows, or none when the data is not an object.
_approved := f if {
	f := data.pia.approved_flows
	is_object(f)
} else := {}
