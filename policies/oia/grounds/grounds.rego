# METADATA
# title: OIA withholding and refusal grounds
# description: >-
#   Validates citations of Official Information Act 1982 grounds against the
#   statute's grounds (data.oia.grounds). Input is a list of canonical ground ids
#   and the use they are put to: "withhold" (a passage is redacted) or "refuse"
#   (a whole request or document is refused).
package oia.grounds

import data.lib.result

# METADATA
# title: Cited grounds
# description: The ground records the input names, in input order, each with its id.
cited := [g |
	some id in input.grounds
	g := object.union(data.oia.grounds.grounds[id], {"id": id})
]

# METADATA
# title: Unknown ground
# description: A citation must name a ground the Act actually contains.
# custom:
#   id: oia.grounds.unknown
#   severity: error
#   authority: Official Information Act 1982 ss 6, 7, 9, 10, 18
deny contains v if {
	some id in input.grounds
	not is_ground(id)
	v := result.violation(
		rego.metadata.rule(),
		sprintf("%v is not a withholding or refusal ground of the Official Information Act 1982", [id]),
		{"ground": id},
	)
}

# METADATA
# title: No ground given
# description: Withholding or refusing needs at least one ground (s 19(a)(i) requires a reason).
# custom:
#   id: oia.grounds.missing
#   severity: error
#   authority: Official Information Act 1982 s 19(a)(i)
deny contains v if {
	not _has_grounds
	v := result.violation(rego.metadata.rule(), "no ground was given", {})
}

# METADATA
# title: Refusal ground used to redact
# description: >-
#   Section 10 and s 18 are reasons to refuse a request, not to delete a passage;
#   a redaction rests on a s 6, 7 or 9 ground (s 17), on s 18(c)(i) or (ii) (a
#   passage an enactment forbids releasing or whose release would be a contempt),
#   or, in a Part 4 request, on a s 27(1) reason.
# custom:
#   id: oia.grounds.refusal_used_to_withhold
#   severity: error
#   authority: Official Information Act 1982 ss 10, 17, 18
deny contains v if {
	not _is_refusal_use
	some id in input.grounds
	is_refusal_ground(id)
	not withholds_passages(id)
	v := result.violation(
		rego.metadata.rule(),
		sprintf("s %v is a reason to refuse a request, not to withhold a passage", [id]),
		{"ground": id},
	)
}

# METADATA
# title: Parent-only citation
# description: >-
#   A parent such as 9(2)(g) is a valid citation, but the statute has
#   sub-paragraphs and the requester is owed the precise one.
# custom:
#   id: oia.grounds.parent_only
#   severity: warning
#   authority: Official Information Act 1982 s 19(a)(ii)
warn contains v if {
	some id in input.grounds
	children := sub_paragraphs(id)
	v := result.violation(
		rego.metadata.rule(),
		sprintf("%v has sub-paragraphs (%v); cite the one relied on", [id, concat(", ", children)]),
		{"ground": id, "children": children},
	)
}

# METADATA
# title: Part 4 reason outside a Part 4 request
# description: >-
#   The s 27 reasons answer only a body corporate's request for personal
#   information about itself (Part 4, s 24); any other request is answered under
#   ss 6, 7, 9, 10 and 18.
# custom:
#   id: oia.grounds.part4_only
#   severity: warning
#   authority: Official Information Act 1982 ss 24, 27
warn contains v if {
	not _is_part4_request
	some id in input.grounds
	is_part4_ground(id)
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			"s %v answers only a body corporate's request for personal information about itself (Part 4, s 24)",
			[id],
		),
		{"ground": id},
	)
}

# METADATA
# title: Decision
# description: >-
#   The validated grounds, the family of each (title and use, for describing
#   them), and any deny and warn results.
decision := {
	"grounds": cited,
	"families": {g.family: data.oia.grounds.families[g.family] | some g in cited},
	"public_interest_test": _public_interest_test,
	"deny": deny,
	"warn": warn,
}

# METADATA
# title: Known ground
# description: True when the id is a withholding or refusal ground of the Act (data.oia.grounds.grounds).
is_ground(id) if data.oia.grounds.grounds[id]

# METADATA
# title: Refusal ground
# description: >-
#   True when the ground is a reason to refuse a request (s 10 or s 18), not to
#   withhold information (undefined for an unknown ground).
is_refusal_ground(id) if data.oia.grounds.families[data.oia.grounds.grounds[id].family].use == "refuse"

# METADATA
# title: May withhold a passage
# description: >-
#   True when the ground may withhold a single passage: a s 6, 7, 9 or s 27(1)
#   withholding ground, or a refusal reason listed in passage_refusal_grounds
#   (s 18(c)(i) and (ii)).
withholds_passages(id) if data.oia.grounds.families[data.oia.grounds.grounds[id].family].use == "withhold"

withholds_passages(id) if id in data.oia.grounds.passage_refusal_grounds

# METADATA
# title: Part 4 ground
# description: >-
#   True when the ground answers only a body corporate's request for personal
#   information about itself (OIA Part 4, s 27).
is_part4_ground(id) if {
	family := data.oia.grounds.families[data.oia.grounds.grounds[id].family]
	family.requests == "personal_information"
}

# METADATA
# title: Interest that allows neither confirming nor denying
# description: >-
#   True when prejudice to the ground's interest by disclosing whether
#   information exists allows the agency to neither confirm nor deny it (s 10:
#   the interests in s 6, s 7 and s 9(2)(b)).
is_s10_interest(id) if id in data.oia.grounds.neither_confirm_nor_deny_interests

# METADATA
# title: Public interest test
# description: True when withholding under the ground is subject to the public interest test in s 9(1).
has_public_interest_test(id) if data.oia.grounds.grounds[id].public_interest_test == true

# METADATA
# title: Public interest test for some interests
# description: >-
#   The ground's own public-interest test where it applies only to some of the
#   interests the ground protects (s 27(1)(a): the interests in s 9(2)(b), not
#   those in s 6(a) to (d) or s 7); undefined for any other ground.
public_interest_condition(id) := condition if {
	condition := data.oia.grounds.grounds[id].public_interest_condition
	is_string(condition)
}

# METADATA
# title: Sub-paragraphs of a parent ground
# description: >-
#   The sub-paragraphs of a ground the statute divides further, in statute order;
#   undefined for any other ground. Citing such a parent alone is a parent-only citation.
sub_paragraphs(id) := children if {
	children := data.oia.grounds.grounds[id].children
	count(children) > 0
}

_has_grounds if count(input.grounds) > 0

_is_refusal_use if input.use == "refuse"

_is_part4_request if input.request == "personal_information"

default _public_interest_test := false

_public_interest_test if {
	some g in cited
	g.public_interest_test
}
