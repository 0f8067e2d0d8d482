# METADATA
# title: Privacy Act 2020 IPP 12 - disclosure outside New Zealand
# description: >-
#   For a request marked overseas, decides whether IPP 12 is engaged (the IPP 11 basis
#   rests only on paragraphs that engage it) and tests each IPP 12 ground on the facts:
#   the person's authorisation (12(1)(a)), the safeguard at the recipient
#   (overseas_safeguard, 12(1)(b)-(f)) and urgency (12(2)). When none holds the facts
#   are incomplete: the privacy officer must confirm a safeguard. Health information
#   overseas falls under the Code's rule 12, which these policies do not assess.
package privacy.ipp12

import data.privacy.facts
import data.privacy.hipc
import data.privacy.ipp11

# METADATA
# title: IPP 12 engaged
# description: >-
#   True for an overseas disclosure of non-health categories whose IPP 11 basis rests
#   only on paragraphs that engage IPP 12.
default required := false

required if {
	input.overseas == true # facts.request.overseas, checked by OPA's rule index
	count(facts.request.categories - hipc.categories) > 0
	count(ipp11.holds) > 0
	every p in ipp11.holds {
		_engages(p)
	}
}

# METADATA
# title: Grounds considered
# description: Each IPP 12 ground by citation, as [status, code] (empty unless IPP 12 is engaged).
considered := object.union(
	{
		"Privacy Act 2020 s22 IPP 12(1)(a)": _a,
		"Privacy Act 2020 s22 IPP 12(2)": _s2,
	},
	{p: _safeguard(p) | some p in data.privacy.ipp12.safeguards},
) if {
	input.overseas == true # as required needs; checked by OPA's rule index
	required
} else := {}

# METADATA
# title: Grounds that hold
# description: The IPP 12 citations that permit the overseas disclosure.
holds := {p | some p, v in considered; v[0] == "holds"}

# METADATA
# title: Facts missing
# description: >-
#   overseas_safeguard when IPP 12 is engaged and no ground holds; the Code's rule 12
#   when health information goes overseas.
missing contains "overseas_safeguard" if {
	input.overseas == true # as required needs; checked by OPA's rule index
	required
	count(holds) == 0
}

missing contains "overseas_safeguard (Health Information Privacy Code 2020 r12)" if {
	input.overseas == true # facts.request.overseas, checked by OPA's rule index
	count(hipc.categories) > 0
}

_engages(p) if {
	some prefix in data.privacy.ipp12.engaging_prefixes
	startswith(p, prefix)
}

_safeguard_given := object.get(input, "overseas_safeguard", "")

_a := ["holds", "a_given"] if {
	facts.request.consent == "given"
} else := ["does_not_hold", "a_not"]

_safeguard(p) := ["holds", "safeguard_holds"] if {
	data.privacy.ipp12.safeguards[_safeguard_given] == p
} else := ["does_not_hold", "safeguard_other"] if {
	_safeguard_given != ""
} else := ["does_not_hold", "safeguard_none"]

_s2 := ["not_engaged", "s2_idle"] if {
	not _rests_on_urgent_paragraph
} else := ["does_not_hold", "s2_not_urgent"] if {
	not facts.urgent
} else := ["holds", "s2_holds"]

_rests_on_urgent_paragraph if {
	some p in ipp11.holds
	some prefix in data.privacy.ipp12.urgent_prefixes
	startswith(p, prefix)
}
