package privacy.facts_test

import data.privacy.facts

_full := {
	"id": "r1",
	"from_agency": "police",
	"to_agency": "health",
	"subject": {"age": 16, "macip_participant": true, "consent": "given"},
	"categories": ["identity", "mental_health", "identity"],
	"purpose": "coordination_of_support",
	"risk_level": "high",
	"overseas": false,
	"claimed_basis": ["IPP 11(1)(c)", "OTA s 66C", "  Health Information Privacy Code 2020   r 11(2)(d) "],
}

test_success_full_request_is_read if {
	r := facts.request with input as _full
	r == {
		"from_agency": "police",
		"to_agency": "health",
		"purpose": "coordination_of_support",
		"risk_level": "high",
		"consent": "given",
		"categories": {"identity", "mental_health"},
		"participant": true,
		"child": true,
		"overseas": false,
		"necessary": true,
		"serious": true,
		"urgent": false,
		"complete": true,
	}
	c := facts.claims with input as _full
	c == {
		"Privacy Act 2020 s22 IPP 11(1)(c)",
		"Oranga Tamariki Act 1989 s66C",
		"Health Information Privacy Code 2020 r11(2)(d)",
	}
	m := facts.missing with input as _full
	m == set()
}

test_fail_empty_input if {
	r := facts.request with input as {}
	r == {
		"from_agency": "",
		"to_agency": "",
		"purpose": "",
		"risk_level": "",
		"consent": "",
		"categories": set(),
		"participant": false,
		"child": false,
		"overseas": false,
		"necessary": false,
		"serious": false,
		"urgent": false,
		"complete": false,
	}
	c := facts.claims with input as {}
	c == set()
	m := facts.missing with input as {}
	m == {
		"from_agency", "to_agency", "purpose", "risk_level",
		"categories", "subject.consent", "subject.age",
	}
}

test_fail_malformed_fields_are_not_shown if {
	r := facts.request with input as object.union(_full, {
		"subject": {"age": "16", "macip_participant": "yes", "consent": 1},
		"categories": "identity",
		"risk_level": "severe",
		"overseas": "no",
	})
	r.participant == false
	r.child == false
	r.overseas == false
	r.serious == false
	r.complete == false
	m := facts.missing with input as object.union(_full, {
		"subject": {"age": "16", "macip_participant": "yes", "consent": 1},
		"categories": "identity",
		"risk_level": "severe",
		"overseas": "no",
	})
	m == {"risk_level", "categories", "subject.consent", "subject.age"}
}

test_success_adult_is_not_a_child if {
	r := facts.request with input as object.union(_full, {"subject": {"age": 18, "consent": "given"}})
	r.child == false
}

test_success_risk_levels if {
	low := facts.request with input as object.union(_full, {"risk_level": "low"})
	[low.necessary, low.serious, low.urgent] == [false, false, false]
	medium := facts.request with input as object.union(_full, {"risk_level": "medium"})
	[medium.necessary, medium.serious, medium.urgent] == [true, false, false]
	imminent := facts.request with input as object.union(_full, {"risk_level": "imminent"})
	[imminent.necessary, imminent.serious, imminent.urgent] == [true, true, true]
}

test_success_matches_parent_and_paragraph if {
	facts.matches("Privacy Act 2020 s22 IPP 11(1)(f)", "Privacy Act 2020 s22 IPP 11(1)(f)(ii)")
	facts.matches("Oranga Tamariki Act 1989 s66C(1)(b)", "Oranga Tamariki Act 1989 s66C")
	facts.matches("Family Violence Act 2018 s20", "Family Violence Act 2018 s20")
}

test_fail_matches_needs_a_paragraph_boundary if {
	not facts.matches("Oranga Tamariki Act 1989 s66", "Oranga Tamariki Act 1989 s66C")
	not facts.matches("Privacy Act 2020 s22 IPP 11(1)(e)", "Privacy Act 2020 s22 IPP 11(1)(f)(ii)")
}

test_success_claimed if {
	facts.claimed("Oranga Tamariki Act 1989 s66C") with input as _full
}

test_fail_not_claimed if {
	not facts.claimed("Family Violence Act 2018 s20") with input as _full
}
