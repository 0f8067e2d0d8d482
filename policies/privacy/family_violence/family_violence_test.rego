package privacy.family_violence_test

import data.privacy.family_violence

_base := {
	"id": "t",
	"from_agency": "police",
	"to_agency": "community:whanau-support-service",
	"subject": {"age": 34, "macip_participant": true, "consent": "not_sought"},
	"categories": ["identity", "contact", "family_whanau", "risk_assessment"],
	"purpose": "risk_assessment",
	"risk_level": "high",
	"family_violence": {"helps": ["risk_or_needs_assessment"]},
}

_s20 := "Family Violence Act 2018 s20"

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

test_fail_empty_input if {
	r := family_violence.holds with input as {}
	r == set()
}

test_success_between_family_violence_agencies_unclaimed if {
	r := family_violence.considered with input as _base
	r == {_s20: ["holds", "holds"]}
}

test_success_not_engaged_without_facts if {
	r := family_violence.considered with input as object.remove(_base, {"family_violence"})
	r == {_s20: ["not_engaged", "not_stated"]}
}

test_fail_claimed_without_facts if {
	patch := {"claimed_basis": ["Family Violence Act 2018 s20"]}
	r := family_violence.considered with input as object.remove(_with(patch), {"family_violence"})
	r == {_s20: ["uncertain", "family_violence"]}
}

test_fail_nothing_it_helps_with if {
	r := family_violence.considered with input as _with({"family_violence": {"helps": []}})
	r == {_s20: ["uncertain", "family_violence.helps"]}
}

test_fail_nzsis_is_not_a_family_violence_agency if {
	r := family_violence.considered with input as _with({"to_agency": "nzsis"})
	r == {_s20: ["does_not_hold", "recipient"]}
}

test_fail_mentoring_service_sender if {
	r := family_violence.considered with input as _with({"from_agency": "community:mentoring-service",
		"to_agency": "police"})
	r == {_s20: ["does_not_hold", "sender"]}
}

test_success_every_provision_has_a_title if {
	r := family_violence.considered with input as _base
	object.keys(r) == object.keys(data.privacy.family_violence.titles)
}
