# METADATA
# title: Neither confirm nor deny (OIA s 10)
# description: >-
#   Checks the answers that neither confirm nor deny that information exists
#   (s 10): a document so answered is recorded as neither_confirm_nor_deny, never
#   as refused or withheld (listing it would confirm it exists); each answer names
#   the interest in s 6, s 7 or s 9(2)(b) that disclosing whether the information
#   exists would be likely to prejudice; nothing attached to such a document is
#   shown; and s 10 is never given as a ground for withholding in the letter.
#   Input is the release as macip_gov.oia.release.policy_input builds it; results
#   are forwarded by oia.release.
package oia.release.neither_confirm_nor_deny

import data.lib.result
import data.oia.grounds

# The provisions the answer rests on (s 10 itself and the refusal under s 18(b)).
_reasons := {"10", "18(b)"}

_docs := {doc.number: doc | some doc in input.documents}

_keys := {doc.id: doc | some doc in input.documents}

_unconfirmed(doc) if doc.decision == "neither_confirm_nor_deny"

_label(doc) := sprintf("document %v (%v)", [doc.number, doc.title])

_violation(meta, msg, doc, g) := result.violation(
	meta, msg,
	{"document": doc.id, "number": doc.number, "citation": g, "line": 0},
)

_interests(grounds) := [g | some g in grounds; not g in _reasons]

# METADATA
# title: Document refused under s 10 by name
# description: >-
#   A document the release lists (refused, withheld or released) is confirmed to
#   exist; a document whose existence is neither confirmed nor denied is recorded
#   with the decision neither_confirm_nor_deny, which the release never shows.
# custom:
#   id: oia.release.s10_document_named
#   severity: error
#   authority: Official Information Act 1982 ss 10, 18(b)
deny contains v if {
	some doc in input.documents
	not _unconfirmed(doc)
	some g in doc.grounds
	g in _reasons
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"%v cites s %v but is recorded as %v, so the release would name it and confirm it",
				" exists; record it as neither_confirm_nor_deny",
			]),
			[_label(doc), g, doc.decision],
		),
		doc, g,
	)
}

# METADATA
# title: No interest for a s 10 answer
# description: >-
#   Neither confirming nor denying is allowed only where disclosing whether the
#   information exists would be likely to prejudice an interest protected by s 6,
#   s 7 or s 9(2)(b); the answer names that interest.
# custom:
#   id: oia.release.s10_interest_missing
#   severity: error
#   authority: Official Information Act 1982 s 10
deny contains v if {
	some doc in input.documents
	_unconfirmed(doc)
	count(_interests(object.get(doc, "grounds", []))) == 0
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"%v is neither confirmed nor denied, but names no interest in s 6, s 7 or s ",
				"9(2)(b) that disclosing its existence would prejudice",
			]),
			[_label(doc)],
		),
		doc, "10",
	)
}

# METADATA
# title: Interest s 10 does not protect
# description: >-
#   Section 10 protects only the interests in s 6, s 7 and s 9(2)(b); another
#   ground (s 9(2)(a), say) does not allow neither confirming nor denying.
# custom:
#   id: oia.release.s10_interest_not_protected
#   severity: error
#   authority: Official Information Act 1982 s 10
deny contains v if {
	some doc in input.documents
	_unconfirmed(doc)
	some g in _interests(doc.grounds)
	grounds.is_ground(g)
	not grounds.is_s10_interest(g)
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			"%v is neither confirmed nor denied under s %v; s 10 protects only the interests in s 6, s 7 and s 9(2)(b)",
			[_label(doc), g],
		),
		doc, g,
	)
}

# METADATA
# title: Interest s 10 does not protect, for a part of the request
# description: >-
#   A part of the request answered under s 10 rests on an interest in s 6, s 7 or
#   s 9(2)(b), and on nothing else.
# custom:
#   id: oia.release.s10_interest_not_protected
#   severity: error
#   authority: Official Information Act 1982 s 10
deny contains v if {
	some item in input.request.neither_confirm_nor_deny
	some g in _interests(item.interests)
	not grounds.is_s10_interest(g)
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"part %v of the request is neither confirmed nor denied under s %v; s 10 protects",
				" only the interests in s 6, s 7 and s 9(2)(b)",
			]),
			[item.part, g],
		),
		{"part": item.part, "citation": g},
	)
}

# METADATA
# title: No interest for a part of the request
# description: A part of the request answered under s 10 names the interest it protects.
# custom:
#   id: oia.release.s10_interest_missing
#   severity: error
#   authority: Official Information Act 1982 s 10
deny contains v if {
	some item in input.request.neither_confirm_nor_deny
	count(_interests(object.get(item, "interests", []))) == 0
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			"part %v of the request is neither confirmed nor denied, but names no interest in s 6, s 7 or s 9(2)(b)",
			[item.part],
		),
		{"part": item.part, "citation": "10"},
	)
}

# METADATA
# title: Attachment of a s 10 document shown
# description: >-
#   A document attached to one whose existence is neither confirmed nor denied is
#   answered the same way; listing the attachment would confirm its parent exists.
# custom:
#   id: oia.release.s10_attachment_shown
#   severity: error
#   authority: Official Information Act 1982 s 10
deny contains v if {
	some doc in input.documents
	parent := _keys[doc.attached_to]
	_unconfirmed(parent)
	not _unconfirmed(doc)
	v := _violation(
		rego.metadata.rule(),
		sprintf(
			"%v is attached to %v, which is neither confirmed nor denied; answer the attachment the same way",
			[_label(doc), _label(parent)],
		),
		doc, "10",
	)
}

# METADATA
# title: s 10 among the letter's grounds
# description: >-
#   The letter gives s 10 in its own statement (neither confirming nor denying,
#   the interest, the right to complain), never among the grounds for
#   withholding information from the documents released.
# custom:
#   id: oia.release.s10_in_letter_grounds
#   severity: error
#   authority: Official Information Act 1982 ss 10, 17, 19
deny contains v if {
	some g in input.letter.grounds
	g in _reasons
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			concat("", [
				"letter.grounds gives s %v as a ground for withholding; the letter states a s 10 ",
				"answer in its own paragraph",
			]),
			[g],
		),
		{"citation": g},
	)
}
