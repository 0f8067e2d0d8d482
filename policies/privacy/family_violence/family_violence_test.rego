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
	"claimed_basis": ["Family Violence Act 2018 s20"],
}

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

test_fail_empty_input if {
	r := family_violence.holds with input as {}
	r == set()
}

test_success_between_family_violence_agencies if {
	r := family_violence.considered with input as _base
	r == {"Family Violence Act 2018 s20": {
		"status": "holds",
		"why": concat(" ", [
			"both are family violence agencies, and disclosure will or may help",
			"make or contribute to a family violence risk or needs assessment",
		]),
	}}
}

test_fail_not_engaged_unless_claimed if {
	r := family_violence.considered with input as _with({"claimed_basis": []})
	r == {}
}

test_fail_nzsis_is_not_a_family_violence_agency if {
	r := family_violence.considered with input as _with({"to_agency": "nzsis"})
	r["Family Violence Act 2018 s20"].status == "does_not_hold"
	r["Family Violence Act 2018 s20"].why == "New Zealand Security Intelligence Service is not a family violence agency"
}

test_fail_mentoring_service_is_not_a_family_violence_agency if {
	r := family_violence.holds with input as _with({"to_agency": "community:mentoring-service"})
	r == set()
}

test_fail_law_enforcement_is_not_a_s20_purpose if {
	patch := {"to_agency": "police", "from_agency": "msd", "purpose": "maintenance_of_law"}
	r := family_violence.considered with input as _with(patch)
	r["Family Violence Act 2018 s20"].status == "does_not_hold"
	r["Family Violence Act 2018 s20"].why == "maintenance_of_law is not one of the s20 purposes"
}

test_success_every_provision_has_a_title if {
	r := family_violence.considered with input as _base
	object.keys(r) == object.keys(data.privacy.family_violence.titles)
}
