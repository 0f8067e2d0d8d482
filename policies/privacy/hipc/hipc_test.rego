package privacy.hipc_test

import data.privacy.hipc

_base := {
	"id": "t",
	"from_agency": "health",
	"to_agency": "police",
	"subject": {"age": 30, "macip_participant": true, "consent": "not_sought"},
	"categories": ["identity", "mental_health", "health"],
	"purpose": "prevent_serious_threat",
	"risk_level": "imminent",
	"threat": {"to": "another_person", "likelihood": "high", "severity": "grave", "imminence": "imminent",
		"recipient_can_act": true},
}

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

_c(x) := concat("", ["Health Information Privacy Code 2020 r11", x])

_subject(consent) := {"subject": {"age": 30, "macip_participant": true, "consent": consent}}

test_fail_empty_input if {
	holds := hipc.holds with input as {}
	holds == set()
	categories := hipc.categories with input as {}
	categories == set()
}

test_success_health_categories_from_a_health_agency if {
	r := hipc.categories with input as _base
	r == {"mental_health", "health"}
}

test_success_code_does_not_apply_to_other_senders if {
	r := hipc.categories with input as _with({"from_agency": "police", "to_agency": "health"})
	r == set()
}

test_success_serious_threat_when_seeking_authorisation_is_undesirable if {
	r := hipc.holds with input as _base
	r == {_c("(2)(d)(ii)")}
}

test_fail_recipient_cannot_act if {
	r := hipc.considered with input as _with({"threat": object.union(_base.threat, {"recipient_can_act": false})})
	r[_c("(2)(d)(ii)")] == ["does_not_hold", "f_cannot_act"]
}

test_fail_no_threat_no_precondition if {
	r := hipc.considered with input as object.remove(_base, {"threat"})
	r[_c("(2)")] == ["does_not_hold", "gate_not_sought"]
	r[_c("(2)(d)(ii)")] == ["not_engaged", "f_no_threat"]
}

test_fail_refusal_alone_does_not_open_rule_11_2 if {
	r := hipc.considered with input as _with(_subject("refused"))
	r[_c("(2)")] == ["does_not_hold", "gate_refused"]
	r[_c("(2)(d)(ii)")] == ["does_not_hold", "needs_gate"]
	h := hipc.holds with input as _with(_subject("refused"))
	h == set()
}

test_success_refusal_overridden_with_reasons if {
	patch := {"subject": {"age": 30, "macip_participant": true, "consent": "refused",
		"refusal_reasons": "specific threat"}}
	r := hipc.holds with input as _with(patch)
	r == {_c("(2)(d)(ii)")}
}

test_success_directly_related_when_authorisation_not_possible if {
	patch := object.union(_subject("not_possible"), {"collection": {"obtained_for": ["care"],
		"disclosure": "directly_related"}})
	r := hipc.holds with input as object.remove(_with(patch), {"threat"})
	r == {_c("(2)(a)")}
}

test_success_authorised_and_purpose_of_collection if {
	patch := object.union(_subject("given"), {"collection": {"obtained_for": ["reports"],
		"disclosure": "one_of_the_purposes"}})
	r := hipc.holds with input as object.remove(_with(patch), {"threat"})
	r == {_c("(1)(b)"), _c("(1)(c)")}
}

test_success_de_identified if {
	patch := object.union(_subject("not_possible"), {"de_identified": {"use": "not_identified"}})
	r := hipc.holds with input as object.remove(_with(patch), {"threat"})
	r == {_c("(2)(c)")}
}

test_success_maintenance_of_law if {
	patch := {
		"subject": {"age": 30, "macip_participant": true, "consent": "refused", "refusal_reasons": "an assault"},
		"maintenance_of_law": {"limb": "offences", "prejudice": "an assault"},
	}
	r := hipc.holds with input as object.remove(_with(patch), {"threat"})
	r == {_c("(2)(i)(i)")}
}

test_fail_public_revenue_is_not_a_code_limb if {
	patch := object.union(_subject("not_possible"), {"to_agency": "msd",
		"maintenance_of_law": {"limb": "public_revenue", "prejudice": "x"}})
	r := hipc.considered with input as object.remove(_with(patch), {"threat"})
	r[_c("(2)(i)(i)")] == ["not_engaged", "i_other_limb"]
}

test_fail_maintenance_of_law_needs_a_law_enforcement_recipient if {
	patch := object.union(_subject("not_possible"), {"to_agency": "education",
		"maintenance_of_law": {"limb": "offences", "prejudice": "x"}})
	r := hipc.considered with input as object.remove(_with(patch), {"threat"})
	r[_c("(2)(i)(i)")] == ["does_not_hold", "i_no_function"]
}

test_success_every_limb_has_a_title if {
	r := hipc.considered with input as _base
	count(object.keys(r) - object.keys(data.privacy.hipc.titles)) == 0
}
