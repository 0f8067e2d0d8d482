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
# description: Ids of the signed-off flows that cover the request.
covering contains id if {
	request := facts.request
	from := request.from_agency
	some id, f in _approved
	f.from_agency == from
	f.to_agency == request.to_agency
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

_authority := "MACIP Privacy Impact Assessment (approved information flows)"

default _approved := {}

_approved := f if {
	f := data.pia.approved_flows
	is_object(f)
}
