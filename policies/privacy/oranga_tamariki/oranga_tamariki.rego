# METADATA
# title: Oranga Tamariki Act 1989 - information sharing about children and young people
# description: >-
#   Assesses the two Oranga Tamariki Act routes a MACIP disclosure about a child or
#   young person (under 18) can take: s66C(b), disclosure between child welfare and
#   protection agencies for a s66C(a) purpose; and s66(1), the duty to supply
#   information that the chief executive, a care and protection co-ordinator or a
#   constable asks for (engaged only when claimed, since only the requester knows it
#   asked under s66).
package privacy.oranga_tamariki

import data.privacy.facts
import data.sharing.agencies

# METADATA
# title: Provisions considered
# description: >-
#   s66C(b) and s66(1) by citation, each with status and why; empty when the person is
#   not shown to be a child or young person, to whom the Act's sharing provisions are
#   confined.
considered := {
	"Oranga Tamariki Act 1989 s66C(b)": _s66c,
	"Oranga Tamariki Act 1989 s66(1)": _s66,
} if {
	facts.request.child
} else := {}

# METADATA
# title: Provisions that hold
# description: The citations of the provisions of this Act that authorise or require the disclosure.
holds := {p | some p, s in considered; s.status == "holds"}

_r := facts.request

_why := data.privacy.oranga_tamariki.why

_sender := agencies.sender.name if {
	agencies.sender
} else := "the sender"

_recipient := agencies.recipient.name if {
	agencies.recipient
} else := "the recipient"

_s66c := {"status": "not_engaged", "why": sprintf(_why.s66c_purpose, [_r.purpose])} if {
	not _purpose_66c
} else := {"status": "does_not_hold", "why": sprintf(_why.s66c_sender, [_sender])} if {
	not agencies.sender.child_welfare_and_protection_agency
} else := {"status": "does_not_hold", "why": sprintf(_why.s66c_recipient, [_recipient])} if {
	not agencies.recipient.child_welfare_and_protection_agency
} else := {"status": "holds", "why": sprintf(_why.s66c_holds, [_recipient, _purpose_66c])}

_s66 := {"status": "not_engaged", "why": _why.s66_not_claimed} if {
	not facts.claimed("Oranga Tamariki Act 1989 s66(1)")
} else := {"status": "does_not_hold", "why": sprintf(_why.s66_recipient, [_recipient])} if {
	not data.privacy.oranga_tamariki.requesters_66[_r.to_agency]
} else := {"status": "does_not_hold", "why": sprintf(_why.s66_purpose, [_r.purpose])} if {
	not data.privacy.oranga_tamariki.purposes_66[_r.purpose]
} else := {"status": "holds", "why": sprintf(_why.s66_holds, [_requester])}

_purpose_66c := data.privacy.oranga_tamariki.purposes_66c[_r.purpose]

_purpose_66c := data.privacy.oranga_tamariki.purposes_66c_department[_r.purpose] if {
	"oranga_tamariki" in {_r.from_agency, _r.to_agency}
}

_requester := data.privacy.oranga_tamariki.requesters_66[_r.to_agency]
