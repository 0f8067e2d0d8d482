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

import data.lib.result
import data.oia.grounds
import data.oia.release.neither_confirm_nor_deny as s10
import data.oia.release.procedure

_decisions := data.oia.release.decisions

# Every ground a withheld passage cites, with its document number and line,
# including markup nested inside another withheld passage.
_passage_citations contains {"document": doc.number, "ground": g, "line": span.line} if {
	some doc in input.documents
	some span in doc.spans
	span.kind == "withhold"
	some g in span.grounds
}

# Every ground a whole document cites (line 0: no line of its own).
_document_citations contains {"document": doc.number, "ground": g, "line": 0} if {
	some doc in input.documents
	some g in doc.grounds
}

_citations := _passage_citations | _document_citations

# Every ground a document relies on, with its document number: those its
# markers show (nested markup is absorbed by the outer marker) and those for the
# whole document.
_uses contains {"document": doc.number, "ground": g} if {
	some doc in input.documents
	some span in doc.spans
	span.kind == "withhold"
	not span.nested
	some g in span.grounds
}

_uses contains {"document": c.document, "ground": c.ground} if {
	some c in _document_citations
	not _is_unconfirmed(_docs[c.document])
}

# A document neither confirmed nor denied (s 10): the release never shows it.
_is_unconfirmed(doc) if doc.decision == "neither_confirm_nor_deny"

# The provisions a neither-confirm-nor-deny answer rests on; the other grounds it
# cites are the interests it protects.
_s10_reasons := {"10", "18(b)"}

_used contains u.ground if some u in _uses

_letter_grounds contains g if some g in input.letter.grounds

_docs := {doc.number: doc | some doc in input.documents}

_label(doc) := sprintf("document %v (%v)", [doc.number, doc.title])

# A result about one document: the rule's annotations, the message, the document,
# the ground cited (or null) and the line (0 when the result is not about a line).
_violation(meta, msg, doc, g, line) := result.violation(
	meta, msg,
	{"document": doc.id, "number": doc.number, "citation": g, "line": line},
)

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
	not grounds.is_ground(c.ground)
	doc := _docs[c.document]
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			"%v cites %v, which is not a ground of the Official Information Act 1982",
			[_label(doc), c.ground],
		),
		doc, c.ground, c.line,
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
	not grounds.is_ground(g)
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			"the decision letter relies on %v, which is not a ground of the Official Information Act 1982",
			[g],
		),
		{"citation": g},
	)
}

# METADATA
# title: Refusal ground used to withhold
# description: >-
#   Section 18 (and s 10) are reasons to refuse a request; a passage is withheld
#   under s 6, 7 or 9 (s 17), or under s 18(c)(i) or (ii) when an enactment or a
#   contempt bars releasing just that passage.
# custom:
#   id: oia.release.refusal_ground_withholds
#   severity: error
#   authority: Official Information Act 1982 ss 17, 18
deny contains v if {
	some c in _passage_citations
	grounds.is_refusal_ground(c.ground)
	not grounds.withholds_passages(c.ground)
	doc := _docs[c.document]
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			"%v withholds a passage (line %v) under s %v, a reason to refuse a request, not to withhold a passage",
			[_label(doc), c.line, c.ground],
		),
		doc, c.ground, c.line,
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
	grounds.is_refusal_ground(g)
	not g in _s10_reasons
	v := _violation(
		rego.metadata.rule(),
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
		rego.metadata.rule(),
		sprintf("%v is refused but cites no reason for refusal in s 18", [_label(doc)]),
		doc, null, 0,
	)
}

_has_refusal_ground(doc) if {
	some g in doc.grounds
	grounds.is_refusal_ground(g)
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
		rego.metadata.rule(),
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
		rego.metadata.rule(),
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
		rego.metadata.rule(),
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
		rego.metadata.rule(),
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
		rego.metadata.rule(),
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
	grounds.has_public_interest_test(u.ground)
	doc := _docs[u.document]
	not _public_interest_recorded(doc, u.ground)
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			"%v withholds under s %v but records no public-interest consideration (s 9(1))",
			[_label(doc), u.ground],
		),
		doc, u.ground, 0,
	)
}

# METADATA
# title: No public-interest consideration for s 27(1)(a)
# description: >-
#   Under s 27(1)(a), likely prejudice to the interests in s 9(2)(b) is a reason
#   to refuse only when no countervailing public interest outweighs it; those in
#   s 6(a) to (d) and s 7 need no weighing. The citation alone does not say which
#   interest is relied on, so the document records the consideration, or that the
#   interest is one that needs none.
# custom:
#   id: oia.release.part4_public_interest_missing
#   severity: error
#   authority: Official Information Act 1982 s 27(1)(a)
deny contains v if {
	some u in _uses
	grounds.public_interest_condition(u.ground)
	doc := _docs[u.document]
	not _public_interest_recorded(doc, u.ground)
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"%v withholds under s %v but records no public-interest consideration: for the interests in ",
				"s 9(2)(b) there must be no countervailing public interest (s 27(1)(a)); record the ",
				"consideration, or that the interest relied on is one in s 6(a) to (d) or s 7",
			]),
			[_label(doc), u.ground],
		),
		doc, u.ground, 0,
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
	grounds.is_ground(u.ground)
	not u.ground in _s10_reasons
	not u.ground in _letter_grounds
	doc := _docs[u.document]
	v := _violation(
		rego.metadata.rule(),
		sprintf("%v relies on s %v, which the decision letter does not give as a reason", [_label(doc), u.ground]),
		doc, u.ground, 0,
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
	grounds.has_public_interest_test(g)
	not _states("public_interest")
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			"s %v is a s 9 ground, but the decision letter does not say the public interest was considered (s 9(1))",
			[g],
		),
		{"citation": g},
	)
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
		rego.metadata.rule(),
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
	v := result.violation(
		rego.metadata.rule(),
		"the decision letter does not tell the requester of the right to complain to the Ombudsman (s 19(b))",
		{"citation": "19(b)"},
	)
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
	v := result.violation(rego.metadata.rule(), "the release names no documents", {})
}

# METADATA
# title: Deadline unknown
# description: The statutory time limit must be known for the release to be checked against it.
# custom:
#   id: oia.release.deadline_unknown
#   severity: error
#   authority: Official Information Act 1982 s 15(1)
deny contains v if {
	not is_object(procedure.deadline)
	v := result.violation(rego.metadata.rule(), "the release has no computed due date (s 15(1))", {})
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
	v := result.violation(
		rego.metadata.rule(),
		sprintf("the extension cites %v, which is not a reason for extension in s 15A(1)", [ext.ground]),
		{"citation": ext.ground},
	)
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
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			"the extension was notified on %v, after the original time limit of %v (s 15A(3))",
			[ext.notified, input.deadline.due],
		),
		{"citation": "15A(3)", "notified": ext.notified, "due": input.deadline.due},
	)
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
	children := grounds.sub_paragraphs(u.ground)
	doc := _docs[u.document]
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			"%v cites %v, which has sub-paragraphs (%v); cite the one relied on",
			[_label(doc), u.ground, concat(", ", children)],
		),
		doc, u.ground, 0,
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
	v := result.violation(
		rego.metadata.rule(),
		sprintf("the decision letter gives s %v as a reason, but no document relies on it", [g]),
		{"citation": g},
	)
}

# METADATA
# title: Part 4 reason in another request
# description: >-
#   The reasons in s 27 answer only a body corporate's request for personal
#   information about itself (Part 4, s 24); other requests rest on ss 6, 7, 9, 10
#   and 18.
# custom:
#   id: oia.release.part4_ground_outside_part4
#   severity: error
#   authority: Official Information Act 1982 ss 24, 27
deny contains v if {
	not _part4_request
	some c in _citations
	grounds.is_part4_ground(c.ground)
	doc := _docs[c.document]
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"%v cites s %v, a reason only for a body corporate's request for personal ",
				"information about itself (Part 4)",
			]),
			[_label(doc), c.ground],
		),
		doc, c.ground, c.line,
	)
}

# METADATA
# title: Part 2 ground in a Part 4 request
# description: >-
#   A body corporate's request for personal information about itself may be
#   refused only for a reason in s 27(1) (s 27(2)); the interests of ss 6, 7 and
#   9(2)(b) are relied on through s 27(1)(a).
# custom:
#   id: oia.release.part2_ground_in_part4
#   severity: error
#   authority: Official Information Act 1982 s 27(1), (2)
deny contains v if {
	_part4_request
	some c in _citations
	grounds.is_ground(c.ground)
	not grounds.is_part4_ground(c.ground)
	doc := _docs[c.document]
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			"%v cites s %v, but a Part 4 request may be refused only for a reason in s 27(1) (s 27(2))",
			[_label(doc), c.ground],
		),
		doc, c.ground, c.line,
	)
}

_part4_request if input.request.kind == "personal_information"

# METADATA
# title: s 18(c) without the enactment or order
# description: >-
#   Information withheld because releasing it would breach a specified enactment
#   (s 18(c)(i)) or be a contempt of court or of the House (s 18(c)(ii)) names the
#   enactment or the order in the manifest (documents[].prohibited_by).
# custom:
#   id: oia.release.prohibition_unnamed
#   severity: error
#   authority: Official Information Act 1982 s 18(c)
deny contains v if {
	some c in _citations
	c.ground in data.oia.grounds.passage_refusal_grounds
	doc := _docs[c.document]
	not c.ground in object.get(doc, "prohibited_by", [])
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			"%v relies on s %v but does not name the enactment or order it rests on (prohibited_by)",
			[_label(doc), c.ground],
		),
		doc, c.ground, c.line,
	)
}

# METADATA
# title: Neither confirm nor deny
# description: >-
#   The answers that neither confirm nor deny that information exists (s 10): the
#   results of oia.release.neither_confirm_nor_deny, each with its own id.
# custom:
#   forwards: oia.release.neither_confirm_nor_deny.deny
#   severity: error
#   authority: Official Information Act 1982 s 10
deny contains v if some v in s10.deny

# METADATA
# title: Procedure
# description: >-
#   The procedure checked on substance: extension notices, the time limit and
#   deemed refusal, transfer, the Ombudsman statement, the reason for excerpts and
#   the deletions statement (the results of oia.release.procedure, each with its own id).
# custom:
#   forwards: oia.release.procedure.deny
#   severity: error
#   authority: Official Information Act 1982 ss 14, 15A, 16, 17, 19, 28
deny contains v if some v in procedure.deny

# METADATA
# title: Procedure advice
# description: >-
#   Advice on the procedure: a long extension, a late decision the requester
#   agreed to, a late transfer (the results of oia.release.procedure, each with its own id).
# custom:
#   forwards: oia.release.procedure.warn
#   severity: warning
#   authority: Official Information Act 1982 ss 14, 15A, 28
warn contains v if some v in procedure.warn

# METADATA
# title: Decision
# description: >-
#   The release's violations (deny) and advice (warn); it may go out when deny is
#   empty. For the letter and schedule it also returns the record of every known
#   ground the release cites (grounds), the label of each document decision
#   (decision_labels), the standard wording of the letter's statements
#   (statements) and the time limit that binds and whether it was met (deadline).
decision := {
	"deny": deny,
	"warn": warn,
	"grounds": {g: record | some g in _cited; record := data.oia.grounds.grounds[g]},
	"decision_labels": {name: d.label | some name, d in _decisions},
	"statements": data.oia.release.statements,
	"deadline": procedure.deadline,
}

# Every ground the release cites: in a document (nested markup included), in a
# neither-confirm-nor-deny answer or in the letter.
_cited := ({c.ground | some c in _citations} | _letter_grounds) | _part_interests

_part_interests contains g if {
	some item in input.request.neither_confirm_nor_deny
	some g in item.interests
}
