# METADATA
# title: MACIP disclosure decision
# description: >-
#   One decision document per disclosure request (data.sharing.decision.result), in two
#   verdicts and one outcome. legal (privacy.legal) is the law's answer on the facts:
#   required, permitted, prohibited or uncertain, with its basis. programme
#   (sharing.programme) is MACIP's own control: an approved PIA flow, a sharing-matrix
#   route, proportionality. urgent is a serious threat that may be realised imminently.
#   The outcome is the row of the outcome table (sharing.outcome) that applies. Wording
#   beyond the findings is kept out of this document: the explanation
#   (data.sharing.decision.explanation) adds it when asked.
package sharing.decision

import data.lib.result
import data.privacy.facts
import data.privacy.hipc
import data.privacy.ipp11
import data.privacy.legal
import data.sharing.agencies
import data.sharing.decision.messages
import data.sharing.flows
import data.sharing.matrix
import data.sharing.outcome as outcome_table
import data.sharing.programme
import data.sharing.proportionality

# METADATA
# title: Request incomplete
# description: A request missing a field the decision needs is denied, never assumed.
# custom:
#   id: sharing.decision.incomplete
#   severity: deny
#   authority: Privacy Act 2020 s22 IPP 11(1) (belief on reasonable grounds needs the facts)
deny contains v if {
	facts.request.complete == false
	missing := sort(facts.missing)
	v := result.violation(
		rego.metadata.rule(),
		sprintf(messages.incomplete, [concat(", ", missing)]),
		{"missing": missing},
	)
}

# METADATA
# title: Unknown agency
# description: >-
#   The sender and the recipient must each be a MACIP member agency or a community
#   provider: one finding for each that is not.
# custom:
#   id: sharing.decision.unknown_agency
#   severity: deny
#   authority: MACIP operating protocol
deny contains v if {
	situation.complete == false # settled once for the situation; a complete request with known agencies stops here
	facts.request.complete
	some field in _unknown_agencies
	v := _unknown_agency(rego.metadata.rule(), field)
}

# METADATA
# title: No lawful basis under IPP 11
# description: >-
#   Prohibited: the categories IPP 11 governs have no IPP 11(1) exception that holds and
#   no enactment authorises the disclosure (Privacy Act 2020 s24).
# custom:
#   id: privacy.ipp11.no_exception
#   severity: deny
#   authority: Privacy Act 2020 s22 IPP 11(1)
deny contains v if {
	_row.id == "prohibited"
	legal.general != set() # sets compared with the empty set rather than counted
	ipp11.holds == set()
	categories := sort(legal.general)
	v := result.violation(
		rego.metadata.rule(),
		sprintf(messages.no_ipp11, [concat(", ", categories)]),
		{"categories": categories},
	)
}

# METADATA
# title: No lawful basis under the Health Information Privacy Code
# description: >-
#   Prohibited: health information held by a health agency has no rule 11 limb that
#   holds and no enactment authorises the disclosure.
# custom:
#   id: privacy.hipc.no_limb
#   severity: deny
#   authority: Health Information Privacy Code 2020 r11
deny contains v if {
	_row.id == "prohibited"
	hipc.categories != set()
	hipc.holds == set()
	categories := sort(hipc.categories)
	v := result.violation(
		rego.metadata.rule(),
		sprintf(messages.no_hipc, [concat(", ", categories)]),
		{"categories": categories},
	)
}

# METADATA
# title: Proportionality
# description: >-
#   Lawful, but a line the programme does not cross is crossed and nothing urgent
#   overrides it: the results of sharing.proportionality, each with its own id.
# custom:
#   forwards: sharing.proportionality.deny
#   severity: deny
#   authority: MACIP operating protocol (proportionality)
deny contains v if {
	_row.id == "permitted_line_crossed"
	some v in proportionality.deny
}

# METADATA
# title: Facts missing
# description: The law cannot be applied until the facts named are supplied.
# custom:
#   id: privacy.legal.uncertain
#   severity: refer
#   authority: Privacy Act 2020 s22 IPP 11(1) (belief on reasonable grounds needs the facts)
refer contains v if {
	_row.id == "uncertain"
	missing := sort(legal.missing)
	v := result.violation(
		rego.metadata.rule(),
		sprintf(messages.uncertain, [concat(", ", missing)]),
		{"missing": missing},
	)
}

# METADATA
# title: Claimed basis not assessed
# description: >-
#   The request relies on a provision these policies do not assess: a privacy officer
#   decides, never a silent allow.
# custom:
#   id: privacy.legal.claim_not_assessed
#   severity: refer
#   authority: MACIP operating protocol (privacy officer review)
refer contains v if {
	some c in legal.not_assessed # empty for most requests: tested first
	_row.id in {"claim_not_assessed", "prohibited_claim_not_assessed"}
	v := result.violation(rego.metadata.rule(), sprintf(messages.not_assessed, [c]), {"claimed": c})
}

# METADATA
# title: Lawful but outside the approved flows
# description: >-
#   The law permits the disclosure, nothing is urgent, and the programme does not cover
#   it: the privacy officer decides and the PIA is updated.
# custom:
#   id: sharing.programme.not_covered
#   severity: refer
#   authority: MACIP Privacy Impact Assessment (approved information flows)
refer contains v if {
	_row.id == "permitted_not_covered"
	basis := legal.basis
	v := result.violation(
		rego.metadata.rule(),
		sprintf(messages.not_covered, [concat(", ", basis)]),
		{"basis": basis},
	)
}

# METADATA
# title: Why the programme does not cover it (the sharing matrix)
# description: >-
#   With a referral for want of programme coverage, each finding of sharing.matrix that keeps
#   the request outside the approved sharing.
# custom:
#   forwards: sharing.matrix.refer
#   severity: refer
#   authority: MACIP information-sharing matrix; MACIP Privacy Impact Assessment
refer contains v if {
	_row.id == "permitted_not_covered"
	some v in matrix.refer
}

# METADATA
# title: Why the programme does not cover it (the approved PIA flows)
# description: >-
#   With a referral for want of programme coverage, each finding of sharing.flows that keeps
#   the request outside the approved sharing.
# custom:
#   forwards: sharing.flows.refer
#   severity: refer
#   authority: MACIP information-sharing matrix; MACIP Privacy Impact Assessment
refer contains v if {
	_row.id == "permitted_not_covered"
	some v in flows.refer
}

# METADATA
# title: Why the programme does not cover it (proportionality)
# description: >-
#   With a referral for want of programme coverage, each finding of sharing.proportionality that keeps
#   the request outside the approved sharing.
# custom:
#   forwards: sharing.proportionality.refer
#   severity: refer
#   authority: MACIP information-sharing matrix; MACIP Privacy Impact Assessment
refer contains v if {
	_row.id == "permitted_not_covered"
	some v in proportionality.refer
}

# METADATA
# title: Outcome
# description: The outcome table row's outcome; allow becomes allow_with_conditions when a condition applies.
outcome := _concluded.outcome

# METADATA
# title: Situation
# description: >-
#   What the outcome table is read with. complete: every field the decision needs is
#   given, and the sender and the recipient are both known agencies.
situation := {
	"complete": true,
	"verdict": legal.verdict,
	"urgent": facts.urgent,
	"covered": programme.covered,
	"lines_crossed": programme.lines_crossed,
	"claim_not_assessed": legal.not_assessed != [],
} if {
	# Tested in this rule's own body, with the same entries written again for an incomplete
	# request below: one rule to enter per decision rather than two.
	facts.request.complete
	agencies.sender
	agencies.recipient
} else := {
	"complete": false,
	"verdict": legal.verdict,
	"urgent": facts.urgent,
	"covered": programme.covered,
	"lines_crossed": programme.lines_crossed,
	"claim_not_assessed": legal.not_assessed != [],
}

# METADATA
# title: Decision
# description: >-
#   The decision document for one request: outcome and the outcome-table row; legal
#   (verdict, basis, missing facts, duties, claims not assessed); programme (covered,
#   PIA flow, matrix route, lines crossed); urgent; legal_basis (the legal basis);
#   the ids of the conditions (texts in the catalogue); the deny and refer findings;
#   what became of each claimed basis; and pia_flow.
result := {
	"outcome": _concluded.outcome,
	"row": _row.id,
	"legal": {
		"verdict": legal.verdict,
		"basis": legal.basis,
		"missing": sort(legal.missing),
		"duties": sort(legal.duties),
		"not_assessed": legal.not_assessed,
	},
	"programme": programme.summary,
	"urgent": facts.urgent,
	"legal_basis": legal.basis,
	"conditions": _concluded.conditions,
	"deny": deny,
	"refer": refer,
	"claims": legal.claims,
	"pia_flow": flows.flow,
}

# METADATA
# title: Catalogue
# description: >-
#   Static wording for decisions, read once by the caller: the title of every provision
#   by citation, the text and authority of every condition by id, the outcome table, and
#   the sentence templates for reasons (%v filled in order).
catalogue := {
	"titles": legal.titles,
	"conditions": data.sharing.decision.condition_texts,
	"messages": data.sharing.decision.messages,
	"rows": data.sharing.outcome.rows,
}

_row := outcome_table.indexed(situation)

# The request's fields naming an agency that has no profile.
_unknown_agencies contains "from_agency" if not agencies.sender

_unknown_agencies contains "to_agency" if not agencies.recipient

_unknown_agency(meta, field) := result.violation(
	meta,
	sprintf(messages.unknown_agency, [input[field]]),
	{"field": field, "agency": input[field]},
)

# The outcome with the conditions it carries: none for a denial; allow becomes
# allow_with_conditions when a condition applies. The common case (refer or
# allow_with_conditions) is tried first. The conditions are _condition_ids with the
# minimum-necessary condition (_minimum_necessary), joined here rather than in a rule
# of _condition_ids: one rule fewer to enter per decision.
_concluded := {"outcome": o, "conditions": sort(_condition_ids | _minimum_necessary)} if {
	o := _row.outcome
	o != "deny"
	o != "allow"
} else := {"outcome": "deny", "conditions": []} if {
	_row.outcome == "deny"
} else := {"outcome": "allow_with_conditions", "conditions": sort(_condition_ids | _minimum_necessary)} if {
	_row.outcome == "allow"
	(_condition_ids | _minimum_necessary) != set()
} else := {"outcome": "allow", "conditions": []} if {
	_row.outcome == "allow"
}

# Conditions. Each is found by looking at the few provisions of the basis, or at one
# fact, rather than by testing every condition in turn.

_condition_ids contains c if {
	some c in _row.conditions
	not c in _needless
}

# An urgent disclosure the approved flows already cover needs no review of them.
_needless := {"review_pia_flows"} if programme.covered else := set()

# The basis rests on belief (_rests_on_belief, tested here in this rule's own body: one
# rule to enter rather than two for most decisions, which never read _rests_on_belief).
_condition_ids contains "record_grounds" if {
	some b in legal.basis
	object.get(data.sharing.decision.consensual_bases, b, false) == false
}

_condition_ids contains "no_onward_disclosure" if agencies.recipient.kind == "community"

_condition_ids contains "no_onward_disclosure" if {
	some c in facts.request.categories
	data.sharing.decision.no_onward_categories[c]
}

# input.subject.consent is facts.request.consent; compared with a constant, OPA's rule
# index skips this rule when the person has not refused.
_condition_ids contains "notify_privacy_officer" if input.subject.consent == "refused"

# Either party is an intelligence and security agency. (Conditions are read only for a
# complete request, whose sender and recipient are both known; every profile states the
# designation, true or false.)
_condition_ids contains "notify_privacy_officer" if {
	true in {agencies.sender.intelligence_and_security_agency, agencies.recipient.intelligence_and_security_agency}
}

# The conditions a provision of the basis brings with it.
_condition_ids contains c if {
	some b in legal.basis
	some c in data.sharing.decision.basis_conditions[b]
}

# IPP 12 is engaged only for a request marked overseas (privacy.ipp12.required): compared with
# a constant, OPA's rule index skips this rule for every other request.
_condition_ids contains "overseas_safeguard" if {
	input.overseas == true
	some b in legal.basis
	startswith(b, "Privacy Act 2020 s22 IPP 12(1)(")
	b != "Privacy Act 2020 s22 IPP 12(1)(a)"
}

# Disclose only what is necessary: in the Health Information Privacy Code's terms when the
# basis relies on HIPC r11(2); otherwise when a category is sensitive or the basis rests on
# belief. (A set: empty when neither applies.)
_minimum_necessary := {"minimum_necessary_hipc"} if {
	some b in legal.basis
	startswith(b, "Health Information Privacy Code 2020 r11(2)")
} else := {"minimum_necessary"} if {
	some c in facts.request.categories
	data.privacy.facts.sensitive_categories[c]
} else := {"minimum_necessary"} if {
	_rests_on_belief
} else := set()

# Every basis other than authorisation or the purpose of collection rests on the
# discloser's belief on reasonable grounds, which must be recorded with its grounds.
_rests_on_belief if {
	some b in legal.basis
	# b is not one of the consensual bases (read as a value, which OPA settles without a
	# negated query)
	object.get(data.sharing.decision.consensual_bases, b, false) == false
}
