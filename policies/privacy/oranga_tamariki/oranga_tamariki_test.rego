package privacy.oranga_tamariki_test

import data.privacy.oranga_tamariki

_base := {
	"id": "t",
	"from_agency": "education",
	"to_agency": "oranga_tamariki",
	"subject": {"age": 15, "macip_participant": false, "consent": "not_sought"},
	"categories": ["identity", "education", "family_whanau"],
	"purpose": "child_wellbeing",
	"risk_level": "medium",
}

_s66c := "Oranga Tamariki Act 1989 s66C(b)"

_s66 := "Oranga Tamariki Act 1989 s66(1)"

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

test_fail_empty_input if {
	r := oranga_tamariki.holds with input as {}
	r == set()
}

test_success_between_child_welfare_and_protection_agencies if {
	r := oranga_tamariki.considered with input as _base
	r[_s66c] == {
		"status": "holds",
		"why": concat(" ", [
			"both agencies are child welfare and protection agencies, and disclosure will assist",
			"Oranga Tamariki - Ministry for Children with preventing or reducing the risk of a child or young person",
			"being subject to harm, ill-treatment, abuse, neglect or deprivation (s66C(a)(i))",
		]),
	}
}

test_fail_adults_are_not_covered if {
	r := oranga_tamariki.considered with input as _with({"subject": {"age": 18, "consent": "not_sought"}})
	r == {}
}

test_fail_nzsis_is_not_a_child_welfare_and_protection_agency if {
	r := oranga_tamariki.considered with input as _with({"to_agency": "nzsis", "purpose": "risk_assessment"})
	r[_s66c].status == "does_not_hold"
	r[_s66c].why == concat(" ", [
		"New Zealand Security Intelligence Service is not a child welfare and protection agency",
		"(Oranga Tamariki Act 1989 s2(1))",
	])
}

test_fail_unlisted_community_provider_is_not_one if {
	r := oranga_tamariki.holds with input as _with({"from_agency": "community:youth-sports-club"})
	r == set()
}

test_success_contracted_provider_that_provides_regulated_services if {
	r := oranga_tamariki.holds with input as _with({"to_agency": "community:whanau-support-service"})
	r == {"Oranga Tamariki Act 1989 s66C(b)"}
}

test_success_support_coordination_by_the_department if {
	patch := {"from_agency": "oranga_tamariki", "to_agency": "health", "purpose": "coordination_of_support"}
	r := oranga_tamariki.considered with input as _with(patch)
	r[_s66c] == {"status": "holds", "why": concat(" ", [
		"both agencies are child welfare and protection agencies, and disclosure will assist",
		"Ministry of Health and Health New Zealand - Te Whatu Ora with arranging, providing or reviewing",
		"services facilitated by the department, or its support plans (s66C(a)(iii) and (v))",
	])}
}

test_fail_support_coordination_is_not_a_66c_purpose if {
	patch := {"from_agency": "education", "to_agency": "health", "purpose": "coordination_of_support"}
	r := oranga_tamariki.considered with input as _with(patch)
	r[_s66c].status == "not_engaged"
	r[_s66c].why == concat(" ", [
		"coordination_of_support is not one of the s66C(a) purposes",
		"(coordinating support is one only for Oranga Tamariki's own plans and services)",
	])
}

test_success_section_66_request_from_a_constable if {
	r := oranga_tamariki.considered with input as _with({
		"from_agency": "health",
		"to_agency": "police",
		"claimed_basis": ["Oranga Tamariki Act 1989 s66"],
	})
	r[_s66].status == "holds"
	r[_s66].why == concat(" ", [
		"a constable has asked for information needed to decide whether the child or young person",
		"needs care or protection, and s66(1) requires it to be supplied",
	])
}

test_fail_section_66_not_engaged_unless_claimed if {
	r := oranga_tamariki.considered with input as _base
	r[_s66].status == "not_engaged"
}

test_fail_section_66_only_for_oranga_tamariki_or_police if {
	r := oranga_tamariki.considered with input as _with({
		"to_agency": "education",
		"from_agency": "health",
		"claimed_basis": ["OTA s66(1)"],
	})
	r[_s66].status == "does_not_hold"
	r[_s66].why == concat(" ", [
		"Ministry of Education cannot require information under s66",
		"(only the chief executive, a care and protection co-ordinator or a constable can)",
	])
}

test_success_every_provision_has_a_title if {
	r := oranga_tamariki.considered with input as _base
	object.keys(r) == object.keys(data.privacy.oranga_tamariki.titles)
}
