package governance.tor_test

import data.governance.tor

_agencies := {
	"police": {"name": "New Zealand Police", "lead": true},
	"msd": {"name": "Ministry of Social Development", "lead": true},
	"dpmc": {"name": "Department of the Prime Minister and Cabinet", "lead": false},
}

_members := [
	{"role": "Chair", "agency": "police", "voting": true, "deputy": "Deputy A", "privacy_officer": false},
	{"role": "Member B", "agency": "msd", "voting": true, "deputy": "Deputy B", "privacy_officer": false},
	{"role": "Member C", "agency": "police", "voting": true, "deputy": "Deputy C", "privacy_officer": false},
	{"role": "Observer", "agency": "dpmc", "voting": false, "privacy_officer": false},
]

_gg := {
	"id": "gg",
	"name": "Governance Group",
	"type": "governance_group",
	"members": _members,
	"advisers": [{"role": "Privacy Officer", "agency": "police", "privacy_officer": true}],
	"chair": "Chair",
	"deputy_chair": "Member B",
	"quorum": 2,
	"secretariat": {"agency": "police"},
	"authority": {"reports_to": {"to": "Commissioner of Police"}},
	"approval": {"date": "2021-06-24"},
	"review_date": "2022-06-24",
	"information_management": {"pia": "MACIP-PIA"},
	"conflicts_of_interest": "Members declare any conflict of interest at the start of each meeting.",
}

_wg := object.union(_gg, {
	"id": "wg",
	"name": "Working Group",
	"type": "working_group",
	"authority": {"reports_to": {"to": "Governance Group", "body": "gg"}},
})

_deny(bodies, references) := r if {
	r := tor.deny with input as {"bodies": bodies, "references": references, "current_pia": "MACIP-PIA"}
		with data.governance.tor.agencies as _agencies
}

_warn(bodies) := r if {
	r := tor.warn with input as {"bodies": bodies, "references": [], "current_pia": "MACIP-PIA"}
		with data.governance.tor.agencies as _agencies
}

# --- the whole decision

test_success_governance_group_passes if {
	_deny([_gg], []) == set()
	_warn([_gg]) == set()
}

test_success_decision_document if {
	d := tor.decision with input as {"bodies": [_gg], "references": [], "current_pia": "MACIP-PIA"}
		with data.governance.tor.agencies as _agencies
	d.deny == set()
	d.warn == set()
	d.agencies == {
		"police": "New Zealand Police",
		"msd": "Ministry of Social Development",
		"dpmc": "Department of the Prime Minister and Cabinet",
	}
	d.body_types.working_group == "working group"
	d.programme.short_name == "MACIP"
}

test_success_bundled_lead_agencies if {
	leads := {id | some id, a in data.governance.tor.agencies; a.lead == true}
	leads == {"police", "health", "msd", "education", "oranga_tamariki", "nzsis"}
}

test_fail_empty_input if {
	r := tor.deny with input as {}
	r == {{"id": "governance.tor.no_bodies", "msg": "no Terms of Reference were given", "details": {}}}
}

test_fail_empty_body_list if {
	_deny([], [_gg]) == {{"id": "governance.tor.no_bodies", "msg": "no Terms of Reference were given", "details": {}}}
}

test_fail_empty_body_fails_every_requirement if {
	ids := {v.id | some v in _deny([{}], [])}
	ids == {
		"governance.tor.unknown_body_type",
		"governance.tor.unknown_agency",
		"governance.tor.quorum_missing",
		"governance.tor.chair_not_member",
		"governance.tor.no_privacy_expertise",
		"governance.tor.review_date",
		"governance.tor.pia_not_current",
		"governance.tor.no_conflicts_clause",
	}
}

# --- body type and agencies

test_fail_unknown_body_type if {
	_deny([object.union(_gg, {"type": "steering_committee"})], []) == {{
		"id": "governance.tor.unknown_body_type",
		"msg": "steering_committee is not a kind of body (governance_group, working_group or advisory_group)",
		"details": {"body": "gg", "type": "steering_committee"},
	}}
}

test_fail_unknown_agency if {
	advisers := [{"role": "Privacy Officer", "agency": "acme", "privacy_officer": true}]
	_deny([object.union(_gg, {"advisers": advisers})], []) == {{
		"id": "governance.tor.unknown_agency",
		"msg": "advisers[0].agency names acme, which is not an agency the programme knows",
		"details": {"body": "gg", "field": "advisers[0].agency", "agency": "acme"},
	}}
}

# --- quorum: at least half the voting members, no more than all of them

test_fail_quorum_missing if {
	_deny([object.remove(_gg, ["quorum"])], []) == {{
		"id": "governance.tor.quorum_missing",
		"msg": "no quorum is set",
		"details": {"body": "gg"},
	}}
}

test_fail_quorum_below_half if {
	_deny([object.union(_gg, {"quorum": 1})], []) == {{
		"id": "governance.tor.quorum_too_small",
		"msg": "the quorum of 1 is less than half of the 3 voting members",
		"details": {"body": "gg", "quorum": 1, "voting_members": 3},
	}}
}

test_success_quorum_exactly_half if {
	fourth := {"role": "Member D", "agency": "msd", "voting": true, "deputy": "Deputy D", "privacy_officer": false}
	_deny([object.union(_gg, {"quorum": 2, "members": array.concat(_members, [fourth])})], []) == set()
}

test_success_quorum_of_all_voting_members if {
	_deny([object.union(_gg, {"quorum": 3})], []) == set()
}

test_fail_quorum_larger_than_membership if {
	_deny([object.union(_gg, {"quorum": 9})], []) == {{
		"id": "governance.tor.quorum_too_large",
		"msg": "the quorum of 9 is more than the 3 voting members",
		"details": {"body": "gg", "quorum": 9, "voting_members": 3},
	}}
}

test_fail_quorum_counts_only_voting_members if {
	# Four members, but the observer does not vote.
	r := _deny([object.union(_gg, {"quorum": 4})], [])
	r == {{
		"id": "governance.tor.quorum_too_large",
		"msg": "the quorum of 4 is more than the 3 voting members",
		"details": {"body": "gg", "quorum": 4, "voting_members": 3},
	}}
}

# --- chair and deputy chair

test_fail_chair_not_member if {
	_deny([object.union(_gg, {"chair": "Commissioner"})], []) == {{
		"id": "governance.tor.chair_not_member",
		"msg": "the chair, Commissioner, is not one of the members",
		"details": {"body": "gg", "chair": "Commissioner"},
	}}
}

test_fail_no_chair if {
	_deny([object.remove(_gg, ["chair"])], []) == {{
		"id": "governance.tor.chair_not_member",
		"msg": "no chair is named",
		"details": {"body": "gg", "chair": null},
	}}
}

test_fail_deputy_chair_not_member if {
	_deny([object.union(_gg, {"deputy_chair": "Someone Else"})], []) == {{
		"id": "governance.tor.deputy_chair_not_member",
		"msg": "the deputy chair, Someone Else, is not one of the members",
		"details": {"body": "gg", "deputy_chair": "Someone Else"},
	}}
}

test_fail_deputy_chair_is_chair if {
	_deny([object.union(_gg, {"deputy_chair": "Chair"})], []) == {{
		"id": "governance.tor.deputy_chair_not_member",
		"msg": "the deputy chair, Chair, is also the chair",
		"details": {"body": "gg", "deputy_chair": "Chair"},
	}}
}

test_success_no_deputy_chair if {
	_deny([object.remove(_gg, ["deputy_chair"])], []) == set()
}

# --- lead agencies on every governance group

test_fail_lead_agency_unrepresented if {
	members := [m | some m in _members; m.agency != "msd"]
	body := object.union(object.remove(_gg, ["deputy_chair"]), {"members": members})
	_deny([body], []) == {{
		"id": "governance.tor.lead_agency_unrepresented",
		"msg": "Ministry of Social Development, a lead agency of the programme, has no member on this governance group",
		"details": {"body": "gg", "agency": "msd"},
	}}
}

test_success_adviser_does_not_count_as_representation if {
	members := [m | some m in _members; m.agency != "msd"]
	advisers := array.concat(_gg.advisers, [{"role": "Adviser", "agency": "msd", "privacy_officer": false}])
	body := object.union(object.remove(_gg, ["deputy_chair"]), {"members": members, "advisers": advisers})
	{v.id | some v in _deny([body], [])} == {"governance.tor.lead_agency_unrepresented"}
}

test_success_working_group_needs_no_lead_agency_seat if {
	members := [m | some m in _members; m.agency != "msd"]
	body := object.union(object.remove(_wg, ["deputy_chair"]), {"members": members})
	_deny([body], [_gg]) == set()
}

# --- privacy expertise

test_fail_no_privacy_expertise if {
	_deny([object.union(_gg, {"advisers": []})], []) == {{
		"id": "governance.tor.no_privacy_expertise",
		"msg": "no privacy officer is a member of or adviser to the body (mark one privacy_officer: true)",
		"details": {"body": "gg"},
	}}
}

test_success_privacy_officer_as_member if {
	member := {"role": "Privacy Officer", "agency": "msd", "voting": false, "privacy_officer": true}
	_deny([object.union(_gg, {"advisers": [], "members": array.concat(_members, [member])})], []) == set()
}

test_fail_privacy_flag_must_be_true if {
	advisers := [{"role": "Privacy Officer", "agency": "police", "privacy_officer": "yes"}]
	{v.id | some v in _deny([object.union(_gg, {"advisers": advisers})], [])} == {"governance.tor.no_privacy_expertise"}
}

# --- working group reporting line

test_success_working_group_reports_to_referenced_governance_group if {
	_deny([_wg], [_gg]) == set()
}

test_success_working_group_checked_with_its_governance_group if {
	_deny([_gg, _wg], []) == set()
}

test_fail_working_group_parent_unknown if {
	_deny([_wg], []) == {{
		"id": "governance.tor.reports_to_unknown_body",
		"msg": concat(" ", [
			"reports to gg, whose Terms of Reference are not known",
			"(check them together, or name them in authority.reports_to.spec)",
		]),
		"details": {"body": "wg", "reports_to": "gg"},
	}}
}

test_fail_working_group_names_no_parent if {
	body := object.union(_wg, {"authority": {"reports_to": {"body": null}}})
	_deny([body], [_gg]) == {{
		"id": "governance.tor.reports_to_unknown_body",
		"msg": "a working group reports to a governance group, but authority.reports_to.body names none",
		"details": {"body": "wg", "reports_to": null},
	}}
}

test_fail_working_group_reports_to_working_group if {
	other := object.union(_wg, {"id": "wg2"})
	_deny([_wg], [other, object.union(_gg, {"id": "gg-other"})]) == {{
		"id": "governance.tor.reports_to_unknown_body",
		"msg": concat(" ", [
			"reports to gg, whose Terms of Reference are not known",
			"(check them together, or name them in authority.reports_to.spec)",
		]),
		"details": {"body": "wg", "reports_to": "gg"},
	}}
	body := object.union(_wg, {"authority": {"reports_to": {"body": "wg2"}}})
	_deny([body], [other]) == {{
		"id": "governance.tor.reports_to_unknown_body",
		"msg": "reports to wg2, whose type is working_group, not governance_group",
		"details": {"body": "wg", "reports_to": "wg2"},
	}}
}

test_success_advisory_group_reporting_line_not_checked if {
	body := object.union(_gg, {"id": "ag", "type": "advisory_group"})
	_deny([body], []) == set()
}

# --- review within 12 months of approval

test_success_review_exactly_twelve_months_after_approval if {
	_deny([object.union(_gg, {"approval": {"date": "2024-02-29"}, "review_date": "2025-03-01"})], []) == set()
}

test_fail_review_more_than_twelve_months_after_approval if {
	_deny([object.union(_gg, {"review_date": "2022-06-25"})], []) == {{
		"id": "governance.tor.review_date",
		"msg": "the review date, 2022-06-25, is more than 12 months after approval on 2021-06-24",
		"details": {"body": "gg", "approved": "2021-06-24", "review_date": "2022-06-25", "interval_months": 12},
	}}
}

test_fail_review_not_after_approval if {
	_deny([object.union(_gg, {"review_date": "2021-06-24"})], []) == {{
		"id": "governance.tor.review_date",
		"msg": "the review date, 2021-06-24, is not after the approval date, 2021-06-24",
		"details": {"body": "gg", "approved": "2021-06-24", "review_date": "2021-06-24", "interval_months": 12},
	}}
}

test_fail_no_approval_date if {
	_deny([object.union(_gg, {"approval": {"date": null}})], []) == {{
		"id": "governance.tor.review_date",
		"msg": "there is no approval date, so the review date cannot be set against it",
		"details": {"body": "gg", "approved": null, "review_date": "2022-06-24", "interval_months": 12},
	}}
}

test_fail_no_review_date if {
	_deny([object.remove(_gg, ["review_date"])], []) == {{
		"id": "governance.tor.review_date",
		"msg": "no review date is set",
		"details": {"body": "gg", "approved": "2021-06-24", "review_date": null, "interval_months": 12},
	}}
}

test_fail_review_date_not_a_date if {
	_deny([object.union(_gg, {"review_date": "next June"})], []) == {{
		"id": "governance.tor.review_date",
		"msg": "the review date, next June, is not a date (YYYY-MM-DD)",
		"details": {"body": "gg", "approved": "2021-06-24", "review_date": "next June", "interval_months": 12},
	}}
}

test_fail_approval_date_not_a_date if {
	_deny([object.union(_gg, {"approval": {"date": "2021-02-30"}})], []) == {{
		"id": "governance.tor.review_date",
		"msg": "the approval date, 2021-02-30, is not a date (YYYY-MM-DD)",
		"details": {"body": "gg", "approved": "2021-02-30", "review_date": "2022-06-24", "interval_months": 12},
	}}
}

test_success_calendar_dates if {
	tor._is_date("2000-02-29")
	tor._is_date("2024-02-29")
	tor._is_date("2021-12-31")
	not tor._is_date("2023-02-29")
	not tor._is_date("1900-02-29")
	not tor._is_date("2021-04-31")
	not tor._is_date("2021-6-24")
}

test_success_review_interval_is_data if {
	body := object.union(_gg, {"review_date": "2022-12-24"})
	r := tor.deny with input as {"bodies": [body], "current_pia": "MACIP-PIA"}
		with data.governance.tor.agencies as _agencies
		with data.governance.tor.review_interval_months as 18
	r == set()
}

# --- the current PIA

test_fail_pia_not_current if {
	body := object.union(_gg, {"information_management": {"pia": "OLD-PIA"}})
	_deny([body], []) == {{
		"id": "governance.tor.pia_not_current",
		"msg": "the information-management section names PIA OLD-PIA, but the current PIA is MACIP-PIA",
		"details": {"body": "gg", "pia": "OLD-PIA", "current_pia": "MACIP-PIA"},
	}}
}

test_fail_pia_not_named if {
	_deny([object.union(_gg, {"information_management": {"pia": null}})], []) == {{
		"id": "governance.tor.pia_not_current",
		"msg": "the information-management section names no PIA",
		"details": {"body": "gg", "pia": null, "current_pia": "MACIP-PIA"},
	}}
}

test_fail_no_current_pia_known if {
	r := tor.deny with input as {"bodies": [_gg], "current_pia": null}
		with data.governance.tor.agencies as _agencies
	r == {{
		"id": "governance.tor.pia_not_current",
		"msg": "no current PIA was found to check information_management.pia against",
		"details": {"body": "gg", "pia": "MACIP-PIA", "current_pia": null},
	}}
}

# --- conflicts of interest

test_fail_no_conflicts_clause if {
	_deny([object.remove(_gg, ["conflicts_of_interest"])], []) == {{
		"id": "governance.tor.no_conflicts_clause",
		"msg": "there is no conflicts-of-interest clause",
		"details": {"body": "gg"},
	}}
}

test_fail_blank_conflicts_clause if {
	_deny([object.union(_gg, {"conflicts_of_interest": "  \n"})], []) == {{
		"id": "governance.tor.no_conflicts_clause",
		"msg": "there is no conflicts-of-interest clause",
		"details": {"body": "gg"},
	}}
}

# --- warnings

test_fail_voting_member_without_deputy_warns if {
	members := array.concat(_members, [{"role": "Member D", "agency": "msd", "voting": true, "privacy_officer": false}])
	_warn([object.union(_gg, {"members": members})]) == {{
		"id": "governance.tor.no_deputy",
		"msg": "voting member Member D (msd) has no named deputy",
		"details": {"body": "gg", "field": "members[4]"},
	}}
}

test_success_non_voting_member_needs_no_deputy if {
	_warn([_wg]) == set()
}
