# METADATA
# title: MACIP disclosure decision
# description: >-
#   One decision document per disclosure request (data.sharing.decision.result). The
#   law decides whether there is a lawful basis: IPP 11 for personal information,
#   rule 11 of the Health Information Privacy Code for health information held by a
#   health agency, and the Oranga Tamariki Act 1989 and Family Violence Act 2018
#   routes for either; IPP 12 adds its test for an overseas recipient. The programme
#   then decides whether it shares: the sharing matrix, proportionality, and the
#   PIA's approved information flows. Outcome: deny when there is no lawful basis or a
#   line is crossed; refer when a person must review it; otherwise allow, with
#   conditions when any apply.
package sharing.decision

import data.lib.result
import data.privacy.facts
import data.privacy.family_violence
import data.privacy.hipc
import data.privacy.ipp11
import data.privacy.ipp12
import data.privacy.oranga_tamariki
import data.sharing.agencies
import data.sharing.flows
import data.sharing.matrix
import data.sharing.proportionality

# METADATA
# title: Request incomplete
# description: A request missing a field the decision needs is denied, never assumed.
# custom:
#   id: sharing.decision.incomplete
#   severity: deny
#   authority: Privacy Act 2020 s22 IPP 11(1) (belief on reasonable grounds needs the facts)
deny contains v if {
	not _r.complete
	v := result.violation(
		rego.metadata.rule(),
		sprintf(_msg.incomplete, [concat(", ", sort(facts.missing))]),
		{"missing": sort(facts.missing)},
	)
}

# METADATA
# title: Unknown sender
# description: The sender must be a MACIP member agency or a community provider.
# custom:
#   id: sharing.decision.unknown_agency
#   severity: deny
#   authority: MACIP operating protocol
deny contains v if {
	_r.complete
	not agencies.sender
	v := _unknown_agency(rego.metadata.rule(), "from_agency")
}

# METADATA
# title: Unknown recipient
# description: The recipient must be a MACIP member agency or a community provider.
# custom:
#   id: sharing.decision.unknown_agency
#   severity: deny
#   authority: MACIP operating protocol
deny contains v if {
	_r.complete
	not agencies.recipient
	v := _unknown_agency(rego.metadata.rule(), "to_agency")
}

# METADATA
# title: No lawful basis under IPP 11
# description: >-
#   The categories IPP 11 governs need an IPP 11(1) exception that holds, or an
#   enactment that authorises the disclosure (Privacy Act 2020 s24).
# custom:
#   id: privacy.ipp11.no_exception
#   severity: deny
#   authority: Privacy Act 2020 s22 IPP 11(1)
deny contains v if {
	_no_ipp11_basis
	v := result.violation(
		rego.metadata.rule(),
		sprintf(_msg.no_ipp11, [concat(", ", sort(_general))]),
		{"categories": sort(_general)},
	)
}

# METADATA
# title: No lawful basis under the Health Information Privacy Code
# description: >-
#   Health information held by a health agency needs a rule 11 limb that holds, or an
#   enactment that authorises the disclosure.
# custom:
#   id: privacy.hipc.no_limb
#   severity: deny
#   authority: Health Information Privacy Code 2020 r11
deny contains v if {
	_no_hipc_basis
	v := result.violation(
		rego.metadata.rule(),
		sprintf(_msg.no_hipc, [concat(", ", sort(hipc.categories))]),
		{"categories": sort(hipc.categories)},
	)
}

# METADATA
# title: Proportionality
# description: >-
#   The lines the programme does not cross whatever the basis: the results of
#   sharing.proportionality, each with its own id.
# custom:
#   forwards: sharing.proportionality.deny
#   severity: deny
#   authority: MACIP operating protocol (proportionality)
deny contains v if some v in proportionality.deny

# METADATA
# title: Referred by the sharing matrix
# description: >-
#   A route outside the sharing matrix, or a provider without a service agreement, is
#   referred to a privacy officer (the results of sharing.matrix, each with its own id).
# custom:
#   forwards: sharing.matrix.refer
#   severity: refer
#   authority: MACIP information-sharing matrix (operating protocol)
refer contains v if some v in matrix.refer

# METADATA
# title: Referred for proportionality
# description: >-
#   A child's information to NZSIS is referred to a privacy officer (the results of
#   sharing.proportionality, each with its own id).
# custom:
#   forwards: sharing.proportionality.refer
#   severity: refer
#   authority: MACIP operating protocol (proportionality)
refer contains v if some v in proportionality.refer

# METADATA
# title: Referred under IPP 12
# description: >-
#   An overseas disclosure whose safeguards a privacy officer must confirm is referred
#   (the results of privacy.ipp12, each with its own id).
# custom:
#   forwards: privacy.ipp12.refer
#   severity: refer
#   authority: Privacy Act 2020 s22 IPP 12; Health Information Privacy Code 2020 r12
refer contains v if some v in ipp12.refer

# METADATA
# title: Referred for want of an approved PIA flow
# description: >-
#   A request that is otherwise lawful but that no approved PIA information flow covers
#   is referred (the results of sharing.flows, each with its own id).
# custom:
#   forwards: sharing.flows.refer
#   severity: refer
#   authority: MACIP Privacy Impact Assessment (approved information flows)
refer contains v if {
	count(deny) == 0
	some v in flows.refer
}

# METADATA
# title: Conditions
# description: Ids of the conditions an allowed or referred disclosure must meet.
conditions := _condition_ids

# METADATA
# title: Outcome
# description: deny, refer, allow_with_conditions or allow.
outcome := "deny" if {
	count(deny) > 0
} else := "refer" if {
	count(refer) > 0
} else := "allow_with_conditions" if {
	count(_condition_ids) > 0
} else := "allow"

# METADATA
# title: Provisions relied on
# description: The citations that hold under the regimes that govern the request, sorted.
legal_basis := sort(_basis)

# METADATA
# title: Regimes
# description: >-
#   Each body of law assessed, whether it governs this request and why, and (when it
#   does) every provision considered under it, by citation, with status and why.
regimes := [
	{
		"regime": _rg.ipp11.regime,
		"applies": _ipp11_applies,
		"why": _ipp11_why,
		"considered": _ipp11,
	},
	{
		"regime": _rg.hipc.regime,
		"applies": _hipc_applies,
		"why": _hipc_why,
		"considered": _hipc,
	},
	{
		"regime": _rg.oranga_tamariki.regime,
		"applies": _r.child,
		"why": _ot_why,
		"considered": oranga_tamariki.considered,
	},
	{
		"regime": _rg.family_violence.regime,
		"applies": family_violence.claimed,
		"why": _fv_why,
		"considered": family_violence.considered,
	},
	{
		"regime": _rg.ipp12.regime,
		"applies": ipp12.required,
		"why": _ipp12_why,
		"considered": ipp12.considered,
	},
]

# METADATA
# title: Claimed bases
# description: >-
#   What became of each claimed citation: holds; does_not_hold (with why, from the
#   provision it names); does_not_apply (its regime does not govern the request, with
#   the regime and why); or unknown (not a provision these policies assess).
claims[c] := _claim(c) if some c in facts.claims

# METADATA
# title: Decision
# description: >-
#   The decision document for one request: outcome; legal_basis; the ids of the
#   conditions (texts in the catalogue); the deny and refer findings; what became of
#   each claimed basis; lawful (false when no lawful basis was found); pia_flow; and the
#   regimes with every provision considered. Reason sentences are these findings in the
#   catalogue's wording.
result := {
	"outcome": outcome,
	"legal_basis": legal_basis,
	"conditions": _conditions_out,
	"deny": deny,
	"refer": refer,
	"claims": claims,
	"lawful": _lawful,
	"pia_flow": flows.flow,
	"regimes": regimes,
}

# METADATA
# title: Catalogue
# description: >-
#   Static wording for decisions, read once by the caller: the title of every provision
#   by citation, the text and authority of every condition by id, and the sentence
#   templates for reasons (%v filled in order).
catalogue := {
	"titles": object.union_n([
		data.privacy.ipp11.titles,
		data.privacy.hipc.titles,
		data.privacy.oranga_tamariki.titles,
		data.privacy.family_violence.titles,
		data.privacy.ipp12.titles,
	]),
	"conditions": data.sharing.decision.condition_texts,
	"messages": data.sharing.decision.messages,
}

_r := facts.request

_msg := data.sharing.decision.messages

_rg := data.sharing.decision.regime_texts

_general := _r.categories - hipc.categories

_ipp11_applies := count(_general) > 0

_hipc_applies := count(hipc.categories) > 0

_ipp11 := ipp11.considered if {
	_ipp11_applies
} else := {}

_hipc := hipc.considered if {
	_hipc_applies
} else := {}

_ipp11_holds := ipp11.holds if {
	_ipp11_applies
} else := set()

_hipc_holds := hipc.holds if {
	_hipc_applies
} else := set()

_statute := oranga_tamariki.holds | family_violence.holds

_basis := ((_ipp11_holds | _hipc_holds) | _statute) | ipp12.holds

_unknown_agency(meta, field) := result.violation(
	meta,
	sprintf(_msg.unknown_agency, [input[field]]),
	{"field": field, "agency": input[field]},
)

_conditions_out := [] if {
	count(deny) > 0
} else := sort(_condition_ids)

# Conditions

_condition_ids contains "record_grounds" if _rests_on_belief

_condition_ids contains "minimum_necessary_hipc" if _relies_on_hipc_11_2

_condition_ids contains "minimum_necessary" if {
	not _relies_on_hipc_11_2
	_needs_minimum
}

_condition_ids contains "no_onward_disclosure" if agencies.recipient.kind == "community"

_condition_ids contains "no_onward_disclosure" if {
	some c in _r.categories
	data.sharing.decision.no_onward_categories[c]
}

_condition_ids contains "notify_privacy_officer" if _r.consent == "refused"

_condition_ids contains "notify_privacy_officer" if agencies.recipient.intelligence_and_security_agency

_condition_ids contains "notify_privacy_officer" if agencies.sender.intelligence_and_security_agency

_condition_ids contains "consult_child" if "Oranga Tamariki Act 1989 s66C(b)" in _basis

_condition_ids contains "no_offence_investigation" if "Oranga Tamariki Act 1989 s66(1)" in _basis

_condition_ids contains "informed_overseas" if "Privacy Act 2020 s22 IPP 12(1)(a)" in _basis

_condition_ids contains "urgent_overseas" if "Privacy Act 2020 s22 IPP 12(2)" in _basis

_relies_on_hipc_11_2 if {
	some b in _hipc_holds
	startswith(b, "Health Information Privacy Code 2020 r11(2)")
}

_needs_minimum if count(_r.categories & object.keys(data.privacy.facts.sensitive_categories)) > 0

_needs_minimum if _rests_on_belief

# Every basis other than authorisation or the purpose of collection rests on the
# discloser's belief that disclosure is necessary.
_rests_on_belief if count(_basis - object.keys(data.sharing.decision.consensual_bases)) > 0

# Regimes

_ipp11_why := concat("", [_rg.ipp11.applies, concat(", ", _general)]) if {
	_ipp11_applies
} else := _rg.ipp11.not_health

_hipc_why := concat("", [_rg.hipc.applies, concat(", ", hipc.categories)]) if {
	_hipc_applies
} else := concat("", [agencies.sender.name, _rg.hipc.not_sender]) if {
	not agencies.sender.health_agency
} else := _rg.hipc.not_health

_ot_why := _rg.oranga_tamariki.applies if {
	_r.child
} else := _rg.oranga_tamariki.not_child

_fv_why := _rg.family_violence.applies if {
	family_violence.claimed
} else := _rg.family_violence.not_claimed

_ipp12_why := _rg.ipp12.applies if {
	ipp12.required
} else := _rg.ipp12.not_overseas if {
	not _r.overseas
} else := _rg.ipp12.not_engaged

# Lawful basis and claims

default _lawful := true

_lawful := false if _no_ipp11_basis

_lawful := false if _no_hipc_basis

# No lawful basis for the categories IPP 11 governs: no exception holds and no
# enactment authorises the disclosure.
_no_ipp11_basis if {
	_r.complete
	_ipp11_applies
	count(_ipp11_holds) == 0
	count(_statute) == 0
}

# No lawful basis for the health information the Code governs.
_no_hipc_basis if {
	_r.complete
	_hipc_applies
	count(_hipc_holds) == 0
	count(_statute) == 0
}

_claim(c) := {"status": "holds"} if {
	some b in _basis
	facts.matches(c, b)
} else := {"status": "does_not_hold", "why": why} if {
	why := [s.why | some g in regimes; some p, s in g.considered; facts.matches(c, p)][0]
} else := {"status": "does_not_apply", "regime": g.regime, "why": g.why} if {
	g := [x | some x in regimes; not x.applies; startswith(c, x.regime)][0]
} else := {"status": "unknown"}
