package sharing.decision_test

import data.sharing.decision

_flows := {
	"F05": {
		"from_agency": "msd", "to_agency": "police", "categories": ["identity", "contact", "income_benefit"],
		"purposes": ["coordination_of_support"], "legal_basis": [], "signed_off": true,
	},
	"F02": {
		"from_agency": "health", "to_agency": "police", "categories": ["identity", "mental_health", "risk_assessment"],
		"purposes": ["prevent_serious_threat"], "legal_basis": [], "signed_off": true,
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
}

_imminent := {"to": "another_person", "likelihood": "high", "severity": "grave", "imminence": "imminent",
	"recipient_can_act": true}

_threat := {
	"id": "t2",
	"from_agency": "health",
	"to_agency": "police",
	"subject": {"age": 34, "macip_participant": false, "consent": "not_sought"},
	"categories": ["identity", "mental_health"],
	"purpose": "prevent_serious_threat",
	"risk_level": "imminent",
	"threat": _imminent,
	"claimed_basis": ["HIPC r11(2)(d)", "IPP 11(1)(c)"],
}

_with(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

_decide(i) := r if {
	r := decision.result with input as i with data.pia.approved_flows as _flows
}

test_fail_empty_input if {
	r := _decide({})
	r.outcome == "deny"
	r.row == "incomplete"
	r.conditions == []
	r.pia_flow == null
	r.refer == set()
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
}

test_success_allow_without_conditions if {
	r := _decide(_allow)
	r == {
		"outcome": "allow",
		"row": "permitted_covered",
		"legal": {
			"verdict": "permitted", "basis": ["Privacy Act 2020 s22 IPP 11(1)(c)"],
			"missing": [], "duties": [], "not_assessed": [],
		},
		"programme": {"covered": true, "flow": "F05", "route": "msd -> police", "lines_crossed": false},
		"urgent": false,
		"legal_basis": ["Privacy Act 2020 s22 IPP 11(1)(c)"],
		"conditions": [],
		"deny": set(),
		"refer": set(),
		"claims": {},
		"pia_flow": "F05",
	}
}

test_success_urgent_threat_with_conditions_and_claims if {
	r := _decide(_threat)
	r.outcome == "allow_with_conditions"
	r.row == "permitted_urgent"
	r.urgent == true
	r.legal_basis == ["Health Information Privacy Code 2020 r11(2)(d)(ii)", "Privacy Act 2020 s22 IPP 11(1)(f)(ii)"]
	r.conditions == ["minimum_necessary_hipc", "notify_privacy_officer_urgent", "record_grounds"]
	r.claims == {
		"Health Information Privacy Code 2020 r11(2)(d)": "holds",
		"Privacy Act 2020 s22 IPP 11(1)(c)": "considered",
	}
}

test_success_urgent_outside_the_flows if {
	r := _decide(_with(_threat, {"from_agency": "msd", "categories": ["identity", "contact"]}))
	r.outcome == "allow_with_conditions"
	r.programme.covered == false
	r.conditions == ["minimum_necessary", "notify_privacy_officer_urgent", "record_grounds", "review_pia_flows"]
}

test_fail_no_exception if {
	r := _decide(_with(_allow, {"subject": {"age": 30, "macip_participant": true, "consent": "not_sought"}}))
	r.outcome == "deny"
	r.deny == {{
		"id": "privacy.ipp11.no_exception",
		"msg": concat(" ", [
			"Privacy Act 2020 s22 IPP 11(1): no exception holds for contact, identity, income_benefit,",
			"and no enactment authorises the disclosure",
		]),
		"details": {"categories": ["contact", "identity", "income_benefit"]},
	}}
}

test_fail_no_hipc_limb if {
	r := _decide(object.remove(_threat, {"threat", "claimed_basis"}))
	{v.id | some v in r.deny} == {"privacy.hipc.no_limb", "privacy.ipp11.no_exception"}
}

test_fail_uncertain_is_referred if {
	r := _decide(_with(_threat, {"threat": object.remove(_imminent, {"recipient_can_act"})}))
	r.outcome == "refer"
	r.refer == {{
		"id": "privacy.legal.uncertain",
		"msg": concat(" ", [
			"Privacy Act 2020 s22 IPP 11(1): the law cannot be applied until these facts are supplied:",
			"threat.recipient_can_act",
		]),
		"details": {"missing": ["threat.recipient_can_act"]},
	}}
}

test_fail_unassessed_claim_is_referred if {
	r := _decide(_with(_allow, {"claimed_basis": ["Crimes Act 1961 s1"]}))
	r.outcome == "refer"
	r.row == "claim_not_assessed"
	r.refer == {{
		"id": "privacy.legal.claim_not_assessed",
		"msg": concat(" ", [
			"Crimes Act 1961 s1 is relied on but is not a provision these policies assess;",
			"the privacy officer decides",
		]),
		"details": {"claimed": "Crimes Act 1961 s1"},
	}}
}

test_fail_not_covered_is_referred if {
	r := decision.result with input as _allow with data.pia.approved_flows as {}
	r.outcome == "refer"
	{v.id | some v in r.refer} == {"sharing.programme.not_covered", "sharing.flows.not_covered"}
	some v in r.refer
	v.id == "sharing.programme.not_covered"
	v.msg == concat(" ", [
		"Lawful under Privacy Act 2020 s22 IPP 11(1)(c); outside the approved flows:",
		"the privacy officer decides and the PIA is updated",
	])
}

test_fail_line_crossed_denies if {
	r := _decide(_with(_allow, {"to_agency": "community:mentoring-service", "categories": ["identity",
		"intelligence"]}))
	r.outcome == "deny"
	r.row == "permitted_line_crossed"
	{v.id | some v in r.deny} == {"sharing.proportionality.intelligence_to_community"}
}

test_success_required_duty if {
	i := _with(_allow, {
		"from_agency": "community:mentoring-service",
		"subject": {"age": 40, "macip_participant": false, "consent": "not_sought"},
		"categories": ["identity"],
		"statutory_request": {"provision": "Oranga Tamariki Act 1989 s66(1)", "by": "constable"},
		"relates_to_child": {"age": 8},
	})
	r := _decide(i)
	r.outcome == "allow_with_conditions"
	r.row == "required"
	r.legal.duties == ["Oranga Tamariki Act 1989 s66(1)"]
	r.conditions == ["minimum_necessary", "no_offence_investigation", "record_grounds", "supply_and_record"]
}

test_fail_unknown_agency if {
	r := _decide(_with(_allow, {"to_agency": "corrections"}))
	r.outcome == "deny"
	r.deny == {{
		"id": "sharing.decision.unknown_agency",
		"msg": "corrections is not a MACIP member agency or a community provider (community:<slug>)",
		"details": {"field": "to_agency", "agency": "corrections"},
	}}
}

test_fail_unknown_sender_and_recipient if {
	r := _decide(_with(_allow, {"from_agency": "corrections", "to_agency": "ird"}))
	r.outcome == "deny"
	r.row == "incomplete"
	r.deny == {
		{
			"id": "sharing.decision.unknown_agency",
			"msg": "corrections is not a MACIP member agency or a community provider (community:<slug>)",
			"details": {"field": "from_agency", "agency": "corrections"},
		},
		{
			"id": "sharing.decision.unknown_agency",
			"msg": "ird is not a MACIP member agency or a community provider (community:<slug>)",
			"details": {"field": "to_agency", "agency": "ird"},
		},
	}
}

test_success_allow_with_conditions_when_a_condition_applies if {
	flow := {"F09": object.union(_flows.F05, {"to_agency": "community:mentoring-service", "categories": ["identity"]})}
	i := _with(_allow, {"to_agency": "community:mentoring-service", "categories": ["identity"]})
	r := decision.result with input as i with data.pia.approved_flows as flow
	r.row == "permitted_covered"
	r.outcome == "allow_with_conditions"
	r.conditions == ["no_onward_disclosure"]
	decision.outcome == "allow_with_conditions" with input as i with data.pia.approved_flows as flow
}

test_success_catalogue if {
	c := decision.catalogue
	c.titles["Privacy Act 2020 s22 IPP 11(1)(f)(ii)"] != ""
	count(c.rows) == count(data.sharing.outcome.rows)
	every row in c.rows {
		every id in object.get(row, "conditions", []) {
			c.conditions[id]
		}
	}
}

test_fail_empty_input_outcome if {
	o := decision.outcome with input as {} with data.pia.approved_flows as _flows
	o == "deny"
}

# The decision looks its row up in data.sharing.outcome.by_situation; an index that names
# a row not applying to the situation (older than the table) is not trusted: the table is
# scanned and the same decision results.
test_success_stale_index_scans_the_table if {
	stale := {k: 0 | some k, _ in data.sharing.outcome.by_situation}
	r := decision.result with input as _allow with data.pia.approved_flows as _flows
		with data.sharing.outcome.by_situation as stale
	r.row == "permitted_covered"
	r == _decide(_allow)
}

# An intelligence and security agency on either side of the disclosure brings the privacy
# officers in; neither side, no such condition.
test_success_intelligence_agency_on_either_side_notifies_the_privacy_officer if {
	i := _with(_allow, {"categories": ["identity"]})
	_decide(_with(i, {"to_agency": "nzsis"})).conditions == ["notify_privacy_officer"]
	_decide(_with(i, {"from_agency": "nzsis"})).conditions == ["notify_privacy_officer"]
	_decide(i).conditions == []
}
