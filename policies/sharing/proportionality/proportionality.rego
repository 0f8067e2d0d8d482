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
		sprintf(
			data.sharing.proportionality.messages.intelligence_to_community,
			[data.sharing.proportionality.authority],
		),
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
	# Every category listed in health_detail is detail (the test of the data says so), so
	# the request's detail is the intersection of its categories with the list.
	detail := facts.request.categories & object.keys(data.sharing.proportionality.health_detail)
	detail != set()
	not _health_detail_justified
	v := result.violation(
		rego.metadata.rule(),
		sprintf(data.sharing.proportionality.messages.health_detail, [
			data.sharing.proportionality.authority,
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
		sprintf(data.sharing.proportionality.messages.child_to_nzsis, [data.sharing.proportionality.authority]),
		{"to_agency": facts.request.to_agency},
	)
}

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
	# The request's own fields, compared with constants: OPA's rule index skips this rule
	# for every request that does not state both (facts.request reads them the same way).
	input.subject.consent == "refused"
	input.subject.macip_participant == true
	count(legal.statute) == 0
	v := result.violation(
		rego.metadata.rule(),
		sprintf(
			data.sharing.proportionality.messages.refused_participant,
			[data.sharing.proportionality.authority],
		),
		{},
	)
}

# The information relates to a child (facts.request.child), or the subject is under 18.
_about_a_child if is_object(input.relates_to_child)

_about_a_child if {
	age := input.subject.age
	is_number(age)
	age < 18
}

# Read from the input as facts.request reads it; the consent rule is found through OPA's
# rule index, so it is not entered unless the person gave their authorisation.
_health_detail_justified if input.subject.consent == "given"

_health_detail_justified if data.sharing.proportionality.serious_tiers[input.risk_level]

_health_detail_justified if facts.threat.serious == true
