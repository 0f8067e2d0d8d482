package pia.validate_test

import data.pia.validate

_agencies := [
	{"id": "police", "name": "Police", "role": "lead"},
	{"id": "health", "name": "Health", "role": "health", "health_agency": true},
	{"id": "nzsis", "name": "NZSIS", "role": "intelligence"},
	{"id": "community:mentoring", "name": "Mentors", "role": "mentoring"},
]

_flow := {
	"id": "F01",
	"from_agency": "police",
	"to_agency": "health",
	"categories": ["identity", "mental_health"],
	"purposes": ["referral_assessment"],
	"legal_basis": ["Privacy Act 2020 s22 IPP 11(1)(e)(i)"],
	"overseas": null,
}

_risk := {
	"id": "R01",
	"likelihood": 3,
	"consequence": 4,
	"residual_likelihood": 2,
	"residual_consequence": 3,
	"mitigations": [{"id": "M01", "owner": "Programme Manager", "due": "2027-01-31", "status": "planned"}],
}

_pia := {
	"project": {"agencies": _agencies},
	"flows": [_flow],
	"ipp_analysis": [
		{"ipp": sprintf("IPP%d", [i]), "status": "compliant", "risks": []} |
			some i in numbers.range(1, 13)
	],
	"risks": [_risk],
	"recommendations": [{"id": "REC01", "risks": ["R01"]}],
	"actions": [{"id": "A01", "due": "2027-03-31", "status": null, "recommendation": "REC01"}],
	"review": {"next_review": "2027-06-30"},
	"signoffs": [{
		"by": "Chair", "role": "Governance Group",
		"at": "2026-11-01T09:00:00Z", "content_hash": "sha256:aa",
	}],
}

_input := {"pia": _pia, "today": "2026-11-25", "content_hash": "sha256:aa"}

_with(ops) := json.patch(_input, ops)

test_success_valid_pia if {
	d := validate.decision with input as _input
	d.deny == set()
	d.warn == set()
	d.signoff == "current"
	d.ratings == {"R01": {"inherent": "extreme", "residual": "high"}}
}

test_fail_empty_input if {
	r := validate.deny with input as {}
	missing := {{
		"id": "pia.input.incomplete",
		"msg": sprintf("the input has no %v, so the PIA cannot be checked", [k]),
		"details": {"field": k},
	} | some k in ["pia", "today", "content_hash"]}
	unanalysed := {{
		"id": "pia.ipps.not_analysed",
		"msg": sprintf("%v (%v) is not analysed", [ipp, p.title]),
		"details": {"ipp": ipp},
	} | some ipp, p in data.pia.validate.ipps}
	r == missing | unanalysed
	count(r) == 16
}

test_fail_principle_not_analysed if {
	r := validate.deny with input as _with([{"op": "remove", "path": "/pia/ipp_analysis/11"}])
	r == {{
		"id": "pia.ipps.not_analysed",
		"msg": "IPP12 (Disclosure of personal information outside New Zealand) is not analysed",
		"details": {"ipp": "IPP12"},
	}}
}

test_fail_flow_without_legal_basis if {
	r := validate.deny with input as _with([{"op": "replace", "path": "/pia/flows/0/legal_basis", "value": []}])
	r == {{"id": "pia.flows.no_legal_basis", "msg": "flow F01 cites no legal basis", "details": {"flow": "F01"}}}
}

test_fail_unknown_legal_basis if {
	r := validate.deny with input as _with([{
		"op": "replace", "path": "/pia/flows/0/legal_basis",
		"value": ["Privacy Act 1993 s6 IPP 11(e)"],
	}])
	r == {{
		"id": "pia.flows.unknown_legal_basis",
		"msg": "flow F01 cites \"Privacy Act 1993 s6 IPP 11(e)\", which is not a recognised legal basis",
		"details": {"flow": "F01", "citation": "Privacy Act 1993 s6 IPP 11(e)"},
	}}
}

test_success_privacy_policy_tables_decide_what_is_recognised if {
	r := validate.deny with input as _with([{"op": "replace", "path": "/pia/flows/0/legal_basis", "value": ["X s1"]}])
		with data.privacy as {"ipp11": {"titles": {"X s1": "A mocked exception"}}}
	r == set()
}

test_fail_own_table_does_not_count_when_privacy_tables_are_loaded if {
	r := validate.deny with input as _input
		with data.privacy as {"ipp11": {"titles": {"Privacy Act 2020 s22 IPP 11(1)(c)": "Authorised"}}}
	r == {{
		"id": "pia.flows.unknown_legal_basis",
		"msg": "flow F01 cites \"Privacy Act 2020 s22 IPP 11(1)(e)(i)\", which is not a recognised legal basis",
		"details": {"flow": "F01", "citation": "Privacy Act 2020 s22 IPP 11(1)(e)(i)"},
	}}
}

test_success_own_table_without_privacy_policies if {
	r := validate.deny with input as _with([{"op": "replace", "path": "/pia/flows/0/legal_basis", "value": ["X s1"]}])
		with data.pia.validate.privacy_tables as {}
		with data.pia.validate.legal_bases as {"X s1": {"kind": "statute"}}
	r == set()
}

test_success_hipc_kind_comes_from_the_privacy_hipc_table if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/flows/0/from_agency", "value": "health"},
		{"op": "replace", "path": "/pia/flows/0/to_agency", "value": "police"},
		{"op": "replace", "path": "/pia/flows/0/legal_basis", "value": ["Code rule X"]},
	])
		with data.privacy as {"hipc": {"titles": {"Code rule X": "A mocked rule 11 limb"}}}
	r == set()
}

test_success_every_own_citation_used_by_the_project_is_in_the_privacy_tables if {
	# The citations this package attaches party requirements to are the privacy
	# policies' own forms (e.g. s66C(b)), so the requirements apply to real flows.
	cited := ["Oranga Tamariki Act 1989 s66C(b)", "Privacy Act 2020 s22 IPP 11(1)(g)", "Family Violence Act 2018 s20"]
	every c in cited {
		data.pia.validate.legal_bases[c]
		some regime, _ in data.pia.validate.privacy_tables
		data.privacy[regime].titles[c]
	}
}

test_fail_hipc_cited_by_a_non_health_agency if {
	r := validate.deny with input as _with([{
		"op": "replace", "path": "/pia/flows/0/legal_basis",
		"value": ["Health Information Privacy Code 2020 r11(2)(d)"],
	}])
	r == {{
		"id": "pia.flows.legal_basis_not_available",
		"msg": concat("", [
			"flow F01 cites \"Health Information Privacy Code 2020 r11(2)(d)\", ",
			"but the discloser (police) is not a health agency",
		]),
		"details": {
			"flow": "F01", "citation": "Health Information Privacy Code 2020 r11(2)(d)",
			"party": "discloser", "agency": "police", "requires": "health_agency",
		},
	}}
}

test_fail_ipp11g_to_a_non_intelligence_agency if {
	r := validate.deny with input as _with([{
		"op": "replace", "path": "/pia/flows/0/legal_basis",
		"value": ["Privacy Act 2020 s22 IPP 11(1)(g)"],
	}])
	r == {{
		"id": "pia.flows.legal_basis_not_available",
		"msg": concat("", [
			"flow F01 cites \"Privacy Act 2020 s22 IPP 11(1)(g)\", ",
			"but the recipient (health) is not an intelligence and security agency",
		]),
		"details": {
			"flow": "F01", "citation": "Privacy Act 2020 s22 IPP 11(1)(g)",
			"party": "recipient", "agency": "health", "requires": "intelligence_agency",
		},
	}}
}

test_success_ipp11g_to_nzsis if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/flows/0/to_agency", "value": "nzsis"},
		{"op": "replace", "path": "/pia/flows/0/legal_basis", "value": ["Privacy Act 2020 s22 IPP 11(1)(g)"]},
	])
	r == set()
}

test_success_community_provider_attribute_from_the_pia if {
	r := validate.deny with input as _with([
		{"op": "add", "path": "/pia/project/agencies/3/child_welfare_agency", "value": true},
		{"op": "replace", "path": "/pia/flows/0/to_agency", "value": "community:mentoring"},
		{"op": "replace", "path": "/pia/flows/0/legal_basis", "value": ["Oranga Tamariki Act 1989 s66C(b)"]},
	])
	r == set()
}

test_fail_community_provider_without_the_attribute if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/flows/0/to_agency", "value": "community:mentoring"},
		{"op": "replace", "path": "/pia/flows/0/legal_basis", "value": ["Oranga Tamariki Act 1989 s66C(b)"]},
	])
	r == {{
		"id": "pia.flows.legal_basis_not_available",
		"msg": concat("", [
			"flow F01 cites \"Oranga Tamariki Act 1989 s66C(b)\", ",
			"but the recipient (community:mentoring) is not a child welfare and protection agency",
		]),
		"details": {
			"flow": "F01", "citation": "Oranga Tamariki Act 1989 s66C(b)",
			"party": "recipient", "agency": "community:mentoring", "requires": "child_welfare_agency",
		},
	}}
}

test_fail_member_agency_attribute_cannot_be_claimed_in_the_pia if {
	r := validate.deny with input as _with([
		{"op": "add", "path": "/pia/project/agencies/2/child_welfare_agency", "value": true},
		{"op": "replace", "path": "/pia/flows/0/to_agency", "value": "nzsis"},
		{"op": "replace", "path": "/pia/flows/0/legal_basis", "value": ["Oranga Tamariki Act 1989 s66C(b)"]},
	])
	count(r) == 1
	some v in r
	v.id == "pia.flows.legal_basis_not_available"
	v.details.agency == "nzsis"
}

test_fail_flow_agency_not_in_project if {
	r := validate.deny with input as _with([{"op": "replace", "path": "/pia/flows/0/to_agency", "value": "msd"}])
	r == {{
		"id": "pia.flows.unknown_agency",
		"msg": "flow F01 names msd, which is not among the project's agencies",
		"details": {"flow": "F01", "agency": "msd"},
	}}
}

test_fail_health_information_without_hipc if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/flows/0/from_agency", "value": "health"},
		{"op": "replace", "path": "/pia/flows/0/to_agency", "value": "police"},
		{"op": "replace", "path": "/pia/flows/0/categories", "value": ["alcohol_drug", "identity", "mental_health"]},
	])
	r == {{
		"id": "pia.flows.health_without_hipc",
		"msg": concat("", [
			"flow F01: a health agency discloses alcohol_drug, mental_health information ",
			"but no HIPC rule 11 limb is cited",
		]),
		"details": {"flow": "F01", "categories": ["alcohol_drug", "mental_health"]},
	}}
}

test_success_health_information_with_hipc if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/flows/0/from_agency", "value": "health"},
		{"op": "replace", "path": "/pia/flows/0/to_agency", "value": "police"},
		{
			"op": "replace", "path": "/pia/flows/0/legal_basis",
			"value": ["Health Information Privacy Code 2020 r11(2)(d)"],
		},
	])
	r == set()
}

test_success_non_health_agency_needs_no_hipc if {
	# Police holding a mental health concern is bound by IPP 11, not the Code.
	r := validate.deny with input as _input
	r == set()
}

test_fail_overseas_without_ipp12 if {
	r := validate.deny with input as _with([{
		"op": "replace", "path": "/pia/flows/0/overseas",
		"value": {"country": "Australia", "recipient": "Partner", "storage_only": false, "ipp12_basis": null},
	}])
	r == {{
		"id": "pia.flows.overseas_without_ipp12",
		"msg": "flow F01 goes to Australia but states no IPP 12(1) basis",
		"details": {"flow": "F01", "country": "Australia"},
	}}
}

test_fail_overseas_with_a_non_ipp12_basis if {
	r := validate.deny with input as _with([{
		"op": "replace", "path": "/pia/flows/0/overseas",
		"value": {"country": "Australia", "recipient": "P", "ipp12_basis": "Privacy Act 2020 s22 IPP 11(1)(c)"},
	}])
	count(r) == 1
	some v in r
	v.id == "pia.flows.overseas_without_ipp12"
}

test_success_overseas_with_ipp12 if {
	r := validate.deny with input as _with([{
		"op": "replace", "path": "/pia/flows/0/overseas",
		"value": {"country": "Australia", "recipient": "P", "ipp12_basis": "Privacy Act 2020 s22 IPP 12(1)(c)"},
	}])
	r == set()
}

test_success_overseas_storage_only if {
	r := validate.deny with input as _with([{
		"op": "replace", "path": "/pia/flows/0/overseas",
		"value": {"country": "Australia", "recipient": "Host", "storage_only": true, "ipp12_basis": null},
	}])
	r == set()
}

test_fail_ipp12_marked_not_applicable_with_overseas_flow if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/flows/0/overseas", "value": {"country": "Australia", "storage_only": true}},
		{"op": "replace", "path": "/pia/ipp_analysis/11/status", "value": "not_applicable"},
	])
	r == {{
		"id": "pia.ipps.ipp12_not_addressed",
		"msg": "IPP12 is marked not applicable, but flows F01 leave New Zealand",
		"details": {"flows": ["F01"]},
	}}
}

test_fail_high_risk_without_mitigation if {
	r := validate.deny with input as _with([{"op": "replace", "path": "/pia/risks/0/mitigations", "value": []}])
	r == {{
		"id": "pia.risks.unmitigated_high",
		"msg": "risk R01 is rated extreme but has no mitigation with an owner and a due date",
		"details": {"risk": "R01", "rating": "extreme"},
	}}
}

test_fail_high_risk_mitigation_without_owner if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/risks/0/mitigations/0/owner", "value": null},
	])
	r == {{
		"id": "pia.risks.unmitigated_high",
		"msg": "risk R01 is rated extreme but has no mitigation with an owner and a due date",
		"details": {"risk": "R01", "rating": "extreme"},
	}}
}

test_fail_high_risk_mitigation_without_due_date if {
	r := validate.deny with input as _with([{"op": "remove", "path": "/pia/risks/0/mitigations/0/due"}])
	count(r) == 1
	some v in r
	v.id == "pia.risks.unmitigated_high"
}

test_success_deprecated_risk_needs_no_mitigation if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/risks/0/mitigations", "value": []},
		{"op": "add", "path": "/pia/risks/0/version_deprecated", "value": 3},
	])
	r == set()
}

test_success_medium_risk_needs_no_mitigation if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/risks/0/likelihood", "value": 2},
		{"op": "replace", "path": "/pia/risks/0/consequence", "value": 2},
		{"op": "replace", "path": "/pia/risks/0/residual_likelihood", "value": 1},
		{"op": "replace", "path": "/pia/risks/0/mitigations", "value": []},
	])
	r == set()
}

test_fail_residual_above_inherent if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/risks/0/likelihood", "value": 1},
		{"op": "replace", "path": "/pia/risks/0/consequence", "value": 2},
	])
	r == {{
		"id": "pia.risks.residual_exceeds_inherent",
		"msg": "risk R01: residual rating high is above its inherent rating low",
		"details": {"risk": "R01", "inherent": "low", "residual": "high"},
	}}
}

test_fail_risk_scale_out_of_range if {
	r := validate.deny with input as _with([{"op": "replace", "path": "/pia/risks/0/residual_consequence", "value": 5}])
	r == {{
		"id": "pia.risks.unrated",
		"msg": "risk R01 has a likelihood or consequence outside 1 to 4",
		"details": {"risk": "R01"},
	}}
}

test_fail_dangling_references if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/ipp_analysis/0/risks", "value": ["R09"]},
		{"op": "replace", "path": "/pia/recommendations/0/risks", "value": ["R08"]},
		{"op": "replace", "path": "/pia/actions/0/recommendation", "value": "REC07"},
	])
	r == {
		{
			"id": "pia.refs.unknown", "msg": "IPP1 refers to R09, which does not exist",
			"details": {"from": "IPP1", "to": "R09"},
		},
		{
			"id": "pia.refs.unknown", "msg": "REC01 refers to R08, which does not exist",
			"details": {"from": "REC01", "to": "R08"},
		},
		{
			"id": "pia.refs.unknown", "msg": "A01 refers to REC07, which does not exist",
			"details": {"from": "A01", "to": "REC07"},
		},
	}
}

test_fail_action_past_due_without_status if {
	r := validate.deny with input as _with([{"op": "replace", "path": "/pia/actions/0/due", "value": "2026-11-24"}])
	r == {{
		"id": "pia.actions.past_due_without_status",
		"msg": "action A01 was due on 2026-11-24 and has no status",
		"details": {"action": "A01", "due": "2026-11-24"},
	}}
}

test_success_action_due_today_needs_no_status_yet if {
	r := validate.deny with input as _with([{"op": "replace", "path": "/pia/actions/0/due", "value": "2026-11-25"}])
	r == set()
}

test_success_past_due_action_with_status_only_warns if {
	d := validate.decision with input as _with([
		{"op": "replace", "path": "/pia/actions/0/due", "value": "2026-10-01"},
		{"op": "replace", "path": "/pia/actions/0/status", "value": "in_progress"},
	])
	d.deny == set()
	d.warn == {{
		"id": "pia.actions.overdue",
		"msg": "action A01 was due on 2026-10-01 and is in_progress",
		"details": {"action": "A01", "due": "2026-10-01"},
	}}
}

test_fail_review_overdue if {
	r := validate.deny with input as _with([
		{"op": "replace", "path": "/pia/review/next_review", "value": "2026-11-01"},
	])
	r == {{
		"id": "pia.review.overdue",
		"msg": "the review due on 2026-11-01 has not been done",
		"details": {"next_review": "2026-11-01"},
	}}
}

test_fail_changed_since_signoff if {
	d := validate.decision with input as _with([{"op": "replace", "path": "/content_hash", "value": "sha256:bb"}])
	d.signoff == "changed_since_signoff"
	d.deny == {{
		"id": "pia.signoff.changed_since_signoff",
		"msg": "changed since sign-off by Chair (Governance Group) on 2026-11-01",
		"details": {"signed_hash": "sha256:aa", "content_hash": "sha256:bb"},
	}}
}

test_success_latest_signoff_counts if {
	later := {"by": "Deputy", "role": "Governance Group", "at": "2026-11-20T09:00:00Z", "content_hash": "sha256:bb"}
	d := validate.decision with input as _with([
		{"op": "add", "path": "/pia/signoffs/-", "value": later},
		{"op": "replace", "path": "/content_hash", "value": "sha256:bb"},
	])
	d.deny == set()
	d.signoff == "current"
}

test_fail_no_signoff_warns if {
	d := validate.decision with input as _with([{"op": "replace", "path": "/pia/signoffs", "value": []}])
	d.deny == set()
	d.signoff == "not_signed_off"
	d.warn == {{"id": "pia.signoff.none", "msg": "the PIA has not been signed off", "details": {}}}
}

test_fail_parent_citation_warns if {
	r := validate.warn with input as _with([{
		"op": "replace", "path": "/pia/flows/0/legal_basis",
		"value": ["Privacy Act 2020 s22 IPP 11(1)(f)"],
	}])
		with data.pia.validate.privacy_tables as {}
	r == {{
		"id": "pia.flows.parent_citation",
		"msg": "flow F01 cites \"Privacy Act 2020 s22 IPP 11(1)(f)\"; cite the limb relied on",
		"details": {"flow": "F01", "citation": "Privacy Act 2020 s22 IPP 11(1)(f)"},
	}}
}

test_fail_mitigation_overdue_warns if {
	r := validate.warn with input as _with([
		{"op": "replace", "path": "/pia/risks/0/mitigations/0/due", "value": "2026-01-31"},
	])
	r == {{
		"id": "pia.mitigations.overdue",
		"msg": "mitigation M01 of risk R01 was due on 2026-01-31 and is planned",
		"details": {"risk": "R01", "mitigation": "M01", "due": "2026-01-31"},
	}}
}

test_fail_residual_extreme_warns if {
	r := validate.warn with input as _with([{"op": "replace", "path": "/pia/risks/0/residual_likelihood", "value": 4}])
	r == {{
		"id": "pia.risks.residual_extreme",
		"msg": "risk R01 is still rated extreme after mitigation",
		"details": {"risk": "R01"},
	}}
}

test_success_matrix_ratings_never_fall_as_scores_rise if {
	m := data.pia.validate.rating_matrix
	rank := data.pia.validate.rating_rank
	every l in numbers.range(0, 3) {
		every c in numbers.range(0, 2) {
			rank[m[l][c + 1]] >= rank[m[l][c]]
			rank[m[c + 1][l]] >= rank[m[c][l]]
		}
	}
}

test_success_every_party_requirement_is_an_agency_attribute if {
	every citation, basis in data.pia.validate.legal_bases {
		basis.kind in {"ipp11", "ipp12", "hipc_r11", "statute"}
		every side in ["discloser", "recipient"] {
			_known_attribute(object.get(basis, side, "health_agency"), citation)
		}
	}
}

_known_attribute(attr, _) if {
	some _, agency in data.pia.validate.agencies
	is_boolean(agency[attr])
	data.pia.validate.attribute_phrases[attr]
}
