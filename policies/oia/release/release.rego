# METADATA
# title: OIA release checks
# description: >-
#   Checks one Official Information Act release before it goes out: that every
#   ground used in the documents is a ground of the Act, is the right kind of
#   ground for the use it is put to, is weighed against the public interest where
#   s 9 requires it, and is explained in the decision letter; that the letter
#   says what the Act requires it to say; and that the decision met its time
#   limit. Input is the release as the manifest and the marked-up documents
#   describe it (see macip_gov.oia.release.policy_input).
package oia.release

_grounds := data.oia.grounds.grounds

_families := data.oia.grounds.families

_decisions := data.oia.release.decisions

# [document number, ground, line] for every ground a withheld passage cites,
# including markup nested inside another withheld passage (line 0 for grounds
# that apply to the whole document).
_passage_citations contains [doc.number, g, span.line] if {
	some doc in input.documents
	some span in doc.spans
	span.kind == "withhold"
	some g in span.grounds
}

_document_citations contains [doc.number, g, 0] if {
	some doc in input.documents
	some g in doc.grounds
}

_citations := _passage_citations | _document_citations

# [document number, ground] for every ground a document relies on: those its
# markers show (nested markup is absorbed by the outer marker) and those for the
# whole document.
_uses contains [doc.number, g] if {
	some doc in input.documents
	some span in doc.spans
	span.kind == "withhold"
	not span.nested
	some g in span.grounds
}

_uses contains [c[0], c[1]] if some c in _document_citations

_used contains u[1] if some u in _uses

_letter_grounds contains g if some g in input.letter.grounds

_docs := {doc.number: doc | some doc in input.documents}

_label(doc) := sprintf("document %v (%v)", [doc.number, doc.title])

_violation(id, msg, doc, g, line) := {
	"id": id,
	"msg": msg,
	"details": {"document": doc.id, "number": doc.number, "citation": g, "line": line},
}

_use(g) := _families[_grounds[g].family].use

_is_s9(g) if _grounds[g].public_interest_test == true

_states(name) if input.letter.statements[name] == true

_public_interest_recorded(doc, _) if doc.public_interest.all == true

_public_interest_recorded(doc, g) if g in doc.public_interest.grounds

_withholds(doc) if {
	some span in doc.spans
	span.kind == "withhold"
}

# METADATA
# title: Unknown ground
# description: Every ground cited in a document must be a ground the Act contains.
# custom:
#   id: oia.release.unknown_ground
#   severity: error
#   authority: Official Information Act 1982 ss 6, 7, 9, 18
deny contains v if {
	some c in _citations
	not _grounds[c[1]]
	doc := _docs[c[0]]
	v := _violation(
		"oia.release.unknown_ground",
		sprintf(
			"%v cites %v, which is not a ground of the Official Information Act 1982",
			[_label(doc), c[1]],
		),
		doc, c[1], c[2],
	)
}

# METADATA
# title: Unknown ground in the letter
# description: Every ground the decision letter relies on must be a ground the Act contains.
# custom:
#   id: oia.release.unknown_letter_ground
#   severity: error
#   authority: Official Information Act 1982 s 19(a)
deny contains v if {
	some g in _letter_grounds
	not _grounds[g]
	v := {
		"id": "oia.release.unknown_letter_ground",
		"msg": sprintf(
			"the decision letter relies on %v, which is not a ground of the Official Information Act 1982",
			[g],
		),
		"details": {"citation": g},
	}
}

# METADATA
# title: Refusal ground used to withhold
# description: >-
#   Section 18 (and s 10) are reasons to refuse a request; a passage or a whole
#   document is withheld under s 6, 7 or 9 (s 17).
# custom:
#   id: oia.release.refusal_ground_withholds
#   severity: error
#   authority: Official Information Act 1982 ss 17, 18
deny contains v if {
	some c in _passage_citations
	_use(c[1]) == "refuse"
	doc := _docs[c[0]]
	v := _violation(
		"oia.release.refusal_ground_withholds",
		sprintf(
			"%v withholds a passage (line %v) under s %v, a reason to refuse a request, not to withhold a passage",
			[_label(doc), c[2], c[1]],
		),
		doc, c[1], c[2],
	)
}

# METADATA
# title: Refusal ground used to withhold a whole document
# description: A document withheld in full rests on s 6, 7 or 9; a s 18 reason makes it a refusal.
# custom:
#   id: oia.release.refusal_ground_withholds
#   severity: error
#   authority: Official Information Act 1982 ss 17, 18
deny contains v if {
	some doc in input.documents
	doc.decision == "withheld_in_full"
	some g in doc.grounds
	_use(g) == "refuse"
	v := _violation(
		"oia.release.refusal_ground_withholds",
		sprintf(
			"%v is withheld in full under s %v, a reason to refuse a request; record it as refused",
			[_label(doc), g],
		),
		doc, g, 0,
	)
}

# METADATA
# title: Refusal without a refusal ground
# description: A document refused must rest on a reason in s 18 (or s 10).
# custom:
#   id: oia.release.refused_without_refusal_ground
#   severity: error
#   authority: Official Information Act 1982 s 18
deny contains v if {
	some doc in input.documents
	doc.decision == "refused"
	not _has_refusal_ground(doc)
	v := _violation(
		"oia.release.refused_without_refusal_ground",
		sprintf("%v is refused but cites no reason for refusal in s 18", [_label(doc)]),
		doc, null, 0,
	)
}

_has_refusal_ground(doc) if {
	some g in doc.grounds
	_use(g) == "refuse"
}

# METADATA
# title: Withheld in full without a ground
# description: A document withheld in full needs the ground it is withheld under (s 19(a)(i)).
# custom:
#   id: oia.release.withheld_without_ground
#   severity: error
#   authority: Official Information Act 1982 s 19(a)(i)
deny contains v if {
	some doc in input.documents
	doc.decision == "withheld_in_full"
	count(object.get(doc, "grounds", [])) == 0
	v := _violation(
		"oia.release.withheld_without_ground",
		sprintf("%v is withheld in full but cites no ground", [_label(doc)]),
		doc, null, 0,
	)
}

# METADATA
# title: Document grounds on a released document
# description: >-
#   Grounds for a whole document belong to documents withheld in full or refused;
#   a released document's grounds are those of its withheld passages.
# custom:
#   id: oia.release.document_grounds_on_release
#   severity: error
#   authority: Official Information Act 1982 s 17
deny contains v if {
	some doc in input.documents
	_decisions[doc.decision].whole_document_grounds == "none"
	some g in doc.grounds
	v := _violation(
		"oia.release.document_grounds_on_release",
		sprintf(
			"%v is %v, so it cannot cite %v for the whole document; mark the withheld passages instead",
			[_label(doc), lower(_decisions[doc.decision].label), g],
		),
		doc, g, 0,
	)
}

# METADATA
# title: Unknown decision
# description: Each document's decision must be one the release knows.
# custom:
#   id: oia.release.unknown_decision
#   severity: error
#   authority: Official Information Act 1982 ss 16, 17, 18
deny contains v if {
	some doc in input.documents
	not _decisions[doc.decision]
	v := _violation(
		"oia.release.unknown_decision",
		sprintf("%v has an unknown decision %v", [_label(doc), doc.decision]),
		doc, null, 0,
	)
}

# METADATA
# title: Released in full but passages withheld
# description: A document released in full withholds nothing.
# custom:
#   id: oia.release.decision_mismatch
#   severity: error
#   authority: Official Information Act 1982 s 17
deny contains v if {
	some doc in input.documents
	_decisions[doc.decision].withholds_passages == "none"
	_withholds(doc)
	v := _violation(
		"oia.release.decision_mismatch",
		sprintf("%v is marked released in full but withholds passages; mark it released in part", [_label(doc)]),
		doc, null, 0,
	)
}

# METADATA
# title: Released in part but nothing withheld
# description: A document released in part withholds at least one passage.
# custom:
#   id: oia.release.decision_mismatch
#   severity: error
#   authority: Official Information Act 1982 s 17
deny contains v if {
	some doc in input.documents
	_decisions[doc.decision].withholds_passages == "required"
	not _withholds(doc)
	v := _violation(
		"oia.release.decision_mismatch",
		sprintf("%v is marked released in part but withholds no passage; mark it released in full", [_label(doc)]),
		doc, null, 0,
	)
}

# METADATA
# title: No public-interest consideration for an s 9 ground
# description: >-
#   A s 9 ground is good reason to withhold only if the need to withhold is not
#   outweighed by the public interest in release; the consideration must be recorded.
# custom:
#   id: oia.release.public_interest_missing
#   severity: error
#   authority: Official Information Act 1982 s 9(1)
deny contains v if {
	some u in _uses
	_is_s9(u[1])
	doc := _docs[u[0]]
	not _public_interest_recorded(doc, u[1])
	v := _violation(
		"oia.release.public_interest_missing",
		sprintf(
			"%v withholds under s %v but records no public-interest consideration (s 9(1))",
			[_label(doc), u[1]],
		),
		doc, u[1], 0,
	)
}

# METADATA
# title: Ground used but not in the letter
# description: The requester must be told the reason for every deletion (ss 17, 19(a)(i)).
# custom:
#   id: oia.release.ground_not_in_letter
#   severity: error
#   authority: Official Information Act 1982 ss 17, 19(a)(i)
deny contains v if {
	some u in _uses
	_grounds[u[1]]
	not u[1] in _letter_grounds
	doc := _docs[u[0]]
	v := _violation(
		"oia.release.ground_not_in_letter",
		sprintf("%v relies on s %v, which the decision letter does not give as a reason", [_label(doc), u[1]]),
		doc, u[1], 0,
	)
}

# METADATA
# title: No s 9(1) statement
# description: When s 9 grounds are relied on, the letter says the public interest was weighed (s 9(1)).
# custom:
#   id: oia.release.public_interest_statement_missing
#   severity: error
#   authority: Official Information Act 1982 s 9(1)
deny contains v if {
	some g in _used
	_is_s9(g)
	not _states("public_interest")
	v := {
		"id": "oia.release.public_interest_statement_missing",
		"msg": sprintf(
			"s %v is a s 9 ground, but the decision letter does not say the public interest was considered (s 9(1))",
			[g],
		),
		"details": {"citation": g},
	}
}

# METADATA
# title: Excerpts released without saying so
# description: Information given as an excerpt or summary under s 16(1)(e) must be described as such (s 16(3)).
# custom:
#   id: oia.release.excerpts_not_stated
#   severity: error
#   authority: Official Information Act 1982 s 16(1)(e), (3)
deny contains v if {
	some doc in input.documents
	doc.decision == "excerpts"
	not _states("excerpts")
	v := _violation(
		"oia.release.excerpts_not_stated",
		sprintf(
			"%v is released as excerpts, but the decision letter does not say so (s 16(1)(e))",
			[_label(doc)],
		),
		doc, "16(1)(e)", 0,
	)
}

# METADATA
# title: No Ombudsman statement
# description: The letter must tell the requester of the right to complain to the Ombudsman (s 19(b)).
# custom:
#   id: oia.release.no_ombudsman_statement
#   severity: error
#   authority: Official Information Act 1982 ss 19(b), 28(3)
deny contains v if {
	not _states("ombudsman")
	v := {
		"id": "oia.release.no_ombudsman_statement",
		"msg": "the decision letter does not tell the requester of the right to complain to the Ombudsman (s 19(b))",
		"details": {"citation": "19(b)"},
	}
}

# METADATA
# title: No documents
# description: A release names at least one document.
# custom:
#   id: oia.release.no_documents
#   severity: error
#   authority: Official Information Act 1982 s 15(1)
deny contains v if {
	count(object.get(input, "documents", [])) == 0
	v := {"id": "oia.release.no_documents", "msg": "the release names no documents", "details": {}}
}

# METADATA
# title: Deadline unknown
# description: The statutory time limit must be known for the release to be checked against it.
# custom:
#   id: oia.release.deadline_unknown
#   severity: error
#   authority: Official Information Act 1982 s 15(1)
deny contains v if {
	not input.deadline.final_due
	v := {
		"id": "oia.release.deadline_unknown",
		"msg": "the release has no computed due date (s 15(1))",
		"details": {},
	}
}

# METADATA
# title: Unknown extension ground
# description: A time limit may be extended only for a reason in s 15A(1).
# custom:
#   id: oia.release.extension_ground
#   severity: error
#   authority: Official Information Act 1982 s 15A(1)
deny contains v if {
	ext := input.request.extension
	is_object(ext)
	not data.oia.release.extension_grounds[ext.ground]
	v := {
		"id": "oia.release.extension_ground",
		"msg": sprintf("the extension cites %v, which is not a reason for extension in s 15A(1)", [ext.ground]),
		"details": {"citation": ext.ground},
	}
}

# METADATA
# title: Extension notified late
# description: Notice of an extension must be given within the original time limit (s 15A(3)).
# custom:
#   id: oia.release.extension_notice_late
#   severity: error
#   authority: Official Information Act 1982 s 15A(3)
deny contains v if {
	ext := input.request.extension
	is_string(ext.notified)
	ext.notified > input.deadline.due
	v := {
		"id": "oia.release.extension_notice_late",
		"msg": sprintf(
			"the extension was notified on %v, after the original time limit of %v (s 15A(3))",
			[ext.notified, input.deadline.due],
		),
		"details": {"citation": "15A(3)", "notified": ext.notified, "due": input.deadline.due},
	}
}

# METADATA
# title: Parent-only citation
# description: >-
#   A parent such as 9(2)(g) is a valid citation, but the statute has
#   sub-paragraphs and the requester is owed the precise one.
# custom:
#   id: oia.release.parent_only
#   severity: warning
#   authority: Official Information Act 1982 s 19(a)(ii)
warn contains v if {
	some u in _uses
	children := _grounds[u[1]].children
	count(children) > 0
	doc := _docs[u[0]]
	v := _violation(
		"oia.release.parent_only",
		sprintf(
			"%v cites %v, which has sub-paragraphs (%v); cite the one relied on",
			[_label(doc), u[1], concat(", ", children)],
		),
		doc, u[1], 0,
	)
}

# METADATA
# title: Letter ground used nowhere
# description: The letter gives a reason no document relies on.
# custom:
#   id: oia.release.letter_ground_unused
#   severity: warning
#   authority: Official Information Act 1982 s 19(a)(i)
warn contains v if {
	some g in _letter_grounds
	not g in _used
	v := {
		"id": "oia.release.letter_ground_unused",
		"msg": sprintf("the decision letter gives s %v as a reason, but no document relies on it", [g]),
		"details": {"citation": g},
	}
}

# METADATA
# title: Decision after the due date
# description: The decision was made after the time limit (a deemed refusal, s 28(4)).
# custom:
#   id: oia.release.decision_late
#   severity: warning
#   authority: Official Information Act 1982 ss 15(1), 15A, 28(4)
warn contains v if {
	late := input.deadline.working_days_late
	late > 0
	v := {
		"id": "oia.release.decision_late",
		"msg": sprintf(
			"the decision of %v is %v working day(s) after the due date of %v",
			[input.deadline.decided, late, input.deadline.final_due],
		),
		"details": {
			"citation": "15(1)", "working_days_late": late,
			"due": input.deadline.final_due, "decided": input.deadline.decided,
		},
	}
}

# METADATA
# title: Transfer after its time limit
# description: A request is transferred within 10 working days of receipt (s 14).
# custom:
#   id: oia.release.transfer_late
#   severity: warning
#   authority: Official Information Act 1982 s 14
warn contains v if {
	input.deadline.transfer_in_time == false
	v := {
		"id": "oia.release.transfer_late",
		"msg": sprintf(
			"the request was transferred on %v, after the s 14 limit of %v",
			[input.deadline.transferred, input.deadline.transfer_by],
		),
		"details": {
			"citation": "14",
			"transferred": input.deadline.transferred, "transfer_by": input.deadline.transfer_by,
		},
	}
}

# METADATA
# title: Decision
# description: The release's violations (deny) and advice (warn); it may go out when deny is empty.
decision := {"deny": deny, "warn": warn}
