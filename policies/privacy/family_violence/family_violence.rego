# METADATA
# title: Family Violence Act 2018 s20 - sharing information about family violence
# description: >-
#   Tests s20 on the facts, claimed or not: the information relates to family violence
#   and disclosure will or may help with a s20 purpose (family_violence.helps), and both
#   parties are family violence agencies (data.sharing.agencies). [status, code] as in
#   privacy.ipp11.
package privacy.family_violence

import data.privacy.facts
import data.sharing.agencies

# METADATA
# title: Provisions considered
# description: s20 by citation, as [status, code].
considered := {"Family Violence Act 2018 s20": _s20}

# METADATA
# title: Provisions that hold
# description: The citations of the provisions of this Act that authorise the disclosure.
holds := {p | some p, v in considered; v[0] == "holds"} if input.family_violence else := set()

# METADATA
# title: Facts missing
# description: The facts s20 needs that the request does not state.
missing := {v[1] | some v in considered; v[0] == "uncertain"} if _engaged else := set()

_fv := object.get(input, "family_violence", null)

# s20 is not engaged unless the request states family violence facts or claims s20:
# most requests, whose holds and missing are then empty without looking further (s20
# holds only on the facts). OPA's rule index checks input.family_violence without
# entering a rule; is_object(_fv) in _s20 decides.
_engaged if input.family_violence

_engaged if _claimed

# The request claims s20 (facts.claimed, read once).
_claimed if {
	some claim in facts.claims
	facts.matches(claim, "Family Violence Act 2018 s20")
}

_helps := {h | some h in object.get(_fv, "helps", []); data.privacy.family_violence.purposes[h]} if {
	is_object(_fv)
} else := set()

_s20 := ["uncertain", "family_violence"] if {
	not is_object(_fv)
	_claimed
} else := ["not_engaged", "not_stated"] if {
	not is_object(_fv)
} else := ["does_not_hold", "sender"] if {
	not agencies.sender.family_violence_agency
} else := ["does_not_hold", "recipient"] if {
	not agencies.recipient.family_violence_agency
} else := ["uncertain", "family_violence.helps"] if {
	count(_helps) == 0
} else := ["holds", "holds"]
