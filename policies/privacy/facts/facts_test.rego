package privacy.facts_test

import data.privacy.facts

_full := {
	"id": "r1",
	"from_agency": "police",
	"to_agency": "health",
	"subject": {"age": 16, "macip_participant": true, "consent": "refused", "refusal_reasons": " specific threat "},
	"categories": ["identity", "mental_health", "identity"],
	"purpose": "coordination_of_support",
	"risk_level": "high",
	"overseas": false,
	"relates_to_child": {"age": 16},
	"claimed_basis": ["IPP 11(1)(c)", "OTA s 66C", "  Health Information Privacy Code 2020   r 11(2)(d) "],
	"statutory_request": {"provision": "OTA s 66(1)", "by": "constable"},
}

_threat(t) := object.union(_full, {"threat": t})

test_success_full_request_is_read if {
	r := facts.request with input as _full
	r == {
		"from_agency": "police",
		"to_agency": "health",
		"purpose": "coordination_of_support",
		"risk_level": "high",
		"consent": "refused",
		"refusal_reasons": true,
		"categories": {"identity", "mental_health"},
		"participant": true,
		"child": true,
		"overseas": false,
		"complete": true,
	}
	c := facts.claims with input as _full
	c == {
		"Privacy Act 2020 s22 IPP 11(1)(c)",
		"Oranga Tamariki Act 1989 s66C",
		"Health Information Privacy Code 2020 r11(2)(d)",
	}
	facts.statutory_provision == "Oranga Tamariki Act 1989 s66(1)" with input as _full
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
		"refusal_reasons": false,
		"categories": set(),
		"participant": false,
		"child": false,
		"overseas": false,
		"complete": false,
	}
	t := facts.threat with input as {}
	t == {"present": false, "to": "", "serious": false, "urgent": false, "can_act": false, "missing": set()}
	not facts.urgent with input as {}
	c := facts.claims with input as {"claimed_basis": []}
	c == set()
	m := facts.missing with input as {}
	m == {"from_agency", "to_agency", "purpose", "risk_level", "categories", "subject.consent", "subject.age"}
}

test_fail_malformed_fields_are_not_shown if {
	bad := object.union(_full, {
		"subject": {"age": "16", "macip_participant": "yes", "consent": 1, "refusal_reasons": "  "},
		"categories": "identity",
		"overseas": "no",
		"relates_to_child": true,
	})
	r := facts.request with input as bad
	[r.participant, r.child, r.overseas, r.refusal_reasons, r.complete] == [false, false, false, false, false]
	m := facts.missing with input as bad
	m == {"categories", "subject.consent", "subject.age"}
}

test_success_serious_imminent_threat_is_urgent if {
	t := facts.threat with input as _threat({
		"to": "another_person", "likelihood": "high", "severity": "grave",
		"imminence": "imminent", "recipient_can_act": true,
	})
	t == {"present": true, "to": "another_person", "serious": true, "urgent": true, "can_act": true, "missing": set()}
}

test_success_serious_but_not_imminent_is_not_urgent if {
	t := facts.threat with input as _threat({"to": "public", "likelihood": "moderate", "severity": "serious",
		"imminence": "days"})
	[t.serious, t.urgent, t.can_act] == [true, false, "unknown"]
}

test_fail_every_factor_counts if {
	minor := facts.threat with input as _threat({"to": "subject", "likelihood": "almost_certain",
		"severity": "moderate", "imminence": "imminent"})
	minor.serious == false
	distant := facts.threat with input as _threat({"to": "subject", "likelihood": "moderate", "severity": "serious",
		"imminence": "months"})
	distant.serious == false
}

test_fail_missing_factor_leaves_seriousness_unknown if {
	t := facts.threat with input as _threat({"to": "subject", "severity": "grave", "imminence": "imminent"})
	[t.serious, t.urgent, t.missing] == ["unknown", false, {"threat.likelihood"}]
}

test_success_risk_level_is_not_read_as_a_threat if {
	t := facts.threat with input as object.union(_full, {"risk_level": "imminent", "purpose": "prevent_serious_threat"})
	t.present == false
	not facts.urgent with input as object.union(_full, {"risk_level": "imminent", "purpose": "prevent_serious_threat"})
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

# A request that has every field a decision needs but leaves out one the model always
# writes (overseas) is read as the model's own: the same facts, complete.
test_success_request_without_overseas_reads_as_written if {
	r := facts.request with input as object.remove(_full, ["overseas"])
	r == facts.request with input as _full
	r.complete
}

# One malformed field a decision needs (age as text) leaves the request incomplete; the
# other fields are read as given.
test_fail_one_malformed_field_makes_request_incomplete if {
	bad := object.union(_full, {"subject": {"age": "16", "macip_participant": true, "consent": "refused"}})
	r := facts.request with input as bad
	[r.from_agency, r.consent, r.participant, r.complete] == ["police", "refused", true, false]
	r.categories == {"identity", "mental_health"}
}
