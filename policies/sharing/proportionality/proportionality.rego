# METADATA
# title: MACIP proportionality
# description: >-
#   Lines the programme does not cross whatever the lawful basis: intelligence never
#   goes to a community provider; health detail beyond a summary needs a high or
#   imminent programme risk tier, a serious threat or the person's authorisation;
#   information about a child or young person goes to NZSIS only after privacy officer
#   review; and MACIP is voluntary, so a participant's refusal is reviewed before the
#   programme shares their information. These are the programme's rules, not the law's:
#   risk_level is read here, as the programme's own tier, and nowhere in privacy.*.
package sharing.proportionality

import data.lib.result
import data.privacy.facts
import data.privacy.legal
import data.sharing.agencies

# METADATA
# title: Intelligence to a community provider
# description: Intelligence is shared only between member agencies, never with community providers.
# custom:
#   id: sharing.proportionality.intelligence_to_community
#   severity: deny
#   authority: MACIP operating protocol (proportionality); Privacy Act 2020 s22 IPP 11(1)
deny contains v if {
	"intelligence" in facts.request.categories
	agencies.recipient.kind == "community"
	v := result.violation(
		rego.metadata.rule(),
		sprintf(_msg.intelligence_to_community, [_authority]),
		{"to_agency": facts.request.to_agency},
	)
}

# METADATA
# title: Health detail without a serious risk or authorisation
# description: >-
#   Mental health and alcohol and drug detail goes beyond a health summary; it is
#   shared only at high or imminent risk or with the person's authorisation.
# custom:
#   id: sharing.proportionality.health_detail
#   severity: deny
#   authority: MACIP operating protocol (proportionality); Health Information Privacy Code 2020 r11(3)
deny contains v if {
	detail := {c | some c in facts.request.categories; data.sharing.proportionality.health_detail[c]}
	count(detail) > 0
	not _health_detail_justified
	v := result.violation(
		rego.metadata.rule(),
		sprintf(_msg.health_detail, [
			_authority,
			concat(", ", sort(detail)),
			facts.request.risk_level,
			facts.request.consent,
		]),
		{"categories": sort(detail)},
	)
}

# METADATA
# title: Child or young person to NZSIS
# description: Information about a person under 18 goes to NZSIS only after privacy officer review.
# custom:
#   id: sharing.proportionality.child_to_nzsis
#   severity: refer
#   authority: MACIP operating protocol (proportionality)
refer contains v if {
	agencies.recipient.intelligence_and_security_agency
	_about_a_child
	v := result.violation(
		rego.metadata.rule(),
		sprintf(_msg.child_to_nzsis, [_authority]),
		{"to_agency": facts.request.to_agency},
	)
}

_msg := data.sharing.proportionality.messages

_authority := data.sharing.proportionality.authority

# METADATA
# title: A participant who refused
# description: >-
#   MACIP is voluntary: a participant who refused is taken out of the programme's own
#   sharing, so a disclosure resting on the Privacy Act or the Code alone is reviewed (an
#   enactment that authorises it, or an urgent threat, is the outcome table's to weigh).
# custom:
#   id: sharing.proportionality.refused_participant
#   severity: refer
#   authority: MACIP operating protocol (participation is voluntary)
refer contains v if {
	facts.request.participant
	facts.request.consent == "refused"
	count(legal.statute) == 0
	v := result.violation(rego.metadata.rule(), sprintf(_msg.refused_participant, [_authority]), {})
}

_about_a_child if facts.request.child

_about_a_child if {
	age := input.subject.age
	is_number(age)
	age < 18
}

_health_detail_justified if data.sharing.proportionality.serious_tiers[facts.request.risk_level]

_health_detail_justified if facts.threat.serious == true

_health_detail_justified if facts.request.consent == "given"
