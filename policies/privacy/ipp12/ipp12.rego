# METADATA
# title: Privacy Act 2020 IPP 12 - disclosure outside New Zealand
# description: >-
#   For a request marked overseas, decides whether IPP 12 is engaged (the disclosure
#   rests only on IPP 11 limbs that engage it) and which IPP 12 ground holds. When
#   none does, the request is referred: the facts that satisfy IPP 12(1)(b)-(f) are
#   not in a request, so a privacy officer confirms them. Health information under the
#   Code's rule 12 is always referred.
package privacy.ipp12

import data.lib.result
import data.privacy.facts
import data.privacy.family_violence
import data.privacy.hipc
import data.privacy.ipp11
import data.privacy.oranga_tamariki

# METADATA
# title: IPP 12 engaged
# description: >-
#   True for an overseas disclosure of non-health categories that rests only on IPP 11
#   limbs that engage IPP 12, with no enactment authorising it.
default required := false

required if {
	_r.overseas
	count(_r.categories - hipc.categories) > 0
	count(ipp11.holds) > 0
	count(_statute) == 0
	every p in ipp11.holds {
		data.privacy.ipp12.engaging_limbs[p]
	}
}

# METADATA
# title: Grounds considered
# description: >-
#   IPP 12(1)(a), IPP 12(1)(b)-(f) and IPP 12(2) by citation, each with status and why
#   (empty unless IPP 12 is engaged).
considered := {
	"Privacy Act 2020 s22 IPP 12(1)(a)": _a,
	"Privacy Act 2020 s22 IPP 12(1)(b)-(f)": {"status": "does_not_hold", "why": _why.b_f_no},
	"Privacy Act 2020 s22 IPP 12(2)": _s2,
} if {
	required
} else := {}

# METADATA
# title: Grounds that hold
# description: The IPP 12 citations that permit the overseas disclosure.
holds := {p | some p, s in considered; s.status == "holds"}

# METADATA
# title: Overseas disclosure needs review
# description: Refers an overseas disclosure when IPP 12 is engaged and no ground holds.
# custom:
#   id: privacy.ipp12.unconfirmed
#   severity: refer
#   authority: Privacy Act 2020 s22 IPP 12(1)
refer contains v if {
	required
	count(holds) == 0
	v := result.violation(
		rego.metadata.rule(),
		_why.unconfirmed,
		{"relies_on": sort(ipp11.holds)},
	)
}

# METADATA
# title: Health information overseas
# description: Cross-border disclosure of health information under the Code is referred for review.
# custom:
#   id: privacy.ipp12.health_information
#   severity: refer
#   authority: Health Information Privacy Code 2020 r12
refer contains v if {
	_r.overseas
	count(hipc.categories) > 0
	count(_statute) == 0
	v := result.violation(
		rego.metadata.rule(),
		_why.hipc_no,
		{"categories": sort(hipc.categories)},
	)
}

_r := facts.request

_why := data.privacy.ipp12.why

_statute := oranga_tamariki.holds | family_violence.holds

_a := {"status": "holds", "why": _why.a_holds} if {
	_r.consent == "given"
} else := {"status": "does_not_hold", "why": sprintf(_why.a_no, [_r.consent])}

_s2 := {"status": "not_engaged", "why": _why.s2_idle} if {
	not _rests_on_urgent_limb
} else := {"status": "does_not_hold", "why": sprintf(_why.s2_no, [_r.risk_level])} if {
	not _r.urgent
} else := {"status": "holds", "why": _why.s2_holds}

_rests_on_urgent_limb if {
	some p in ipp11.holds
	data.privacy.ipp12.urgent_limbs[p]
}
