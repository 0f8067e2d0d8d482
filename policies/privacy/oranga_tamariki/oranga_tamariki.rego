# METADATA
# title: Oranga Tamariki Act 1989 - information sharing about children and young people
# description: >-
#   Tests the two Oranga Tamariki Act routes on the facts, whoever the information is
#   about: s66(1), the duty to supply information on request of the chief executive, a
#   care and protection co-ordinator or a constable (statutory_request); and s66C(b),
#   disclosure between child welfare and protection agencies of information relating to
#   a child or young person (relates_to_child) to assist with a s66C(a) purpose. Each is
#   [status, code] as in privacy.ipp11.
package privacy.oranga_tamariki

import data.privacy.facts
import data.sharing.agencies

# METADATA
# title: Provisions considered
# description: s66(1) and s66C(b) by citation, as [status, code].
considered := {
	"Oranga Tamariki Act 1989 s66(1)": _s66,
	"Oranga Tamariki Act 1989 s66C(b)": _s66c,
}

# METADATA
# title: Provisions that hold
# description: The citations of the provisions of this Act that authorise or require the disclosure.
holds contains "Oranga Tamariki Act 1989 s66(1)" if {
	# Each provision holds as considered finds it, and only for information relating to a
	# child: OPA's rule index skips both rules when the request states none (holds is
	# then empty).
	input.relates_to_child
	_s66[0] == "holds"
}

holds contains "Oranga Tamariki Act 1989 s66C(b)" if {
	input.relates_to_child
	_s66c[0] == "holds"
}

# METADATA
# title: Duties
# description: The provisions that hold and oblige the agency to disclose (s66(1)).
duties := holds & {"Oranga Tamariki Act 1989 s66(1)"}

# METADATA
# title: Facts missing
# description: The facts a provision needs that the request does not state.
missing := {v[1] | some v in considered; v[0] == "uncertain"} if _engaged else := set()

# METADATA
# title: s66 request
# description: True when the request says an agency asked for the information under s66.
requested_under_66 if {
	input.statutory_request # as facts.statutory_provision needs; checked by OPA's rule index
	facts.statutory_provision != ""
	facts.matches(facts.statutory_provision, "Oranga Tamariki Act 1989 s66(1)")
}

# Neither provision is engaged without a s66 request or information relating to a
# child: most requests, whose holds and missing are then empty without looking further.
# Both hold only for information relating to a child, so holds asks only that. OPA's
# rule index checks these input fields without entering a rule; _s66 and _s66c decide.
_engaged if input.statutory_request

_engaged if input.relates_to_child

_requester := data.privacy.oranga_tamariki.requesters_66[input.statutory_request.by]

_s66 := _s66_requested if {
	input.statutory_request # as requested_under_66 needs; checked by OPA's rule index
	requested_under_66
} else := ["not_engaged", "s66_not_requested"]

# s66(1) on a request under s66.
_s66_requested := ["does_not_hold", "s66_by"] if {
	not _requester
} else := ["does_not_hold", "s66_recipient"] if {
	facts.request.to_agency != _requester.agency
} else := ["uncertain", "relates_to_child"] if {
	facts.request.child == false # a boolean; a test, not a negation, enters no rule
} else := ["holds", "s66_holds"]

_s66c := ["not_engaged", "s66c_no_child"] if {
	facts.request.child == false # a boolean; a test, not a negation, enters no rule
} else := ["does_not_hold", "s66c_sender"] if {
	not agencies.sender.child_welfare_and_protection_agency
} else := ["does_not_hold", "s66c_recipient"] if {
	not agencies.recipient.child_welfare_and_protection_agency
} else := ["uncertain", "relates_to_child.assists"] if {
	# no s66C(a) purpose among those the request says disclosure will assist with
	count({a |
		some a in object.get(input, ["relates_to_child", "assists"], [])
		data.privacy.oranga_tamariki.purposes_66c[a]
	}) == 0
} else := ["holds", "s66c_holds"]
