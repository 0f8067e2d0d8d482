package privacy.legal_test

import data.privacy.legal

_base := {
	"id": "t",
	"from_agency": "health",
	"to_agency": "police",
	"subject": {"age": 30, "macip_participant": false, "consent": "not_sought"},
	"categories": ["identity", "mental_health"],
	"purpose": "prevent_serious_threat",
	"risk_level": "imminent",
	"threat": {"to": "another_person", "likelihood": "high", "severity": "grave", "imminence": "imminent",
		"recipient_can_act": true},
}

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

test_fail_empty_input if {
	v := legal.verdict with input as {}
	v == "permitted"
	b := legal.basis with input as {}
	b == []
}

test_success_permitted_on_both_regimes if {
	legal.verdict == "permitted" with input as _base
	b := legal.basis with input as _base
	b == ["Health Information Privacy Code 2020 r11(2)(d)(ii)", "Privacy Act 2020 s22 IPP 11(1)(f)(ii)"]
}

test_fail_prohibited_without_a_threat if {
	legal.verdict == "prohibited" with input as object.remove(_base, {"threat"})
}

test_success_relabelling_does_not_permit if {
	patch := {"purpose": "prevent_serious_threat", "risk_level": "imminent"}
	legal.verdict == "prohibited" with input as object.remove(_with(patch), {"threat"})
}

test_fail_uncertain_names_the_missing_fact if {
	patch := {"threat": object.remove(_base.threat, {"recipient_can_act"})}
	legal.verdict == "uncertain" with input as _with(patch)
	m := legal.missing with input as _with(patch)
	m == {"threat.recipient_can_act"}
}

test_success_required_on_a_constable_request if {
	patch := {
		"threat": null,
		"statutory_request": {"provision": "Oranga Tamariki Act 1989 s66(1)", "by": "constable"},
		"relates_to_child": {"age": 5},
	}
	legal.verdict == "required" with input as _with(patch)
	d := legal.duties with input as _with(patch)
	d == {"Oranga Tamariki Act 1989 s66(1)"}
}

test_success_statute_authorises_every_category if {
	patch := {"from_agency": "police", "to_agency": "oranga_tamariki", "threat": null, "relates_to_child": {"age": 5,
		"assists": ["prevent_harm"]}}
	legal.verdict == "permitted" with input as _with(patch)
	b := legal.basis with input as _with(patch)
	b == ["Oranga Tamariki Act 1989 s66C(b)"]
}

test_success_claims if {
	patch := {"claimed_basis": ["IPP 11(1)(f)", "HIPC r11(1)(b)", "Crimes Act 1961 s1"]}
	c := legal.claims with input as _with(patch)
	c == {
		"Privacy Act 2020 s22 IPP 11(1)(f)": "holds",
		"Health Information Privacy Code 2020 r11(1)(b)": "considered",
		"Crimes Act 1961 s1": "not_assessed",
	}
	n := legal.not_assessed with input as _with(patch)
	n == ["Crimes Act 1961 s1"]
}

test_fail_invoked_provision_not_assessed if {
	patch := {"statutory_request": {"provision": "Intelligence and Security Act 2017 s121", "by": "other"}}
	n := legal.not_assessed with input as _with(patch)
	n == ["Intelligence and Security Act 2017 s121"]
}
