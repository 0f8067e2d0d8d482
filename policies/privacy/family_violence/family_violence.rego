# METADATA
# title: Family Violence Act 2018 s20 - sharing information about family violence
# description: >-
#   Assesses s20 for a request that claims it: both parties must be family violence
#   agencies (data.sharing.agencies) and the purpose one of the s20 purposes. A request
#   that does not claim s20 does not engage it.
package privacy.family_violence

import data.privacy.facts
import data.sharing.agencies

# METADATA
# title: Provisions considered
# description: s20 by citation, with status and why; empty unless the request claims s20.
considered := {"Family Violence Act 2018 s20": _s20} if {
	claimed
} else := {}

# METADATA
# title: Provisions that hold
# description: The citations of the provisions of this Act that authorise the disclosure.
holds := {p | some p, s in considered; s.status == "holds"}

# METADATA
# title: s20 claimed
# description: True when the request claims s20, which is what engages it.
claimed := true if {
	facts.claimed("Family Violence Act 2018 s20")
} else := false

_r := facts.request

_why := data.privacy.family_violence.why

_sender := agencies.sender.name if {
	agencies.sender
} else := "the sender"

_recipient := agencies.recipient.name if {
	agencies.recipient
} else := "the recipient"

_s20 := {"status": "does_not_hold", "why": sprintf(_why.sender, [_sender])} if {
	not agencies.sender.family_violence_agency
} else := {"status": "does_not_hold", "why": sprintf(_why.recipient, [_recipient])} if {
	not agencies.recipient.family_violence_agency
} else := {"status": "does_not_hold", "why": sprintf(_why.purpose, [_r.purpose])} if {
	not data.privacy.family_violence.purposes[_r.purpose]
} else := {"status": "holds", "why": sprintf(_why.holds, [data.privacy.family_violence.purposes[_r.purpose]])}
