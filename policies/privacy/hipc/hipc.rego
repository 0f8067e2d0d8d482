# METADATA
# title: Health Information Privacy Code 2020 rule 11 - limits on disclosure of health information
# description: >-
#   Where the sender is a health agency and the request includes health information
#   (data.privacy.hipc.health_categories), rule 11 governs those categories instead of
#   IPP 11. Assesses each rule 11 limb the request can engage, including the rule 11(2)
#   precondition that authorisation is not desirable or not practicable to obtain.
package privacy.hipc

import data.privacy.facts
import data.sharing.agencies

# METADATA
# title: Health categories under the Code
# description: >-
#   The request's categories that are health information held by a health agency
#   (empty when the sender is not a health agency).
categories := {c | some c in _r.categories; data.privacy.hipc.health_categories[c]} if {
	agencies.sender.health_agency
} else := set()

# METADATA
# title: Limbs considered
# description: >-
#   Each rule 11 limb the request can engage, by citation, with its status (holds,
#   does_not_hold, not_engaged) and why.
considered := object.union(data.privacy.hipc.not_engaged, {
	"Health Information Privacy Code 2020 r11(1)(b)": _r11_1_b,
	"Health Information Privacy Code 2020 r11(1)(c)": _r11_1_c,
	_gate_provision: _gate,
	"Health Information Privacy Code 2020 r11(2)(a)": _r11_2_a,
	"Health Information Privacy Code 2020 r11(2)(d)": _r11_2_d,
	"Health Information Privacy Code 2020 r11(2)(i)(i)": _r11_2_i_i,
})

# METADATA
# title: Limbs that hold
# description: >-
#   The citations of the rule 11 limbs that permit the disclosure (the rule 11(2)
#   precondition on its own permits nothing and is not listed).
holds := {p | some p, s in considered; s.status == "holds"; p != _gate_provision}

_gate_provision := "Health Information Privacy Code 2020 r11(2)"

_r := facts.request

_why := data.privacy.hipc.why

_recipient := agencies.recipient.name if {
	agencies.recipient
} else := "the recipient"

_r11_1_b := {"status": "holds", "why": _why.r11_1_b_holds} if {
	_r.consent == "given"
} else := {"status": "does_not_hold", "why": sprintf(_why.r11_1_b_no, [_r.consent])}

_r11_1_c := {"status": "does_not_hold", "why": _why.r11_1_c_no_participant} if {
	not _r.participant
} else := {"status": "does_not_hold", "why": sprintf(_why.r11_1_c_purpose, [_r.purpose])} if {
	not data.privacy.hipc.obtained_for_purposes[_r.purpose]
} else := {"status": "does_not_hold", "why": _why.r11_1_c_refused} if {
	_r.consent == "refused"
} else := {"status": "holds", "why": _why.r11_1_c_holds}

# The rule 11(2) precondition.
_gate := {"status": "not_engaged", "why": _why.gate_given} if {
	_r.consent == "given"
} else := {"status": "holds", "why": _why.gate_not_possible} if {
	_r.consent == "not_possible"
} else := {"status": "holds", "why": _why.gate_refused} if {
	_r.consent == "refused"
} else := {"status": "holds", "why": sprintf(_why.gate_urgent, [_r.risk_level])} if {
	_r.consent == "not_sought"
	_r.serious
} else := {"status": "does_not_hold", "why": sprintf(_why.gate_no, [_r.risk_level])} if {
	_r.consent == "not_sought"
} else := {"status": "does_not_hold", "why": _why.gate_unknown}

# A rule 11(2) limb whose own test passed holds only if the precondition does.
_gated(why) := {"status": "holds", "why": why} if {
	_gate.status == "holds"
} else := {"status": "does_not_hold", "why": sprintf(_why.needs_gate, [why])}

_r11_2_a := {"status": "not_engaged", "why": _why.r11_2_a_idle} if {
	not data.privacy.hipc.directly_related_purposes[_r.purpose]
} else := {"status": "does_not_hold", "why": _why.r11_2_a_no_participant} if {
	not _r.participant
} else := _gated(sprintf(_why.r11_2_a_holds, [_r.purpose]))

_r11_2_d := {"status": "not_engaged", "why": _why.r11_2_d_idle} if {
	not data.privacy.hipc.serious_threat_purposes[_r.purpose]
} else := {"status": "does_not_hold", "why": sprintf(_why.r11_2_d_no, [_r.risk_level])} if {
	not _r.serious
} else := _gated(sprintf(_why.r11_2_d_holds, [_r.risk_level]))

_r11_2_i_i := {"status": "not_engaged", "why": _why.r11_2_i_idle} if {
	_r.purpose != "maintenance_of_law"
} else := {"status": "does_not_hold", "why": sprintf(_why.r11_2_i_recipient, [_recipient])} if {
	not agencies.recipient.maintains_law
} else := {"status": "does_not_hold", "why": sprintf(_why.r11_2_i_risk, [_r.risk_level])} if {
	not _r.necessary
} else := _gated(sprintf(_why.r11_2_i_holds, [_r.risk_level, _recipient]))
