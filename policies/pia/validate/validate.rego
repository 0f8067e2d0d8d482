# METADATA
# title: PIA completeness and consistency
# description: >-
#   Checks a Privacy Impact Assessment (input.pia, as exported by macip_gov.pia)
#   against the Privacy Commissioner's toolkit and the law its information flows
#   rely on. input.today (YYYY-MM-DD) is the date due dates are checked against and
#   input.content_hash is the hash of the PIA's content as it is now. Reference data
#   is data.pia.validate: the principles, the risk matrix, agency attributes and the
#   recognised legal bases.
package pia.validate

import data.lib.result

_flows := object.get(object.get(input, "pia", {}), "flows", [])

_risks := object.get(object.get(input, "pia", {}), "risks", [])

_actions := object.get(object.get(input, "pia", {}), "actions", [])

_signoffs := object.get(object.get(input, "pia", {}), "signoffs", [])

_analysed contains f.ipp if {
	some f in input.pia.ipp_analysis
}

_risk_ids contains r.id if {
	some r in _risks
}

_recommendation_ids contains r.id if {
	some r in input.pia.recommendations
}

_pia_agencies[a.id] := a if {
	some a in input.pia.project.agencies
}

# An agency attribute: the policy data decides for member agencies, the PIA for
# community providers.
_has_attr(agency, attr) if data.pia.validate.agencies[agency][attr] == true

_has_attr(agency, attr) if {
	not data.pia.validate.agencies[agency]
	_pia_agencies[agency][attr] == true
}

_rating(likelihood, consequence) := data.pia.validate.rating_matrix[likelihood - 1][consequence - 1]

_active(entry) if not _present(object.get(entry, "version_deprecated", null))

# METADATA
# title: Input incomplete
# description: >-
#   The rules need the PIA, today's date and the content hash; without them no
#   check can pass (fail closed).
# custom:
#   id: pia.input.incomplete
#   severity: error
#   authority: macip-gov PIA rules
deny contains v if {
	some key in ["pia", "today", "content_hash"]
	not input[key]
	v := result.violation(
		rego.metadata.rule(),
		sprintf("the input has no %v, so the PIA cannot be checked", [key]),
		{"field": key},
	)
}

# METADATA
# title: Principle not analysed
# description: The analysis must address each of the 13 information privacy principles.
# custom:
#   id: pia.ipps.not_analysed
#   severity: error
#   authority: Privacy Act 2020 s 22; Privacy Commissioner, Privacy Impact Assessment Toolkit
deny contains v if {
	some ipp, p in data.pia.validate.ipps
	not _analysed[ipp]
	v := result.violation(
		rego.metadata.rule(),
		sprintf("%v (%v) is not analysed", [ipp, p.title]),
		{"ipp": ipp},
	)
}

# METADATA
# title: Flow without a legal basis
# description: Every information flow must cite the law that authorises the disclosure.
# custom:
#   id: pia.flows.no_legal_basis
#   severity: error
#   authority: Privacy Act 2020 s 22 IPP 11
deny contains v if {
	some f in _flows
	count(object.get(f, "legal_basis", [])) == 0
	v := result.violation(
		rego.metadata.rule(),
		sprintf("flow %v cites no legal basis", [f.id]),
		{"flow": f.id},
	)
}

# The kind of each citation the privacy policies recognise: the citations in
# data.privacy.<regime>.titles, for the regimes named in data.pia.validate.privacy_tables.
# The disclosure decisions cite exactly these, so a flow citing anything else could
# never be matched by a decision's legal basis.
_privacy_kind[citation] := kind if {
	some regime, kind in data.pia.validate.privacy_tables
	some citation, _ in data.privacy[regime].titles
}

_uses_privacy_tables if count(_privacy_kind) > 0

# Without the privacy policies in the tree, fall back to this package's own table.
_kind(citation) := _privacy_kind[citation] if _uses_privacy_tables

_kind(citation) := data.pia.validate.legal_bases[citation].kind if not _uses_privacy_tables

# METADATA
# title: Unrecognised legal basis
# description: >-
#   Each citation on a flow must be one the privacy policies recognise (the citation
#   tables of data.privacy), so that a disclosure decision can rest on it.
# custom:
#   id: pia.flows.unknown_legal_basis
#   severity: error
#   authority: Privacy Act 2020 s 22 IPP 11, s 24
deny contains v if {
	some f in _flows
	some citation in f.legal_basis
	not _kind(citation)
	v := result.violation(
		rego.metadata.rule(),
		sprintf("flow %v cites %q, which is not a recognised legal basis", [f.id, citation]),
		{"flow": f.id, "citation": citation},
	)
}

# METADATA
# title: Legal basis not available to the parties
# description: >-
#   Some provisions are available only to particular agencies: HIPC rule 11 to
#   health agencies, Oranga Tamariki Act s 66C between child welfare and protection
#   agencies, IPP 11(1)(g) to disclosures to an intelligence and security agency.
# custom:
#   id: pia.flows.legal_basis_not_available
#   severity: error
#   authority: >-
#     Health Information Privacy Code 2020 cl 4; Oranga Tamariki Act 1989 s 66C;
#     Privacy Act 2020 s 22 IPP 11(1)(g)
deny contains v if {
	some f in _flows
	some citation in f.legal_basis
	some side in ["discloser", "recipient"]
	attr := data.pia.validate.legal_bases[citation][side]
	agency := _party(f, side)
	not _has_attr(agency, attr)
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			"flow %v cites %q, but the %v (%v) is not %v",
			[f.id, citation, side, agency, data.pia.validate.attribute_phrases[attr]],
		),
		{"flow": f.id, "citation": citation, "party": side, "agency": agency, "requires": attr},
	)
}

_party(f, "discloser") := f.from_agency

_party(f, "recipient") := f.to_agency

# METADATA
# title: Flow names an agency the PIA does not describe
# description: Every agency in a flow must be listed in the project's agencies.
# custom:
#   id: pia.flows.unknown_agency
#   severity: error
#   authority: Privacy Commissioner, Privacy Impact Assessment Toolkit (project description)
deny contains v if {
	some f in _flows
	some agency in [f.from_agency, f.to_agency]
	not _pia_agencies[agency]
	v := result.violation(
		rego.metadata.rule(),
		sprintf("flow %v names %v, which is not among the project's agencies", [f.id, agency]),
		{"flow": f.id, "agency": agency},
	)
}

# METADATA
# title: Health information without HIPC rule 11
# description: >-
#   A flow in which a health agency discloses health information must cite the
#   Health Information Privacy Code 2020 rule 11 limb relied on.
# custom:
#   id: pia.flows.health_without_hipc
#   severity: error
#   authority: Health Information Privacy Code 2020 r 11
deny contains v if {
	some f in _flows
	_has_attr(f.from_agency, "health_agency")
	categories := [c | some c in f.categories; data.pia.validate.health_categories[c]]
	count(categories) > 0
	not _cites_kind(f, "hipc_r11")
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			"flow %v: a health agency discloses %v information but no HIPC rule 11 limb is cited",
			[f.id, concat(", ", categories)],
		),
		{"flow": f.id, "categories": categories},
	)
}

_cites_kind(f, kind) if {
	some citation in f.legal_basis
	_kind(citation) == kind
}

# METADATA
# title: Overseas flow without an IPP 12 basis
# description: >-
#   A flow that discloses information outside New Zealand must state the IPP 12(1)
#   limb relied on, unless the overseas party only stores or processes it for the
#   discloser (s 11).
# custom:
#   id: pia.flows.overseas_without_ipp12
#   severity: error
#   authority: Privacy Act 2020 s 22 IPP 12, s 11
deny contains v if {
	some f in _flows
	_present(f.overseas)
	not f.overseas.storage_only
	not _ipp12_basis(f)
	v := result.violation(
		rego.metadata.rule(),
		sprintf("flow %v goes to %v but states no IPP 12(1) basis", [f.id, f.overseas.country]),
		{"flow": f.id, "country": f.overseas.country},
	)
}

# A single IPP 12(1) limb from this package's table, or a ground of the privacy policies' IPP 12 table.
_ipp12_basis(f) if data.pia.validate.legal_bases[f.overseas.ipp12_basis].kind == "ipp12"

_ipp12_basis(f) if _kind(f.overseas.ipp12_basis) == "ipp12"

# METADATA
# title: IPP 12 not addressed
# description: When any flow leaves New Zealand, the IPP 12 analysis cannot be "not applicable".
# custom:
#   id: pia.ipps.ipp12_not_addressed
#   severity: error
#   authority: Privacy Act 2020 s 22 IPP 12
deny contains v if {
	overseas := [f.id | some f in _flows; _present(f.overseas)]
	count(overseas) > 0
	some finding in input.pia.ipp_analysis
	finding.ipp == "IPP12"
	finding.status == "not_applicable"
	v := result.violation(
		rego.metadata.rule(),
		sprintf("IPP12 is marked not applicable, but flows %v leave New Zealand", [concat(", ", overseas)]),
		{"flows": overseas},
	)
}

# METADATA
# title: High risk without an owned, dated mitigation
# description: >-
#   Every risk whose inherent rating is high or extreme needs at least one
#   mitigation with an owner and a due date.
# custom:
#   id: pia.risks.unmitigated_high
#   severity: error
#   authority: Privacy Commissioner, Privacy Impact Assessment Toolkit (risk assessment)
deny contains v if {
	some r in _risks
	_active(r)
	rating := _rating(r.likelihood, r.consequence)
	rating in data.pia.validate.mitigation_required
	not _has_owned_dated_mitigation(r)
	v := result.violation(
		rego.metadata.rule(),
		sprintf("risk %v is rated %v but has no mitigation with an owner and a due date", [r.id, rating]),
		{"risk": r.id, "rating": rating},
	)
}

_has_owned_dated_mitigation(r) if {
	some m in r.mitigations
	_present(m.owner)
	_present(m.due)
}

# A field that is there, not null and not empty (null is truthy in Rego).
_present(x) if {
	x != null
	x != ""
}

# METADATA
# title: Risk cannot be rated
# description: Likelihood and consequence, inherent and residual, must each be 1 to 4.
# custom:
#   id: pia.risks.unrated
#   severity: error
#   authority: Privacy Commissioner, Privacy Impact Assessment Toolkit (risk assessment)
deny contains v if {
	some r in _risks
	some pair in [
		{"likelihood": r.likelihood, "consequence": r.consequence},
		{"likelihood": r.residual_likelihood, "consequence": r.residual_consequence},
	]
	not _rating(pair.likelihood, pair.consequence)
	v := result.violation(
		rego.metadata.rule(),
		sprintf("risk %v has a likelihood or consequence outside 1 to 4", [r.id]),
		{"risk": r.id},
	)
}

# METADATA
# title: Residual rating above inherent
# description: Mitigation cannot make a risk worse; the residual rating must not exceed the inherent rating.
# custom:
#   id: pia.risks.residual_exceeds_inherent
#   severity: error
#   authority: Privacy Commissioner, Privacy Impact Assessment Toolkit (risk assessment)
deny contains v if {
	some r in _risks
	inherent := _rating(r.likelihood, r.consequence)
	residual := _rating(r.residual_likelihood, r.residual_consequence)
	data.pia.validate.rating_rank[residual] > data.pia.validate.rating_rank[inherent]
	v := result.violation(
		rego.metadata.rule(),
		sprintf("risk %v: residual rating %v is above its inherent rating %v", [r.id, residual, inherent]),
		{"risk": r.id, "inherent": inherent, "residual": residual},
	)
}

# METADATA
# title: Reference to a missing risk or recommendation
# description: Principles and recommendations name existing risks; actions name existing recommendations.
# custom:
#   id: pia.refs.unknown
#   severity: error
#   authority: macip-gov PIA rules
deny contains v if {
	some ref in _dangling
	v := result.violation(
		rego.metadata.rule(),
		sprintf("%v refers to %v, which does not exist", [ref.from, ref.to]),
		ref,
	)
}

_dangling contains {"from": finding.ipp, "to": id} if {
	some finding in input.pia.ipp_analysis
	some id in finding.risks
	not _risk_ids[id]
}

_dangling contains {"from": rec.id, "to": id} if {
	some rec in input.pia.recommendations
	some id in rec.risks
	not _risk_ids[id]
}

_dangling contains {"from": a.id, "to": a.recommendation} if {
	some a in _actions
	_present(a.recommendation)
	not _recommendation_ids[a.recommendation]
}

# METADATA
# title: Action past due without a status
# description: An action whose due date has passed must record where it stands.
# custom:
#   id: pia.actions.past_due_without_status
#   severity: error
#   authority: Privacy Commissioner, Privacy Impact Assessment Toolkit (action plan)
deny contains v if {
	some a in _actions
	a.due < input.today
	not _present(object.get(a, "status", null))
	v := result.violation(
		rego.metadata.rule(),
		sprintf("action %v was due on %v and has no status", [a.id, a.due]),
		{"action": a.id, "due": a.due},
	)
}

# METADATA
# title: Review overdue
# description: The scheduled review date has passed.
# custom:
#   id: pia.review.overdue
#   severity: error
#   authority: Privacy Commissioner, Privacy Impact Assessment Toolkit (review)
deny contains v if {
	input.pia.review.next_review < input.today
	v := result.violation(
		rego.metadata.rule(),
		sprintf("the review due on %v has not been done", [input.pia.review.next_review]),
		{"next_review": input.pia.review.next_review},
	)
}

# METADATA
# title: Changed since sign-off
# description: The content has changed since it was last signed off; the approval no longer covers it.
# custom:
#   id: pia.signoff.changed_since_signoff
#   severity: error
#   authority: macip-gov PIA rules (sign-off binds to the content hash)
deny contains v if {
	last := _signoffs[count(_signoffs) - 1]
	last.content_hash != input.content_hash
	v := result.violation(
		rego.metadata.rule(),
		sprintf("changed since sign-off by %v (%v) on %v", [last.by, last.role, substring(last.at, 0, 10)]),
		{"signed_hash": last.content_hash, "content_hash": input.content_hash},
	)
}

# METADATA
# title: Not signed off
# description: The PIA has never been signed off.
# custom:
#   id: pia.signoff.none
#   severity: warning
#   authority: macip-gov PIA rules
warn contains v if {
	count(_signoffs) == 0
	v := result.violation(rego.metadata.rule(), "the PIA has not been signed off", {})
}

# METADATA
# title: Parent citation
# description: The provision has limbs; cite the one relied on.
# custom:
#   id: pia.flows.parent_citation
#   severity: warning
#   authority: Privacy Act 2020 s 22 IPP 11
warn contains v if {
	some f in _flows
	some citation in f.legal_basis
	data.pia.validate.legal_bases[citation].parent
	v := result.violation(
		rego.metadata.rule(),
		sprintf("flow %v cites %q; cite the limb relied on", [f.id, citation]),
		{"flow": f.id, "citation": citation},
	)
}

# METADATA
# title: Mitigation overdue
# description: A mitigation's due date has passed and it is not yet implemented.
# custom:
#   id: pia.mitigations.overdue
#   severity: warning
#   authority: Privacy Commissioner, Privacy Impact Assessment Toolkit (risk assessment)
warn contains v if {
	some r in _risks
	some m in r.mitigations
	_present(m.due)
	m.due < input.today
	m.status != "implemented"
	v := result.violation(
		rego.metadata.rule(),
		sprintf("mitigation %v of risk %v was due on %v and is %v", [m.id, r.id, m.due, m.status]),
		{"risk": r.id, "mitigation": m.id, "due": m.due},
	)
}

# METADATA
# title: Action overdue
# description: An action's due date has passed and it is neither done, deferred nor cancelled.
# custom:
#   id: pia.actions.overdue
#   severity: warning
#   authority: Privacy Commissioner, Privacy Impact Assessment Toolkit (action plan)
warn contains v if {
	some a in _actions
	a.due < input.today
	a.status in {"not_started", "in_progress"}
	v := result.violation(
		rego.metadata.rule(),
		sprintf("action %v was due on %v and is %v", [a.id, a.due, a.status]),
		{"action": a.id, "due": a.due},
	)
}

# METADATA
# title: Extreme residual risk
# description: >-
#   A risk is still rated extreme after mitigation; it needs explicit acceptance by
#   the governance group.
# custom:
#   id: pia.risks.residual_extreme
#   severity: warning
#   authority: Privacy Commissioner, Privacy Impact Assessment Toolkit (risk assessment)
warn contains v if {
	some r in _risks
	_rating(r.residual_likelihood, r.residual_consequence) == "extreme"
	v := result.violation(
		rego.metadata.rule(),
		sprintf("risk %v is still rated extreme after mitigation", [r.id]),
		{"risk": r.id},
	)
}

# METADATA
# title: Risk ratings
# description: The inherent and residual rating of every risk, read from the 4x4 risk matrix.
ratings[r.id] := {
	"inherent": _rating(r.likelihood, r.consequence),
	"residual": _rating(r.residual_likelihood, r.residual_consequence),
} if {
	some r in _risks
}

# METADATA
# title: Sign-off state
# description: >-
#   current when the latest sign-off approved the content as it is now,
#   changed_since_signoff when the content has changed since, not_signed_off otherwise.
default signoff := "not_signed_off"

signoff := "current" if {
	_signoffs[count(_signoffs) - 1].content_hash == input.content_hash
}

signoff := "changed_since_signoff" if {
	_signoffs[count(_signoffs) - 1].content_hash != input.content_hash
}

# METADATA
# title: Decision
# description: >-
#   Every deny and warn result, the rating of each risk, the risk matrix and the
#   sign-off state. The PIA is valid when deny is empty.
decision := {
	"deny": deny,
	"warn": warn,
	"ratings": ratings,
	"rating_matrix": data.pia.validate.rating_matrix,
	"signoff": signoff,
}
