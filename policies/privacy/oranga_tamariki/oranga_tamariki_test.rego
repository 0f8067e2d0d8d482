package privacy.oranga_tamariki_test

import data.privacy.oranga_tamariki

_base := {
	"id": "t",
	"from_agency": "police",
	"to_agency": "oranga_tamariki",
	"subject": {"age": 34, "macip_participant": false, "consent": "not_sought"},
	"categories": ["identity", "criminal_history", "family_whanau"],
	"purpose": "risk_assessment",
	"risk_level": "medium",
	"relates_to_child": {"age": 6, "assists": ["prevent_harm"]},
}

_s66c := "Oranga Tamariki Act 1989 s66C(b)"

_s66 := "Oranga Tamariki Act 1989 s66(1)"

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

_asked(by) := {"statutory_request": {"provision": "Oranga Tamariki Act 1989 s66", "by": by}}

test_fail_empty_input if {
	r := oranga_tamariki.holds with input as {}
	r == set()
}

test_success_parents_history_relates_to_a_child if {
	r := oranga_tamariki.considered with input as _base
	r == {_s66c: ["holds", "s66c_holds"], _s66: ["not_engaged", "s66_not_requested"]}
}

test_fail_not_about_a_child if {
	r := oranga_tamariki.considered with input as object.remove(_base, {"relates_to_child"})
	r[_s66c] == ["not_engaged", "s66c_no_child"]
}

test_success_age_of_the_subject_does_not_decide if {
	r := oranga_tamariki.holds with input as _with({"subject": {"age": 12, "macip_participant": false,
		"consent": "not_sought"}, "relates_to_child": null})
	r == set()
}

test_fail_nzsis_is_not_a_child_welfare_and_protection_agency if {
	r := oranga_tamariki.considered with input as _with({"to_agency": "nzsis"})
	r[_s66c] == ["does_not_hold", "s66c_recipient"]
}

test_fail_unlisted_sender if {
	r := oranga_tamariki.considered with input as _with({"from_agency": "community:youth-sports-club"})
	r[_s66c] == ["does_not_hold", "s66c_sender"]
}

test_fail_purpose_not_stated if {
	r := oranga_tamariki.considered with input as _with({"relates_to_child": {"age": 6}})
	r[_s66c] == ["uncertain", "relates_to_child.assists"]
	m := oranga_tamariki.missing with input as _with({"relates_to_child": {"age": 6}})
	m == {"relates_to_child.assists"}
}

test_success_department_services_whoever_the_parties if {
	patch := {"from_agency": "education", "to_agency": "health", "relates_to_child": {"age": 9,
		"assists": ["department_services"]}}
	r := oranga_tamariki.holds with input as _with(patch)
	r == {_s66c}
}

test_success_constable_request_is_a_duty if {
	patch := object.union({"from_agency": "community:mentoring-service", "to_agency": "police"}, _asked("constable"))
	r := oranga_tamariki.considered with input as _with(patch)
	r[_s66] == ["holds", "s66_holds"]
	d := oranga_tamariki.duties with input as _with(patch)
	d == {_s66}
}

test_success_social_worker_asks_for_the_chief_executive if {
	patch := object.union({"from_agency": "health"}, _asked("social_worker"))
	d := oranga_tamariki.duties with input as _with(patch)
	d == {_s66}
}

test_fail_other_requester if {
	patch := object.union({"from_agency": "health"}, _asked("other"))
	r := oranga_tamariki.considered with input as _with(patch)
	r[_s66] == ["does_not_hold", "s66_by"]
}

test_fail_constable_but_recipient_is_not_police if {
	r := oranga_tamariki.considered with input as _with(object.union({"from_agency": "health"}, _asked("constable")))
	r[_s66] == ["does_not_hold", "s66_recipient"]
}

test_fail_request_without_child if {
	patch := object.union({"from_agency": "health", "to_agency": "police"}, _asked("constable"))
	r := oranga_tamariki.considered with input as object.remove(_with(patch), {"relates_to_child"})
	r[_s66] == ["uncertain", "relates_to_child"]
}

test_success_every_provision_has_a_title if {
	r := oranga_tamariki.considered with input as _base
	object.keys(r) == object.keys(data.privacy.oranga_tamariki.titles)
}
