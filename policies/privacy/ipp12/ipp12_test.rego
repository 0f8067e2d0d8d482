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

_threat := {"to": "another_person", "likelihood": "high", "severity": "grave", "imminence": "imminent",
	"recipient_can_act": true}

test_fail_empty_input if {
	r := ipp12.considered with input as {}
	r == {}
	m := ipp12.missing with input as {}
	m == set()
}

test_success_not_engaged_at_home if {
	not ipp12.required with input as _with({"overseas": false})
}

test_success_informed_authorisation if {
	r := ipp12.holds with input as _base
	r == {"Privacy Act 2020 s22 IPP 12(1)(a)"}
}

test_success_safeguard_stated if {
	patch := {
		"subject": {"age": 30, "consent": "not_sought"}, "overseas_safeguard": "agreement",
		"collection": {"obtained_for": ["x"], "disclosure": "one_of_the_purposes"},
	}
	r := ipp12.holds with input as _with(patch)
	r == {"Privacy Act 2020 s22 IPP 12(1)(f)"}
}

test_fail_no_ground_is_a_missing_fact if {
	patch := {"subject": {"age": 30, "consent": "refused"}, "threat": object.union(_threat, {"imminence": "days"})}
	r := ipp12.holds with input as _with(patch)
	r == set()
	m := ipp12.missing with input as _with(patch)
	m == {"overseas_safeguard"}
}

test_success_imminent_threat_makes_compliance_impracticable if {
	r := ipp12.holds with input as _with({"subject": {"age": 30, "consent": "refused"}, "threat": _threat})
	r == {"Privacy Act 2020 s22 IPP 12(2)"}
}

test_success_intelligence_limb_does_not_engage_ipp12 if {
	patch := {"to_agency": "nzsis", "intelligence_function": {"function": "x", "necessary": true},
		"subject": {"age": 30, "consent": "not_sought"}}
	not ipp12.required with input as _with(patch)
}

test_fail_health_information_overseas_is_not_assessed if {
	m := ipp12.missing with input as _with({"from_agency": "health", "categories": ["identity", "mental_health"]})
	m == {"overseas_safeguard (Health Information Privacy Code 2020 r12)"}
}
