package sharing.decision_test

import data.sharing.decision

_flows := {
	"F05": {
		"from_agency": "msd",
		"to_agency": "police",
		"categories": ["identity", "contact", "income_benefit"],
		"purposes": ["coordination_of_support"],
		"legal_basis": ["Privacy Act 2020 s22 IPP 11(1)(c)"],
		"signed_off": true,
	},
	"F02": {
		"from_agency": "health",
		"to_agency": "police",
		"categories": ["identity", "mental_health", "risk_assessment"],
		"purposes": ["prevent_serious_threat"],
		"legal_basis": ["Health Information Privacy Code 2020 r11(2)(d)"],
		"signed_off": true,
	},
	"F13": {
		"from_agency": "education",
		"to_agency": "oranga_tamariki",
		"categories": ["identity", "education", "family_whanau"],
		"purposes": ["child_wellbeing"],
		"legal_basis": ["Oranga Tamariki Act 1989 s66C"],
		"signed_off": true,
	},
}

_allow := {
	"id": "t1",
	"from_agency": "msd",
	"to_agency": "police",
	"subject": {"age": 30, "macip_participant": true, "consent": "given"},
	"categories": ["identity", "contact", "income_benefit"],
	"purpose": "coordination_of_support",
	"risk_level": "low",
	"overseas": false,
	"claimed_basis": [],
}

_threat := {
	"id": "t2",
	"from_agency": "health",
	"to_agency": "police",
	"subject": {"age": 34, "macip_participant": true, "consent": "not_sought"},
	"categories": ["identity", "mental_health"],
	"purpose": "prevent_serious_threat",
	"risk_level": "imminent",
	"overseas": false,
	"claimed_basis": ["HIPC r11(2)(d)", "IPP 11(1)(c)", "Crimes Act 1961 s1"],
}

_with(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

test_fail_empty_input if {
	r := decision.result with input as {} with data.pia.approved_flows as _flows
	r.outcome == "deny"
	r.legal_basis == []
	r.conditions == []
	r.pia_flow == null
	r.lawful == true
	r.deny == {{
		"id": "sharing.decision.incomplete",
		"msg": concat(" ", [
			"The request is incomplete: categories, from_agency, purpose, risk_level, subject.age,",
			"subject.consent, to_agency missing or invalid",
		]),
		"details": {"missing": [
			"categories", "from_agency", "purpose", "risk_level",
			"subject.age", "subject.consent", "to_agency",
		]},
	}}
	r.refer == {{
		"id": "sharing.matrix.no_route",
		"msg": concat(" ", [
			"MACIP information-sharing matrix (operating protocol):",
			"no route from an unknown agency to an unknown agency",
		]),
		"details": {"from": "an unknown agency", "to": "an unknown agency"},
	}}
}

test_success_allow_without_conditions if {
	r := decision.result with input as _allow with data.pia.approved_flows as _flows
	r.outcome == "allow"
	r.legal_basis == ["Privacy Act 2020 s22 IPP 11(1)(a)", "Privacy Act 2020 s22 IPP 11(1)(c)"]
	r.conditions == []
	r.deny == set()
	r.refer == set()
	r.claims == {}
	r.lawful == true
	r.pia_flow == "F05"
	r.regimes[0].considered["Privacy Act 2020 s22 IPP 11(1)(c)"] == {
		"status": "holds",
		"why": "the person authorised the disclosure",
	}
}

test_success_serious_threat_with_conditions_and_claims if {
	r := decision.result with input as _threat with data.pia.approved_flows as _flows
	r.outcome == "allow_with_conditions"
	r.legal_basis == ["Health Information Privacy Code 2020 r11(2)(d)", "Privacy Act 2020 s22 IPP 11(1)(f)(ii)"]
	r.conditions == ["minimum_necessary_hipc", "record_grounds"]
	r.pia_flow == "F02"
	r.deny == set()
	r.refer == set()
	r.claims == {
		"Crimes Act 1961 s1": {"status": "unknown"},
		"Health Information Privacy Code 2020 r11(2)(d)": {"status": "holds"},
		"Privacy Act 2020 s22 IPP 11(1)(c)": {
			"status": "does_not_hold",
			"why": "the person's authorisation was not sought",
		},
	}
}

test_success_claim_under_a_regime_that_does_not_apply if {
	request := object.union(_allow, {"claimed_basis": ["OTA s66C"]})
	r := decision.claims with input as request with data.pia.approved_flows as _flows
	r == {"Oranga Tamariki Act 1989 s66C": {
		"status": "does_not_apply",
		"regime": "Oranga Tamariki Act 1989",
		"why": concat(" ", [
			"the person is not shown to be under 18, and the Act's sharing provisions cover only",
			"children and young people",
		]),
	}}
}

test_success_regimes_say_what_governs if {
	r := decision.regimes with input as _threat with data.pia.approved_flows as _flows
	[[g.regime, g.applies, g.why] | some g in r] == [
		["Privacy Act 2020 s22 IPP 11", true, "governs identity"],
		[
			"Health Information Privacy Code 2020 r11",
			true,
			"governs health information held by a health agency: mental_health",
		],
		[
			"Oranga Tamariki Act 1989",
			false,
			concat(" ", [
				"the person is not shown to be under 18, and the Act's sharing provisions cover only",
				"children and young people",
			]),
		],
		[
			"Family Violence Act 2018",
			false,
			concat(" ", [
				"s20 applies only to information relating to family violence, and it is not claimed",
				"(claim Family Violence Act 2018 s20 when it does)",
			]),
		],
		["Privacy Act 2020 s22 IPP 12", false, "the disclosure is within New Zealand"],
	]
	count(r[0].considered) == 9
	count(r[1].considered) == 8
	r[2].considered == {}
}

test_fail_no_lawful_basis if {
	patch := {"subject": {"age": 30, "macip_participant": true, "consent": "refused"}}
	r := decision.result with input as _with(_allow, patch) with data.pia.approved_flows as _flows
	r.outcome == "deny"
	r.legal_basis == []
	r.conditions == []
	r.lawful == false
	r.deny == {{
		"id": "privacy.ipp11.no_exception",
		"msg": concat(" ", [
			"Privacy Act 2020 s22 IPP 11(1): no exception holds for contact, identity, income_benefit,",
			"and no enactment authorises the disclosure",
		]),
		"details": {"categories": ["contact", "identity", "income_benefit"]},
	}}
}

test_fail_no_limb_under_the_code if {
	patch := {
		"from_agency": "health",
		"to_agency": "msd",
		"categories": ["health"],
		"subject": {"age": 30, "macip_participant": false, "consent": "not_sought"},
	}
	r := decision.deny with input as _with(_allow, patch) with data.pia.approved_flows as _flows
	r == {{
		"id": "privacy.hipc.no_limb",
		"msg": concat(" ", [
			"Health Information Privacy Code 2020 r11: no limb holds for health,",
			"and no enactment authorises the disclosure",
		]),
		"details": {"categories": ["health"]},
	}}
}

test_fail_lawful_but_no_approved_flow_is_referred if {
	r := decision.result with input as _allow with data.pia.approved_flows as {}
	r.outcome == "refer"
	r.pia_flow == null
	r.legal_basis == ["Privacy Act 2020 s22 IPP 11(1)(a)", "Privacy Act 2020 s22 IPP 11(1)(c)"]
	[v.id | some v in r.refer] == ["sharing.flows.not_covered"]
}

test_fail_denied_requests_are_not_also_referred_for_the_pia if {
	r := decision.refer with input as _with(_allow, {"subject": {"age": 30, "consent": "refused"}})
		with data.pia.approved_flows as {}
	r == set()
}

test_success_statutory_route_with_child_consultation if {
	request := {
		"id": "t3",
		"from_agency": "education",
		"to_agency": "oranga_tamariki",
		"subject": {"age": 13, "macip_participant": false, "consent": "not_sought"},
		"categories": ["identity", "education", "family_whanau"],
		"purpose": "child_wellbeing",
		"risk_level": "medium",
	}
	r := decision.result with input as request with data.pia.approved_flows as _flows
	r.outcome == "allow_with_conditions"
	r.legal_basis == ["Oranga Tamariki Act 1989 s66C(b)"]
	r.conditions == ["consult_child", "minimum_necessary", "record_grounds"]
	r.pia_flow == "F13"
}

test_success_deny_outranks_refer if {
	patch := {"to_agency": "community:mentoring-service", "categories": ["identity", "intelligence"]}
	o := decision.outcome with input as _with(_allow, patch) with data.pia.approved_flows as _flows
	o == "deny"
}

test_fail_unknown_agency if {
	request := _with(_allow, {"from_agency": "corrections"})
	r := decision.deny with input as request with data.pia.approved_flows as _flows
	r == {{
		"id": "sharing.decision.unknown_agency",
		"msg": "corrections is not a MACIP member agency or a community provider (community:<slug>)",
		"details": {"field": "from_agency", "agency": "corrections"},
	}}
}

test_success_conditions_for_community_and_nzsis if {
	community := decision.conditions with input as _with(_allow, {"to_agency": "community:mentoring-service"})
		with data.pia.approved_flows as _flows
	community == {"no_onward_disclosure"}
	nzsis := decision.conditions with input as _with(_allow, {
		"from_agency": "police",
		"to_agency": "nzsis",
		"purpose": "risk_assessment",
		"risk_level": "high",
		"categories": ["identity"],
		"subject": {"age": 30, "consent": "not_sought"},
	})
		with data.pia.approved_flows as _flows
	nzsis == {"minimum_necessary", "notify_privacy_officer", "record_grounds"}
}

test_success_catalogue_titles_every_provision if {
	count(decision.catalogue.titles) == 23
	every title in decision.catalogue.titles {
		count(title) > 0
	}
	every c in decision.catalogue.conditions {
		count(c.text) > 0
		count(c.authority) > 0
	}
}
