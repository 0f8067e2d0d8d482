package oia.release_test

import data.oia.release

_statements := {"public_interest": true, "excerpts": true, "deletions": true, "ombudsman": true}

_doc := {
	"number": 1,
	"id": "brief",
	"title": "Briefing",
	"decision": "released_in_part",
	"grounds": [],
	"public_interest": {"all": false, "grounds": ["9(2)(a)"]},
	"spans": [
		{"kind": "withhold", "grounds": ["6(c)"], "line": 4},
		{"kind": "withhold", "grounds": ["9(2)(a)"], "line": 9},
		{"kind": "out_of_scope", "grounds": [], "line": 12},
	],
}

_ok := {
	"request": {"extension": null},
	"documents": [_doc],
	"letter": {"grounds": ["6(c)", "9(2)(a)"], "statements": _statements, "manner": {"exception": "16(2)(a)"}},
	"deadline": {
		"due": "2021-08-16", "extended_due": null, "decided": "2021-08-10",
		"working_days_after_due": 0, "working_days_after_extended_due": null, "transfer_in_time": null,
	},
}

# The release with its one document replaced by `doc` (merged over the base document).
_with_doc(doc) := object.union(_ok, {"documents": [object.union(_doc, doc)]})

_details(id, g, line) := {"document": id, "number": 1, "citation": g, "line": line}

test_success_valid_release if {
	release.deny == set() with input as _ok
	release.warn == set() with input as _ok
}

test_success_decision_document if {
	d := release.decision with input as _ok
	d == {
		"deny": set(),
		"warn": set(),
		"grounds": {
			"6(c)": data.oia.grounds.grounds["6(c)"],
			"9(2)(a)": data.oia.grounds.grounds["9(2)(a)"],
		},
		"decision_labels": {
			"released": "Released in full",
			"released_in_part": "Released in part",
			"excerpts": "Excerpts released under section 16(1)(e)",
			"withheld_in_full": "Withheld in full",
			"refused": "Refused",
			"neither_confirm_nor_deny": "Neither confirmed nor denied",
		},
		"statements": data.oia.release.statements,
		"deadline": {
			"extension_effective": null, "final_due": "2021-08-16", "working_days_late": 0, "status": "on time",
		},
	}
}

test_success_decision_describes_only_known_grounds_cited if {
	inp := object.union(
		_with_doc({"grounds": ["18(d)"], "spans": [{"kind": "withhold", "grounds": ["9(2)(z)"], "line": 3}]}),
		{"letter": {"grounds": ["6(c)"]}},
	)
	d := release.decision with input as inp
	d.grounds == {"18(d)": data.oia.grounds.grounds["18(d)"], "6(c)": data.oia.grounds.grounds["6(c)"]}
}

test_fail_empty_input if {
	r := release.deny with input as {}
	r == {
		{"id": "oia.release.no_documents", "msg": "the release names no documents", "details": {}},
		{
			"id": "oia.release.no_ombudsman_statement",
			"msg": concat("", [
				"the decision letter does not tell the requester of the right to complain ",
				"to the Ombudsman (s 19(b))",
			]),
			"details": {"citation": "19(b)"},
		},
		{
			"id": "oia.release.deadline_unknown",
			"msg": "the release has no computed due date (s 15(1))",
			"details": {},
		},
	}
}

test_fail_unknown_ground_in_passage if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "withhold", "grounds": ["6(c)", "9(2)(z)"], "line": 7}]}),
		{"letter": {"grounds": ["6(c)", "9(2)(z)"]}},
	)
	r := release.deny with input as inp
	r == {
		{
			"id": "oia.release.unknown_ground",
			"msg": "document 1 (Briefing) cites 9(2)(z), which is not a ground of the Official Information Act 1982",
			"details": _details("brief", "9(2)(z)", 7),
		},
		{
			"id": "oia.release.unknown_letter_ground",
			"msg": "the decision letter relies on 9(2)(z), which is not a ground of the Official Information Act 1982",
			"details": {"citation": "9(2)(z)"},
		},
	}
}

test_fail_refusal_ground_redacts_a_passage if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "withhold", "grounds": ["18(d)"], "line": 3}]}),
		{"letter": {"grounds": ["18(d)"]}},
	)
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.refusal_ground_withholds",
		"msg": concat("", [
			"document 1 (Briefing) withholds a passage (line 3) under s 18(d), ",
			"a reason to refuse a request, not to withhold a passage",
		]),
		"details": _details("brief", "18(d)", 3),
	}}
}

test_fail_withheld_in_full_under_refusal_ground if {
	inp := object.union(
		_with_doc({"decision": "withheld_in_full", "grounds": ["18(d)"], "spans": []}),
		{"letter": {"grounds": ["18(d)"]}},
	)
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.refusal_ground_withholds",
		"msg": concat("", [
			"document 1 (Briefing) is withheld in full under s 18(d), ",
			"a reason to refuse a request; record it as refused",
		]),
		"details": _details("brief", "18(d)", 0),
	}}
}

test_success_refused_under_s18 if {
	inp := object.union(
		_with_doc({"decision": "refused", "grounds": ["18(d)"], "spans": []}),
		{"letter": {"grounds": ["18(d)"]}},
	)
	release.deny == set() with input as inp
}

test_fail_refused_without_refusal_ground if {
	inp := object.union(
		_with_doc({"decision": "refused", "grounds": ["6(c)"], "spans": []}),
		{"letter": {"grounds": ["6(c)"]}},
	)
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.refused_without_refusal_ground",
		"msg": "document 1 (Briefing) is refused but cites no reason for refusal in s 18",
		"details": _details("brief", null, 0),
	}}
}

test_fail_withheld_in_full_without_ground if {
	inp := object.union(
		_with_doc({"decision": "withheld_in_full", "grounds": [], "spans": []}),
		{"letter": {"grounds": []}},
	)
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.withheld_without_ground",
		"msg": "document 1 (Briefing) is withheld in full but cites no ground",
		"details": _details("brief", null, 0),
	}}
}

test_success_withheld_in_full_with_ground if {
	inp := object.union(
		_with_doc({
			"decision": "withheld_in_full", "grounds": ["9(2)(g)(i)"], "spans": [],
			"public_interest": {"all": true},
		}),
		{"letter": {"grounds": ["9(2)(g)(i)"]}},
	)
	release.deny == set() with input as inp
}

test_fail_document_grounds_on_a_released_document if {
	r := release.deny with input as _with_doc({"grounds": ["6(c)"]})
	r == {{
		"id": "oia.release.document_grounds_on_release",
		"msg": concat("", [
			"document 1 (Briefing) is released in part, so it cannot cite 6(c) for the whole document; ",
			"mark the withheld passages instead",
		]),
		"details": _details("brief", "6(c)", 0),
	}}
}

test_fail_unknown_decision if {
	r := release.deny with input as _with_doc({"decision": "lost"})
	r == {{
		"id": "oia.release.unknown_decision",
		"msg": "document 1 (Briefing) has an unknown decision lost",
		"details": _details("brief", null, 0),
	}}
}

test_fail_released_in_full_but_withholds if {
	r := release.deny with input as _with_doc({"decision": "released"})
	r == {{
		"id": "oia.release.decision_mismatch",
		"msg": "document 1 (Briefing) is marked released in full but withholds passages; mark it released in part",
		"details": _details("brief", null, 0),
	}}
}

test_fail_released_in_part_withholds_nothing if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "out_of_scope", "grounds": [], "line": 2}]}),
		{"letter": {"grounds": []}},
	)
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.decision_mismatch",
		"msg": "document 1 (Briefing) is marked released in part but withholds no passage; mark it released in full",
		"details": _details("brief", null, 0),
	}}
}

test_fail_s9_ground_without_public_interest if {
	r := release.deny with input as _with_doc({"public_interest": {"all": false, "grounds": []}})
	r == {{
		"id": "oia.release.public_interest_missing",
		"msg": "document 1 (Briefing) withholds under s 9(2)(a) but records no public-interest consideration (s 9(1))",
		"details": _details("brief", "9(2)(a)", 0),
	}}
}

test_fail_s9_ground_with_public_interest_missing_from_input if {
	doc := object.remove(_doc, ["public_interest"])
	r := release.deny with input as object.union(_ok, {"documents": [doc]})
	r == {{
		"id": "oia.release.public_interest_missing",
		"msg": "document 1 (Briefing) withholds under s 9(2)(a) but records no public-interest consideration (s 9(1))",
		"details": _details("brief", "9(2)(a)", 0),
	}}
}

test_success_public_interest_recorded_for_all_grounds if {
	release.deny == set() with input as _with_doc({"public_interest": {"all": true, "grounds": []}})
}

test_fail_ground_used_but_not_in_letter if {
	r := release.deny with input as object.union(_ok, {"letter": {"grounds": ["6(c)"]}})
	r == {{
		"id": "oia.release.ground_not_in_letter",
		"msg": "document 1 (Briefing) relies on s 9(2)(a), which the decision letter does not give as a reason",
		"details": _details("brief", "9(2)(a)", 0),
	}}
}

test_fail_no_s9_statement if {
	inp := object.union(_ok, {"letter": {"statements": {"public_interest": false}}})
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.public_interest_statement_missing",
		"msg": concat("", [
			"s 9(2)(a) is a s 9 ground, but the decision letter does not say ",
			"the public interest was considered (s 9(1))",
		]),
		"details": {"citation": "9(2)(a)"},
	}}
}

test_success_no_s9_statement_needed_without_s9_grounds if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "withhold", "grounds": ["6(c)"], "line": 4}]}),
		{"letter": {"grounds": ["6(c)"], "statements": {"public_interest": false}}},
	)
	release.deny == set() with input as inp
}

test_fail_excerpts_not_stated if {
	inp := object.union(_with_doc({"decision": "excerpts"}), {"letter": {"statements": {"excerpts": false}}})
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.excerpts_not_stated",
		"msg": "document 1 (Briefing) is released as excerpts, but the decision letter does not say so (s 16(1)(e))",
		"details": _details("brief", "16(1)(e)", 0),
	}}
}

test_success_excerpts_stated if {
	release.deny == set() with input as _with_doc({"decision": "excerpts"})
}

test_fail_no_ombudsman_statement if {
	r := release.deny with input as object.union(_ok, {"letter": {"statements": {"ombudsman": false}}})
	r == {{
		"id": "oia.release.no_ombudsman_statement",
		"msg": "the decision letter does not tell the requester of the right to complain to the Ombudsman (s 19(b))",
		"details": {"citation": "19(b)"},
	}}
}

# A complete extension notice (s 15A(3), (4)).
_notice := {
	"ground": "15A(1)(b)", "working_days": 10, "notified": "2021-08-10",
	"reason_given": true, "complaint_right": true,
}

test_fail_unknown_extension_ground if {
	inp := object.union(_ok, {"request": {"extension": object.union(_notice, {"ground": "15A(1)(c)"})}})
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.extension_ground",
		"msg": "the extension cites 15A(1)(c), which is not a reason for extension in s 15A(1)",
		"details": {"citation": "15A(1)(c)"},
	}}
}

test_fail_extension_notified_late if {
	inp := object.union(
		_ok,
		{"request": {"extension": object.union(_notice, {"notified": "2021-08-17"})}},
	)
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.extension_notice_late",
		"msg": "the extension was notified on 2021-08-17, after the original time limit of 2021-08-16 (s 15A(3))",
		"details": {"citation": "15A(3)", "notified": "2021-08-17", "due": "2021-08-16"},
	}}
}

test_success_extension_notified_in_time if {
	inp := object.union(
		_ok,
		{"request": {"extension": object.union(_notice, {"notified": "2021-08-16"})}},
	)
	release.deny == set() with input as inp
}

test_success_nested_markup_is_checked_but_not_a_marker if {
	inp := _with_doc({"spans": [
		{"kind": "withhold", "grounds": ["6(c)"], "line": 4},
		{"kind": "withhold", "grounds": ["9(2)(a)"], "line": 9},
		{"kind": "withhold", "grounds": ["9(2)(g)(i)"], "line": 10, "nested": true},
	]})
	release.deny == set() with input as inp
	r := release.deny with input as object.union(inp, {"documents": [object.union(_doc, {"spans": [
		{"kind": "withhold", "grounds": ["6(c)", "9(2)(a)"], "line": 4},
		{"kind": "withhold", "grounds": ["9(2)(z)"], "line": 5, "nested": true},
	]})]})
	r == {{
		"id": "oia.release.unknown_ground",
		"msg": "document 1 (Briefing) cites 9(2)(z), which is not a ground of the Official Information Act 1982",
		"details": _details("brief", "9(2)(z)", 5),
	}}
}

test_fail_parent_only_citation_warns if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "withhold", "grounds": ["6(c)", "9(2)(g)"], "line": 4}],
		"public_interest": {"all": true}}),
		{"letter": {"grounds": ["6(c)", "9(2)(g)"]}},
	)
	release.deny == set() with input as inp
	r := release.warn with input as inp
	r == {{
		"id": "oia.release.parent_only",
		"msg": concat("", [
			"document 1 (Briefing) cites 9(2)(g), which has sub-paragraphs ",
			"(9(2)(g)(i), 9(2)(g)(ii)); cite the one relied on",
		]),
		"details": _details("brief", "9(2)(g)", 0),
	}}
}

test_fail_letter_ground_used_nowhere_warns if {
	inp := object.union(_ok, {"letter": {"grounds": ["6(c)", "9(2)(a)", "6(d)"]}})
	release.deny == set() with input as inp
	r := release.warn with input as inp
	r == {{
		"id": "oia.release.letter_ground_unused",
		"msg": "the decision letter gives s 6(d) as a reason, but no document relies on it",
		"details": {"citation": "6(d)"},
	}}
}

_ids(results) := {r.id | some r in results}

test_success_passage_withheld_under_s18c_with_its_enactment if {
	inp := object.union(
		_with_doc({
			"spans": [{"kind": "withhold", "grounds": ["18(c)(i)"], "line": 4}],
			"prohibited_by": ["18(c)(i)"],
		}),
		{"letter": {"grounds": ["18(c)(i)"]}},
	)
	release.deny == set() with input as inp
}

test_fail_passage_withheld_under_s18c_without_its_enactment if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "withhold", "grounds": ["18(c)(ii)"], "line": 4}]}),
		{"letter": {"grounds": ["18(c)(ii)"]}},
	)
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.prohibition_unnamed",
		"msg": concat("", [
			"document 1 (Briefing) relies on s 18(c)(ii) but does not name the enactment or order it rests on ",
			"(prohibited_by)",
		]),
		"details": _details("brief", "18(c)(ii)", 4),
	}}
}

test_fail_other_s18_reasons_still_cannot_withhold_a_passage if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "withhold", "grounds": ["18(d)"], "line": 4}]}),
		{"letter": {"grounds": ["18(d)"]}},
	)
	_ids(release.deny) == {"oia.release.refusal_ground_withholds"} with input as inp
}

test_success_part4_request_withholds_under_s27 if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "withhold", "grounds": ["27(1)(b)"], "line": 4}]}),
		{"request": {"kind": "personal_information"}, "letter": {"grounds": ["27(1)(b)"]}},
	)
	release.deny == set() with input as inp
}

_part4_27_1_a(public_interest) := object.union(
	_with_doc({
		"spans": [{"kind": "withhold", "grounds": ["27(1)(a)"], "line": 4}],
		"public_interest": public_interest,
	}),
	{"request": {"kind": "personal_information"}, "letter": {"grounds": ["27(1)(a)"]}},
)

test_fail_s27_1_a_without_a_public_interest_consideration if {
	r := release.deny with input as _part4_27_1_a({"all": false, "grounds": []})
	r == {{
		"id": "oia.release.part4_public_interest_missing",
		"msg": concat("", [
			"document 1 (Briefing) withholds under s 27(1)(a) but records no public-interest consideration: for ",
			"the interests in s 9(2)(b) there must be no countervailing public interest (s 27(1)(a)); record the ",
			"consideration, or that the interest relied on is one in s 6(a) to (d) or s 7",
		]),
		"details": _details("brief", "27(1)(a)", 0),
	}}
}

test_success_s27_1_a_with_a_public_interest_consideration if {
	release.deny == set() with input as _part4_27_1_a({"all": false, "grounds": ["27(1)(a)"]})
	release.deny == set() with input as _part4_27_1_a({"all": true, "grounds": []})
}

test_success_s27_1_a_needs_no_s9_statement if {
	# The letter's s 9(1) statement is about s 9 grounds; s 27(1)(a) carries its own test.
	inp := object.union(
		_part4_27_1_a({"all": true, "grounds": []}),
		{"letter": {"statements": object.union(_statements, {"public_interest": false})}},
	)
	release.deny == set() with input as inp
}

test_fail_part4_reason_in_an_official_information_request if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "withhold", "grounds": ["27(1)(b)"], "line": 4}]}),
		{"letter": {"grounds": ["27(1)(b)"]}},
	)
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.part4_ground_outside_part4",
		"msg": concat("", [
			"document 1 (Briefing) cites s 27(1)(b), a reason only for a body corporate's request for personal ",
			"information about itself (Part 4)",
		]),
		"details": _details("brief", "27(1)(b)", 4),
	}}
}

test_fail_part2_ground_in_a_part4_request if {
	inp := object.union(
		_with_doc({"spans": [{"kind": "withhold", "grounds": ["6(c)"], "line": 4}]}),
		{"request": {"kind": "personal_information"}, "letter": {"grounds": ["6(c)"]}},
	)
	r := release.deny with input as inp
	r == {{
		"id": "oia.release.part2_ground_in_part4",
		"msg": concat("", [
			"document 1 (Briefing) cites s 6(c), but a Part 4 request may be refused only for a reason in ",
			"s 27(1) (s 27(2))",
		]),
		"details": _details("brief", "6(c)", 4),
	}}
}

test_success_no_markup_released_in_full_is_fine if {
	release.deny == set() with input as object.union(
		_with_doc({"decision": "released", "spans": []}),
		{"letter": {"grounds": []}},
	)
}

test_fail_no_withheld_passage_released_in_part if {
	# An original with nothing marked (or only text out of scope) is released in full, not in part.
	inp := object.union(
		_with_doc({"spans": [{"kind": "out_of_scope", "grounds": [], "line": 12}]}),
		{"letter": {"grounds": []}},
	)
	_ids(release.deny) == {"oia.release.decision_mismatch"} with input as inp
}
