# METADATA
# title: Health Information Privacy Code 2020 rule 11 - limits on disclosure of health information
# description: >-
#   Where the sender is a health agency and the request includes health information
#   (data.privacy.hipc.health_categories), rule 11 governs those categories instead of
#   IPP 11. Tests each rule 11 limb on the facts, including the rule 11(2) precondition
#   that authorisation is not desirable or not practicable to obtain. Each limb is
#   [status, code] as in privacy.ipp11.
package privacy.hipc

import data.privacy.facts
import data.privacy.ipp11
import data.sharing.agencies

# METADATA
# title: Health categories under the Code
# description: >-
#   The request's categories that are health information held by a health agency
#   (empty when the sender is not a health agency).
categories := set() if {
	agencies.sender.health_agency == false # most senders: answered by the first rule entered
} else := {c | some c in facts.request.categories; data.privacy.hipc.health_categories[c]} if {
	agencies.sender.health_agency
} else := set()

# METADATA
# title: Limbs considered
# description: Each rule 11 limb by citation, as [status, code].
considered := {
	"Health Information Privacy Code 2020 r11(1)(a)": ["not_engaged", "r11_1_a"],
	"Health Information Privacy Code 2020 r11(1)(b)": _b,
	"Health Information Privacy Code 2020 r11(1)(c)": _c,
	"Health Information Privacy Code 2020 r11(1)(d)": _d,
	"Health Information Privacy Code 2020 r11(2)": _gate,
	"Health Information Privacy Code 2020 r11(2)(a)": _gated(_a),
	"Health Information Privacy Code 2020 r11(2)(c)": _gated(_c2),
	"Health Information Privacy Code 2020 r11(2)(d)(i)": _gated(ipp11.threat_test({"public"})),
	"Health Information Privacy Code 2020 r11(2)(d)(ii)": _gated(ipp11.threat_test({"subject", "another_person"})),
	"Health Information Privacy Code 2020 r11(2)(i)(i)": _gated(_i("offences", true)),
	"Health Information Privacy Code 2020 r11(2)(i)(ii)": _gated(_i("proceedings", false)),
}

# METADATA
# title: Limbs that hold
# description: >-
#   The citations of the rule 11 limbs that permit the disclosure (the rule 11(2)
#   precondition on its own permits nothing and is not listed).
holds := {p | some p, v in considered; v[0] == "holds"; p != _gate_provision}

# METADATA
# title: Facts missing
# description: The facts a limb needs that the request does not state.
missing := {v[1] | some v in considered; v[0] == "uncertain"}

_gate_provision := "Health Information Privacy Code 2020 r11(2)"

_r := facts.request

_collection := object.get(input, ["collection", "disclosure"], "")

_b := ["holds", "b_given"] if {
	_r.consent == "given"
} else := ["does_not_hold", "b_not"]

_c := ["not_engaged", "c_not_stated"] if {
	_collection == ""
} else := ["holds", "c_one_of"] if {
	_collection == "one_of_the_purposes"
} else := ["does_not_hold", "c_not_one_of"]

_d := ["holds", "d_holds"] if {
	is_object(input.publicly_available)
} else := ["not_engaged", "d_not_stated"]

# The rule 11(2) precondition.
_gate := ["not_engaged", "gate_given"] if {
	_r.consent == "given"
} else := ["holds", "gate_not_possible"] if {
	_r.consent == "not_possible"
} else := ["holds", "gate_refused_reasons"] if {
	_r.consent == "refused"
	_r.refusal_reasons
} else := ["does_not_hold", "gate_refused"] if {
	_r.consent == "refused"
} else := ["holds", "gate_urgent"] if {
	facts.threat.serious == true
} else := ["does_not_hold", "gate_not_sought"]

# A rule 11(2) limb whose own test holds holds only if the precondition does.
_gated(own) := ["does_not_hold", "needs_gate"] if {
	own[0] == "holds"
	_gate[0] != "holds"
} else := own

_a := ["not_engaged", "a_not_stated"] if {
	_collection == ""
} else := ["holds", "a_holds"] if {
	_collection == "directly_related"
} else := ["not_engaged", "a_other"]

_deidentified := object.get(input, "de_identified", null)

_c2 := ["not_engaged", "c2_not_stated"] if {
	not is_object(_deidentified)
} else := ["does_not_hold", "c2_published"] if {
	_deidentified.use != "not_identified"
	_deidentified.published_identifiably != false
} else := ["holds", "c2_holds"]

_law := object.get(input, "maintenance_of_law", null)

_i(limb, needs_function) := ["not_engaged", "i_not_stated"] if {
	not is_object(_law)
} else := ["not_engaged", "i_other_limb"] if {
	_law.limb != limb
} else := ["does_not_hold", "i_no_function"] if {
	needs_function
	not _recipient_maintains_law
} else := ["does_not_hold", "i_not_necessary"] if {
	object.get(_law, "necessary", true) == false
} else := ["holds", "i_holds"]

_recipient_maintains_law if {
	agencies.recipient.public_sector == true
	"offences" in agencies.recipient.law_functions
}
