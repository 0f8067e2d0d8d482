package sharing.matrix_test

import data.sharing.matrix

_base := {
	"id": "t",
	"from_agency": "police",
	"to_agency": "community:mentoring-service",
	"subject": {"age": 30, "macip_participant": true, "consent": "given"},
	"categories": ["identity", "contact"],
	"purpose": "coordination_of_support",
	"risk_level": "low",
}

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

test_fail_empty_input if {
	not matrix.covered with input as {}
	r := matrix.refer with input as {}
	r == {{
		"id": "sharing.matrix.no_route",
		"msg": concat(" ", [
			"MACIP information-sharing matrix (operating protocol):",
			"no route from an unknown agency to an unknown agency",
		]),
		"details": {"from": "an unknown agency", "to": "an unknown agency"},
	}}
}

test_success_listed_route if {
	matrix.covered with input as _base
	r := matrix.refer with input as _base
	r == set()
}

test_fail_category_not_listed if {
	r := matrix.refer with input as _with({"categories": ["identity", "criminal_history", "intelligence"]})
	r == {{
		"id": "sharing.matrix.category_not_listed",
		"msg": concat(" ", [
			"MACIP information-sharing matrix (operating protocol):",
			"police -> community does not list criminal_history, intelligence for coordination_of_support",
		]),
		"details": {"categories": ["criminal_history", "intelligence"], "purpose": "coordination_of_support"},
	}}
}

test_fail_purpose_not_listed if {
	r := matrix.uncovered with input as _with({"purpose": "risk_assessment"})
	r == {"identity", "contact"}
}

test_fail_no_route if {
	r := matrix.refer with input as _with({"from_agency": "nzsis"})
	r == {{
		"id": "sharing.matrix.no_route",
		"msg": "MACIP information-sharing matrix (operating protocol): no route from nzsis to community",
		"details": {"from": "nzsis", "to": "community"},
	}}
}

test_fail_provider_without_service_agreement if {
	r := matrix.refer with input as _with({"to_agency": "community:youth-sports-club"})
	r == {{
		"id": "sharing.matrix.provider_not_contracted",
		"msg": concat(" ", [
			"MACIP information-sharing matrix (operating protocol):",
			"community:youth-sports-club has no MACIP service agreement",
		]),
		"details": {"agency": "community:youth-sports-club"},
	}}
	not matrix.covered with input as _with({"to_agency": "community:youth-sports-club"})
}

test_success_every_route_names_a_known_purpose_set if {
	every from_routes in data.sharing.matrix.routes {
		every categories in from_routes {
			every set_name in categories {
				data.sharing.matrix.purpose_sets[set_name]
			}
		}
	}
}

test_success_every_route_is_between_known_kinds if {
	kinds := {p.kind | some p in data.sharing.agencies.agencies} | {"community"}
	every from, to_routes in data.sharing.matrix.routes {
		from in kinds
		every to, _ in to_routes {
			to in kinds
		}
	}
}

# Without a route no category is listed as uncovered: the no-route referral says why.
test_success_no_route_leaves_no_category_uncovered if {
	r := matrix.uncovered with input as _with({"from_agency": "nzsis"})
	r == set()
	unknown := matrix.uncovered with input as _with({"from_agency": "corrections"})
	unknown == set()
}
