package oia.release.procedure_test

import data.oia.release.procedure

_statements := {"public_interest": true, "excerpts": true, "deletions": true, "ombudsman": true}

_ok := {
	"request": {"extension": null, "delay": null, "transferred_from": false},
	"documents": [{"number": 1, "id": "brief", "title": "Briefing", "decision": "released_in_part"}],
	"letter": {"grounds": ["6(c)"], "statements": _statements, "texts": {}, "manner": null},
	"deadline": {
		"due": "2021-08-16", "extended_due": null, "decided": "2021-08-10",
		"working_days_after_due": 0, "working_days_after_extended_due": null,
		"transfer_in_time": null, "transferred": null,
	},
}

_notice := {
	"ground": "15A(1)(b)", "working_days": 10, "notified": "2021-08-10",
	"reason_given": true, "complaint_right": true,
}

# The release with an extension and a decision `late` working days after the
# original limit (2021-08-16) and `late_extended` after the extended one (2021-08-30).
_extended(extension, decided, late, late_extended) := object.union(_ok, {
	"request": {"extension": extension},
	"deadline": {
		"extended_due": "2021-08-30", "decided": decided,
		"working_days_after_due": late, "working_days_after_extended_due": late_extended,
	},
})

_ids(results) := {r.id | some r in results}

test_success_release_in_time if {
	procedure.deny == set() with input as _ok
	procedure.warn == set() with input as _ok
}

test_fail_empty_input if {
	# The release package itself refuses an empty input (no documents, no due date, no
	# Ombudsman statement); the procedure has nothing of its own to add.
	procedure.deny == set() with input as {}
}

test_success_extension_with_a_complete_notice_in_time if {
	inp := _extended(_notice, "2021-08-27", 9, 0)
	procedure.deny == set() with input as inp
	procedure.warn == set() with input as inp
}

test_fail_extension_never_notified if {
	r := procedure.deny with input as _extended(object.remove(_notice, ["notified"]), "2021-08-10", 0, 0)
	r == {{
		"id": "oia.release.extension_not_notified",
		"msg": concat("", [
			"the extension of 10 working days records no day its notice was given; without notice within the ",
			"original limit of 2021-08-16 it has no effect (s 15A(3))",
		]),
		"details": {"citation": "15A(3)", "due": "2021-08-16"},
	}}
}

test_fail_extension_notice_without_reason_or_complaint_right if {
	ext := object.union(_notice, {"reason_given": false, "complaint_right": false})
	r := procedure.deny with input as _extended(ext, "2021-08-10", 0, 0)
	r == {
		{
			"id": "oia.release.extension_notice_incomplete",
			"msg": concat("", [
				"the extension notice under s 15A(1)(b) records no reason in words; the notice must give the ",
				"reasons (s 15A(4)(b))",
			]),
			"details": {"citation": "15A(4)(b)"},
		},
		{
			"id": "oia.release.extension_notice_incomplete",
			"msg": concat("", [
				"the extension notice does not record that it told the requester of the right to complain to an ",
				"Ombudsman about the extension (s 15A(4)(c))",
			]),
			"details": {"citation": "15A(4)(c)"},
		},
	}
}

test_fail_extension_of_200_working_days_without_notice if {
	ext := object.remove(object.union(_notice, {"working_days": 200}), ["notified"])
	inp := _extended(ext, "2021-08-10", 0, 0)
	_ids(procedure.deny) == {"oia.release.extension_not_notified"} with input as inp
	r := procedure.warn with input as inp
	r == {{
		"id": "oia.release.extension_long",
		"msg": concat("", [
			"the extension of 200 working days under s 15A(1)(b) is longer than the 30 working days set for ",
			"review; record why the period is reasonable (s 15A(2))",
		]),
		"details": {
			"citation": "15A(2)", "working_days": 200, "threshold": 30,
			"source": data.oia.release.extension_review_after.source,
		},
	}}
}

test_success_extension_at_the_threshold_is_not_flagged if {
	inp := _extended(object.union(_notice, {"working_days": 30}), "2021-08-10", 0, 0)
	procedure.warn == set() with input as inp
}

test_success_extension_threshold_is_policy_data if {
	inp := _extended(object.union(_notice, {"working_days": 20}), "2021-08-10", 0, 0)
	r := procedure.warn with input as inp
		with data.oia.release.extension_review_after as {"source": "test", "working_days": {"15A(1)(b)": 5}}
	_ids(r) == {"oia.release.extension_long"}
}

test_fail_decision_after_the_limit_is_a_deemed_refusal if {
	inp := object.union(_ok, {"deadline": {"decided": "2021-09-17", "working_days_after_due": 24}})
	r := procedure.deny with input as inp
	r == {{
		"id": "oia.release.deemed_refusal",
		"msg": concat("", [
			"the decision of 2021-09-17 is 24 working day(s) after its time limit of 2021-08-16: a deemed ",
			concat("", [
				"refusal (s 28(4)); record the requester's agreement to the delay (request.delay)",
				" or decide within the limit",
			]),
		]),
		"details": {"citation": "28(4)", "working_days_late": 24, "due": "2021-08-16", "decided": "2021-09-17"},
	}}
}

test_success_decision_within_an_effective_extension if {
	inp := _extended(_notice, "2021-08-27", 9, 0)
	not "oia.release.deemed_refusal" in _ids(procedure.deny) with input as inp
}

test_fail_extension_notified_late_has_no_effect if {
	# Notified after the original limit: the original limit binds, so a decision the
	# extension would have covered is a deemed refusal.
	inp := _extended(object.union(_notice, {"notified": "2021-08-17"}), "2021-08-27", 9, 0)
	r := procedure.deny with input as inp
	r == {{
		"id": "oia.release.deemed_refusal",
		"msg": concat("", [
			"the decision of 2021-08-27 is 9 working day(s) after its time limit of 2021-08-16: a deemed ",
			concat("", [
				"refusal (s 28(4)); record the requester's agreement to the delay (request.delay)",
				" or decide within the limit",
			]),
		]),
		"details": {"citation": "28(4)", "working_days_late": 9, "due": "2021-08-16", "decided": "2021-08-27"},
	}}
}

test_success_deadline_in_time if {
	procedure.deadline == {
		"extension_effective": null, "final_due": "2021-08-16", "working_days_late": 0, "status": "on time",
	} with input as _ok
}

test_success_deadline_within_an_effective_extension if {
	procedure.deadline == {
		"extension_effective": true, "final_due": "2021-08-30", "working_days_late": 0, "status": "on time",
	} with input as _extended(_notice, "2021-08-27", 9, 0)
}

test_fail_deadline_with_an_extension_notified_late if {
	# The status the release records is the one the deemed-refusal rule applies: the
	# original limit, not the extended one the notice could no longer give (s 15A(3)).
	inp := _extended(object.union(_notice, {"notified": "2021-08-17"}), "2021-08-27", 9, 0)
	procedure.deadline == {
		"extension_effective": false, "final_due": "2021-08-16", "working_days_late": 9, "status": "late",
	} with input as inp
}

test_fail_deadline_with_an_extension_never_notified if {
	inp := _extended(object.remove(_notice, ["notified"]), "2021-08-27", 9, 0)
	procedure.deadline == {
		"extension_effective": false, "final_due": "2021-08-16", "working_days_late": 9, "status": "late",
	} with input as inp
}

test_fail_deadline_with_an_extension_for_no_reason_in_s15a if {
	inp := _extended(object.union(_notice, {"ground": "15A(1)(c)"}), "2021-08-27", 9, 0)
	procedure.deadline.extension_effective == false with input as inp
	procedure.deadline.final_due == "2021-08-16" with input as inp
}

test_fail_deadline_after_the_extended_limit if {
	procedure.deadline == {
		"extension_effective": true, "final_due": "2021-08-30", "working_days_late": 5, "status": "late",
	} with input as _extended(_notice, "2021-09-06", 14, 5)
}

test_fail_deadline_without_dates_is_null if {
	procedure.deadline == null with input as {}
	procedure.deadline == null with input as object.remove(_ok, ["deadline"])
}

test_fail_decision_after_the_extended_limit if {
	inp := _extended(_notice, "2021-09-06", 14, 5)
	r := procedure.deny with input as inp
	[x.details | some x in r] == [{
		"citation": "28(4)", "working_days_late": 5,
		"due": "2021-08-30", "decided": "2021-09-06",
	}]
}

test_fail_late_decision_the_requester_agreed_to_warns if {
	inp := object.union(_ok, {
		"request": {"delay": {"agreed_on": "2021-08-13"}},
		"deadline": {"decided": "2021-08-20", "working_days_after_due": 4},
	})
	procedure.deny == set() with input as inp
	r := procedure.warn with input as inp
	r == {{
		"id": "oia.release.decision_late",
		"msg": concat("", [
			"the decision of 2021-08-20 is 4 working day(s) after its time limit of 2021-08-16 (a deemed refusal, ",
			"s 28(4)); the requester agreed to the delay on 2021-08-13 and the letter acknowledges it",
		]),
		"details": {"citation": "28(4)", "working_days_late": 4, "due": "2021-08-16", "decided": "2021-08-20"},
	}}
}

test_fail_delay_recorded_for_a_decision_in_time if {
	inp := object.union(_ok, {"request": {"delay": {"agreed_on": "2021-08-13"}}})
	_ids(procedure.warn) == {"oia.release.delay_not_late"} with input as inp
}

test_fail_late_transfer_warns if {
	inp := object.union(_ok, {
		"request": {"transferred_from": true},
		"deadline": {"transfer_in_time": false, "transferred": "2021-07-19", "transfer_by": "2021-07-15"},
	})
	procedure.deny == set() with input as inp
	r := procedure.warn with input as inp
	r == {{
		"id": "oia.release.transfer_late",
		"msg": concat("", [
			"the request was transferred on 2021-07-19, after the s 14 limit of 2021-07-15; this agency's time ",
			"limit still runs from the transfer (2021-08-16)",
		]),
		"details": {"citation": "14", "transferred": "2021-07-19", "transfer_by": "2021-07-15"},
	}}
}

test_fail_transfer_without_transferor if {
	inp := object.union(_ok, {"deadline": {"transfer_in_time": true, "transferred": "2021-07-19"}})
	_ids(procedure.deny) == {"oia.release.transfer_unnamed"} with input as inp
}

test_success_standard_ombudsman_statement_says_what_s19_requires if {
	procedure.deny == set() with input as _ok
}

test_fail_ombudsman_statement_without_substance if {
	inp := object.union(_ok, {"letter": {"texts": {"ombudsman": "Please contact us if you have any questions."}}})
	r := procedure.deny with input as inp
	r == {{
		"id": "oia.release.ombudsman_statement_incomplete",
		"msg": concat("", [
			"the Ombudsman statement does not mention an investigation and review or a complaint, section 28(3), ",
			"the Ombudsman, the right to complain; it must tell the requester of the right to seek an ",
			"investigation and review by an Ombudsman under s 28(3) (s 19(b))",
		]),
		"details": {
			"citation": "19(b)",
			"missing": [
				"an investigation and review or a complaint", "section 28(3)",
				"the Ombudsman", "the right to complain",
			],
		},
	}}
}

test_fail_ombudsman_statement_without_section_28_3 if {
	text := "You have the right to ask the Ombudsman to review my decision."
	r := procedure.deny with input as object.union(_ok, {"letter": {"texts": {"ombudsman": text}}})
	[x.details.missing | some x in r] == [["section 28(3)"]]
}

test_success_own_ombudsman_statement_with_substance if {
	text := concat("", [
		"You are entitled to seek an investigation and review of my decision by the Ombudsman, ",
		"under section 28(3) of the Act.",
	])
	procedure.deny == set() with input as object.union(_ok, {"letter": {"texts": {"ombudsman": text}}})
}

test_fail_excerpts_without_the_reason_for_the_form if {
	inp := object.union(_ok, {"documents": [{"number": 1, "id": "x", "title": "X", "decision": "excerpts"}]})
	r := procedure.deny with input as inp
	r == {{
		"id": "oia.release.manner_reason_missing",
		"msg": concat("", [
			"information is released as excerpts, but the letter gives no reason it is not given in the way the ",
			"requester preferred (letter.manner, s 16(2), (3))",
		]),
		"details": {"citation": "16(3)"},
	}}
}

test_success_excerpts_with_a_reason if {
	inp := object.union(_ok, {
		"documents": [{"number": 1, "id": "x", "title": "X", "decision": "excerpts"}],
		"letter": {"manner": {"exception": "16(2)(a)"}},
	})
	procedure.deny == set() with input as inp
}

test_fail_manner_exception_outside_s16_2 if {
	inp := object.union(_ok, {"letter": {"manner": {"exception": "16(1)(e)"}}})
	r := procedure.deny with input as inp
	r == {{
		"id": "oia.release.manner_exception",
		"msg": "letter.manner cites 16(1)(e), which is not an exception in s 16(2)",
		"details": {"citation": "16(1)(e)"},
	}}
}

test_fail_deletions_not_stated if {
	inp := object.union(_ok, {"letter": {"statements": {"deletions": false}}})
	_ids(procedure.deny) == {"oia.release.deletions_not_stated"} with input as inp
}

test_success_no_deletions_statement_needed_without_deletions if {
	inp := object.union(_ok, {
		"documents": [{"number": 1, "id": "x", "title": "X", "decision": "released"}],
		"letter": {"statements": {"deletions": false}},
	})
	procedure.deny == set() with input as inp
}

test_fail_late_decision_without_a_delay_key_is_still_a_deemed_refusal if {
	inp := object.union(object.remove(_ok, ["request"]), {"deadline": {"working_days_after_due": 3}})
	_ids(procedure.deny) == {"oia.release.deemed_refusal"} with input as inp
}

test_fail_excerpts_without_a_manner_key if {
	inp := {
		"documents": [{"number": 1, "id": "x", "title": "X", "decision": "excerpts"}],
		"letter": {"statements": _statements},
	}
	_ids(procedure.deny) == {"oia.release.manner_reason_missing"} with input as inp
}
