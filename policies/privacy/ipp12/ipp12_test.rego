package privacy.ipp12_test

import data.privacy.ipp12

_base := {
	"id": "t",
	"from_agency": "police",
	"to_agency": "community:mentoring-service",
	"subject": {"age": 30, "macip_participant": false, "consent": "given"},
	"categories": ["identity", "contact"],
	"purpose": "coordination_of_support",
	"risk_level": "low",
	"overseas": true,
}

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

test_fail_empty_input if {
	r := ipp12.considered with input as {}
	r == {}
	refer := ipp12.refer with input as {}
	refer == set()
}

test_success_not_engaged_at_home if {
	not ipp12.required with input as _with({"overseas": false})
}

test_success_informed_authorisation if {
	r := ipp12.holds with input as _base
	r == {"Privacy Act 2020 s22 IPP 12(1)(a)"}
}

test_fail_no_ground_refers if {
	patch := {"subject": {"age": 30, "consent": "refused"}, "purpose": "prevent_serious_threat", "risk_level": "high"}
	r := ipp12.refer with input as _with(patch)
	r == {{
		"id": "privacy.ipp12.unconfirmed",
		"msg": concat(" ", [
			"Privacy Act 2020 s22 IPP 12(1): the overseas recipient's protection of the information is not shown;",
			"the privacy officer must confirm a ground in IPP 12(1)(b)-(f) or the person's informed authorisation",
		]),
		"details": {"relies_on": ["Privacy Act 2020 s22 IPP 11(1)(f)(ii)"]},
	}}
}

test_success_imminent_threat_makes_compliance_impracticable if {
	patch := {
		"subject": {"age": 30, "consent": "refused"},
		"purpose": "prevent_serious_threat",
		"risk_level": "imminent",
	}
	r := ipp12.holds with input as _with(patch)
	r == {"Privacy Act 2020 s22 IPP 12(2)"}
}

test_success_intelligence_limb_does_not_engage_ipp12 if {
	patch := {
		"to_agency": "nzsis",
		"purpose": "risk_assessment",
		"risk_level": "medium",
		"subject": {"age": 30, "consent": "given"},
	}
	not ipp12.required with input as _with(patch)
}

test_fail_health_information_overseas_is_referred if {
	patch := {"from_agency": "health", "categories": ["identity", "mental_health"]}
	r := ipp12.refer with input as _with(patch)
	r == {{
		"id": "privacy.ipp12.health_information",
		"msg": concat(" ", [
			"Health Information Privacy Code 2020 r12: cross-border disclosure of health information",
			"is not assessed by these policies; the privacy officer must apply rule 12 of the Code",
		]),
		"details": {"categories": ["mental_health"]},
	}}
}
