# METADATA
# title: OIA release procedure
# description: >-
#   Checks the procedure of one Official Information Act release on substance:
#   an extension of the time limit notified in time and saying what s 15A(4)
#   requires, and no longer than is reasonable; a decision made within its limit
#   (otherwise a deemed refusal, s 28(4)); a transfer within 10 working days
#   (s 14); a letter that tells the requester of the right to seek a review under
#   s 28(3), gives the reason excerpts were given rather than the information in
#   the way preferred (s 16(2), (3)) and says that information was deleted (s 17).
#   Input is the release as macip_gov.oia.release.policy_input builds it; results
#   are forwarded by oia.release.
package oia.release.procedure

import data.lib.result


_extension := input.request.extension

_has_extension if is_object(_extension)

_notified if is_string(_extension.notified)

_delay_agreed if is_object(input.request.delay)

_manner_given if is_object(input.letter.manner)

# An extension has effect when it rests on a reason in s 15A(1) and its notice was
# given within the original time limit (s 15A(3)); otherwise the original limit binds.
_extension_effective if {
	data.oia.release.extension_grounds[_extension.ground]
	is_string(_extension.notified)
	_extension.notified <= input.deadline.due
	is_string(input.deadline.extended_due)
}

_extension_effect := true if _extension_effective

_extension_effect := false if {
	_has_extension
	not _extension_effective
}

_extension_effect := null if not _has_extension

# Working days after the limit that binds: the extended one when the extension has
# effect, the original one otherwise.
_working_days_late := input.deadline.working_days_after_extended_due if _extension_effective

_working_days_late := input.deadline.working_days_after_due if not _extension_effective

_limit := input.deadline.extended_due if _extension_effective

_limit := input.deadline.due if not _extension_effective

_status := "late" if _working_days_late > 0

_status := "on time" if _working_days_late == 0

# METADATA
# title: Binding time limit
# description: >-
#   The time limit that binds the decision and whether the decision met it: the
#   extended limit when the extension has effect (a reason in s 15A(1), notice given
#   within the original limit, s 15A(3)), the s 15(1) limit otherwise. The release
#   record, the check's report and the letter show this computation; null when the
#   input lacks the dates it needs.
default deadline := null

deadline := {
	"extension_effective": _extension_effect,
	"final_due": _limit,
	"working_days_late": _working_days_late,
	"status": _status,
}

_statement_made(name) if input.letter.statements[name] == true

_statement_text(name) := input.letter.texts[name]

_statement_text(name) := data.oia.release.statements[name] if not input.letter.texts[name]

_has_decision(name) if {
	some doc in input.documents
	doc.decision == name
}

# METADATA
# title: Extension never notified
# description: >-
#   An extension has effect only when notice of it is given or posted to the
#   requester within the original time limit (s 15A(3)); the manifest must record
#   the day it was given.
# custom:
#   id: oia.release.extension_not_notified
#   severity: error
#   authority: Official Information Act 1982 s 15A(3)
deny contains v if {
	_has_extension
	not _notified
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"the extension of %v working days records no day its notice was given; without ",
				"notice within the original limit of %v it has no effect (s 15A(3))",
			]),
			[_extension.working_days, input.deadline.due],
		),
		{"citation": "15A(3)", "due": input.deadline.due},
	)
}

# METADATA
# title: Extension notice gives no reason
# description: The notice of an extension must give the reasons for it (s 15A(4)(b)).
# custom:
#   id: oia.release.extension_notice_incomplete
#   severity: error
#   authority: Official Information Act 1982 ss 15A(4), 28(3)
deny contains v if {
	_has_extension
	not _extension.reason_given
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"the extension notice under s %v records no reason in words; the notice must give",
				" the reasons (s 15A(4)(b))",
			]),
			[_extension.ground],
		),
		{"citation": "15A(4)(b)"},
	)
}

# METADATA
# title: Extension notice does not tell of the right to complain
# description: >-
#   The notice of an extension must tell the requester of the right to complain
#   to an Ombudsman about it under s 28(3) (s 15A(4)(c)).
# custom:
#   id: oia.release.extension_notice_incomplete
#   severity: error
#   authority: Official Information Act 1982 ss 15A(4), 28(3)
deny contains v if {
	_has_extension
	not _extension.complaint_right == true
	v := result.violation(
		rego.metadata.rule(),
		concat("", [
			"the extension notice does not record that it told the requester of the right to ",
			"complain to an Ombudsman about the extension (s 15A(4)(c))",
		]),
		{"citation": "15A(4)(c)"},
	)
}

# METADATA
# title: Extension longer than the review threshold
# description: >-
#   An extension must be for a reasonable period (s 15A(2)); one longer than the
#   threshold set for its reason (data.oia.release.extension_review_after) is
#   flagged so that the decision maker can record why the period is reasonable.
# custom:
#   id: oia.release.extension_long
#   severity: warning
#   authority: Official Information Act 1982 s 15A(2)
warn contains v if {
	_has_extension
	threshold := data.oia.release.extension_review_after.working_days[_extension.ground]
	_extension.working_days > threshold
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"the extension of %v working days under s %v is longer than the %v working days ",
				"set for review; record why the period is reasonable (s 15A(2))",
			]),
			[_extension.working_days, _extension.ground, threshold],
		),
		{
			"citation": "15A(2)", "working_days": _extension.working_days, "threshold": threshold,
			"source": data.oia.release.extension_review_after.source,
		},
	)
}

# METADATA
# title: Decision after its time limit
# description: >-
#   A request not decided within its time limit (as extended, when the extension
#   has effect) is deemed refused (s 28(4)); the release is blocked unless the
#   manifest records that the requester agreed to the later decision, which the
#   letter then acknowledges.
# custom:
#   id: oia.release.deemed_refusal
#   severity: error
#   authority: Official Information Act 1982 ss 15(1), 15A, 28(4)
deny contains v if {
	_working_days_late > 0
	not _delay_agreed
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"the decision of %v is %v working day(s) after its time limit of %v: a deemed ",
				"refusal (s 28(4)); record the requester's agreement to the delay (request.delay)",
				" or decide within the limit",
			]),
			[input.deadline.decided, _working_days_late, _limit],
		),
		{
			"citation": "28(4)", "working_days_late": _working_days_late,
			"due": _limit, "decided": input.deadline.decided,
		},
	)
}

# METADATA
# title: Late decision the requester agreed to
# description: >-
#   A decision after its time limit is still a deemed refusal (s 28(4)) even when
#   the requester agreed to wait; the letter acknowledges the delay.
# custom:
#   id: oia.release.decision_late
#   severity: warning
#   authority: Official Information Act 1982 ss 15(1), 15A, 28(4)
warn contains v if {
	_working_days_late > 0
	_delay_agreed
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"the decision of %v is %v working day(s) after its time limit of %v (a deemed ",
				"refusal, s 28(4)); the requester agreed to the delay on %v and the letter ",
				"acknowledges it",
			]),
			[input.deadline.decided, _working_days_late, _limit, input.request.delay.agreed_on],
		),
		{
			"citation": "28(4)", "working_days_late": _working_days_late,
			"due": _limit, "decided": input.deadline.decided,
		},
	)
}

# METADATA
# title: Delay recorded for a decision in time
# description: A delay is recorded only for a decision made after its time limit.
# custom:
#   id: oia.release.delay_not_late
#   severity: warning
#   authority: Official Information Act 1982 s 28(4)
warn contains v if {
	_delay_agreed
	_working_days_late == 0
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"request.delay is recorded, but the decision of %v is within its time limit of ",
				"%v; the letter would apologise for a delay that did not happen",
			]),
			[input.deadline.decided, _limit],
		),
		{"citation": "28(4)"},
	)
}

# METADATA
# title: Transfer after its time limit
# description: >-
#   A request is transferred promptly and within 10 working days of its receipt
#   (s 14); the transferee's own 20 working days run from the day it received the
#   request on transfer.
# custom:
#   id: oia.release.transfer_late
#   severity: warning
#   authority: Official Information Act 1982 s 14
warn contains v if {
	input.deadline.transfer_in_time == false
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"the request was transferred on %v, after the s 14 limit of %v; this agency's ",
				"time limit still runs from the transfer (%v)",
			]),
			[input.deadline.transferred, input.deadline.transfer_by, input.deadline.due],
		),
		{
			"citation": "14",
			"transferred": input.deadline.transferred, "transfer_by": input.deadline.transfer_by,
		},
	)
}

# METADATA
# title: Transfer without its transferor
# description: The letter names who transferred the request (s 14).
# custom:
#   id: oia.release.transfer_unnamed
#   severity: error
#   authority: Official Information Act 1982 s 14
deny contains v if {
	is_string(input.deadline.transferred)
	not input.request.transferred_from == true
	v := result.violation(
		rego.metadata.rule(),
		"the request was received on transfer, but the manifest does not say from whom (request.transferred_from)",
		{"citation": "14"},
	)
}

# METADATA
# title: Ombudsman statement incomplete
# description: >-
#   The letter must tell the requester of the right, under s 28(3), to seek an
#   investigation and review by an Ombudsman (s 19(b)); a statement is checked on
#   what it says, element by element (data.oia.release.ombudsman_statement_elements).
# custom:
#   id: oia.release.ombudsman_statement_incomplete
#   severity: error
#   authority: Official Information Act 1982 ss 19(b), 28(3)
deny contains v if {
	_statement_made("ombudsman")
	text := _statement_text("ombudsman")
	missing := [what |
		some what, pattern in data.oia.release.ombudsman_statement_elements
		not regex.match(pattern, text)
	]
	count(missing) > 0
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"the Ombudsman statement does not mention %v; it must tell the requester of the ",
				"right to seek an investigation and review by an Ombudsman under s 28(3) (s ",
				"19(b))",
			]),
			[concat(", ", sort(missing))],
		),
		{"citation": "19(b)", "missing": sort(missing)},
	)
}

# METADATA
# title: Excerpts without the reason for the form
# description: >-
#   Information is given in the way the requester preferred unless an exception
#   in s 16(2) applies; when excerpts are given instead, the letter gives the
#   reason (s 16(3)) and the manifest names the exception (letter.manner).
# custom:
#   id: oia.release.manner_reason_missing
#   severity: error
#   authority: Official Information Act 1982 s 16(2), (3)
deny contains v if {
	_has_decision("excerpts")
	not _manner_given
	v := result.violation(
		rego.metadata.rule(),
		concat("", [
			"information is released as excerpts, but the letter gives no reason it is not ",
			"given in the way the requester preferred (letter.manner, s 16(2), (3))",
		]),
		{"citation": "16(3)"},
	)
}

# METADATA
# title: Unknown exception to the preferred form
# description: The reason for not using the preferred form must be an exception in s 16(2).
# custom:
#   id: oia.release.manner_exception
#   severity: error
#   authority: Official Information Act 1982 s 16(2)
deny contains v if {
	exception := input.letter.manner.exception
	not data.oia.release.manner_exceptions[exception]
	v := result.violation(
		rego.metadata.rule(),
		sprintf("letter.manner cites %v, which is not an exception in s 16(2)", [exception]),
		{"citation": exception},
	)
}

# METADATA
# title: Deletions not stated
# description: >-
#   A document released with information deleted is released under s 17, and the
#   letter says so and gives the reason for each deletion.
# custom:
#   id: oia.release.deletions_not_stated
#   severity: error
#   authority: Official Information Act 1982 ss 17, 19(a)
deny contains v if {
	_has_decision("released_in_part")
	not _statement_made("deletions")
	v := result.violation(
		rego.metadata.rule(),
		concat("", [
			"documents are released with information deleted, but the letter does not say so ",
			"(letter.statements.deletions, s 17)",
		]),
		{"citation": "17"},
	)
}
