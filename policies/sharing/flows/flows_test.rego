package sharing.flows_test

import data.sharing.flows

_flows := {
	"F02": {
		"from_agency": "health",
		"to_agency": "police",
		"categories": ["identity", "contact", "mental_health"],
		"purposes": ["prevent_serious_threat"],
		"legal_basis": ["Health Information Privacy Code 2020 r11(2)(d)"],
		"signed_off": true,
	},
	"F01": {
		"from_agency": "health",
		"to_agency": "police",
		"categories": ["identity", "mental_health", "health"],
		"purposes": ["prevent_serious_threat", "risk_assessment"],
		"legal_basis": ["Health Information Privacy Code 2020 r11(2)(d)"],
		"signed_off": true,
	},
	"F09": {
		"from_agency": "msd",
		"to_agency": "police",
		"categories": ["identity"],
		"purposes": ["coordination_of_support"],
		"legal_basis": ["Privacy Act 2020 s22 IPP 11(1)(c)"],
		"signed_off": false,
	},
}

_base := {
	"id": "t",
	"from_agency": "health",
	"to_agency": "police",
	"subject": {"age": 30, "consent": "not_sought"},
	"categories": ["identity", "mental_health"],
	"purpose": "prevent_serious_threat",
	"risk_level": "imminent",
}

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

test_fail_empty_input if {
	f := flows.flow with input as {} with data.pia.approved_flows as _flows
	f == null
	r := flows.refer with input as {} with data.pia.approved_flows as _flows
	count(r) == 1
}

test_success_lowest_covering_flow if {
	c := flows.covering with input as _base with data.pia.approved_flows as _flows
	c == {"F01", "F02"}
	f := flows.flow with input as _base with data.pia.approved_flows as _flows
	f == "F01"
	r := flows.refer with input as _base with data.pia.approved_flows as _flows
	r == set()
}

test_fail_category_outside_every_flow if {
	request := _with({"categories": ["identity", "alcohol_drug"]})
	r := flows.refer with input as request with data.pia.approved_flows as _flows
	r == {{
		"id": "sharing.flows.not_covered",
		"msg": concat(" ", [
			"MACIP Privacy Impact Assessment (approved information flows): no approved information flow",
			"covers health -> police for alcohol_drug, identity (prevent_serious_threat)",
		]),
		"details": {"flows_known": 3},
	}}
}

test_fail_purpose_outside_every_flow if {
	f := flows.flow with input as _with({"purpose": "coordination_of_support"}) with data.pia.approved_flows as _flows
	f == null
}

test_fail_flow_not_signed_off if {
	patch := {"from_agency": "msd", "categories": ["identity"], "purpose": "coordination_of_support"}
	f := flows.flow with input as _with(patch) with data.pia.approved_flows as _flows
	f == null
}

test_fail_no_flow_data if {
	f := flows.flow with input as _base with data.pia.approved_flows as {}
	f == null
	r := flows.refer with input as _base with data.pia.approved_flows as "not an object"
	count(r) == 1
}

# The index of flows by pair (data.sharing.flows.by_pair) gives what a scan of the
# approved flows gives, for every pair the bundled flows name and for pairs they do not.
test_success_index_gives_what_a_scan_gives if {
	every id, f in data.pia.approved_flows {
		request := _with({
			"from_agency": f.from_agency, "to_agency": f.to_agency,
			"categories": f.categories, "purpose": f.purposes[0],
		})
		indexed := flows.covering with input as request
		scanned := flows.covering with input as request with data.sharing.flows.by_pair as {}
		indexed == scanned
		id in indexed
	}
	r := flows.covering with input as _with({"from_agency": "nzsis", "to_agency": "community:x"})
	r == set()
}

test_success_committed_index_fits_the_flows if {
	data.sharing.flows.by_pair.flows == data.pia.approved_flows
}

test_fail_stale_index_is_not_trusted if {
	# The index names F99 for health -> police, but the approved flows no longer hold it.
	stale := {
		"flows": {"F01": _flows.F01, "F02": _flows.F02, "F99": _flows.F01},
		"pairs": {"health": {"police": ["F99"]}},
	}
	c := flows.covering with input as _base
		with data.pia.approved_flows as _flows
		with data.sharing.flows.by_pair as stale
	c == {"F01", "F02"}
}

# A decision takes its pair's flows from the index when the index fits the approved flows:
# the same flows with an index that names no pair give no covering flow.
test_success_fitting_index_is_read if {
	c := flows.covering with input as _base
	c == {"F02"}
	emptied := flows.covering with input as _base with data.sharing.flows.by_pair.pairs as {}
	emptied == set()
}
