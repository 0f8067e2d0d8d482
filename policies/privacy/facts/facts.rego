# METADATA
# title: Disclosure request facts
# description: >-
#   Reads a disclosure request (the input of every privacy and sharing rule) into the
#   facts those rules test, with safe defaults: a missing or malformed field is read as
#   "not shown", so it can never satisfy an exception. The legal tests read facts
#   (threat, relates_to_child, statutory_request, maintenance_of_law, collection, ...);
#   purpose and risk_level are labels the programme layer reads, never a legal test.
#   Reference data in data.privacy.facts.
package privacy.facts

# How these policies weigh a threat (Privacy Act 2020 s7(1)): see data.yaml.
import data.privacy.facts.serious_threat as _st

# METADATA
# title: The request, as the rules read it
# description: >-
#   from_agency, to_agency, purpose, risk_level and consent as given ("" when absent);
#   categories as a set; participant, overseas, refusal_reasons (reasons stated for
#   overriding a refusal) and child (the information relates to a child or young person)
#   as booleans; complete is true only when every field a decision needs is present and
#   of the right type (see missing for which are not).
request := {
	"from_agency": from_agency,
	"to_agency": to_agency,
	"purpose": purpose,
	"risk_level": risk_level,
	"consent": consent,
	"refusal_reasons": _refusal_reasons,
	"categories": categories,
	"participant": subject.macip_participant == true,
	"child": is_object(object.get(input, "relates_to_child", null)),
	"overseas": input.overseas == true,
	"complete": true,
} if {
	# A request shaped as the model writes it (every such request) is read directly: each
	# field a decision needs present and of the right type, so complete is true. The same
	# tests as _complete; anything else (a missing or malformed field) is read below, field
	# by field with its default, exactly as before.
	subject := input.subject
	from_agency := input.from_agency
	is_string(from_agency)
	to_agency := input.to_agency
	is_string(to_agency)
	purpose := input.purpose
	is_string(purpose)
	risk_level := input.risk_level
	is_string(risk_level)
	consent := subject.consent
	is_string(consent)
	is_number(subject.age)
	categories := {c | some c in input.categories}
	categories != set() # at least one category
} else := {
	"from_agency": object.get(input, "from_agency", ""),
	"to_agency": object.get(input, "to_agency", ""),
	"purpose": object.get(input, "purpose", ""),
	"risk_level": object.get(input, "risk_level", ""),
	"consent": object.get(input, ["subject", "consent"], ""),
	"refusal_reasons": _refusal_reasons,
	"categories": {c | some c in input.categories},
	"participant": object.get(input, ["subject", "macip_participant"], false) == true,
	"child": is_object(object.get(input, "relates_to_child", null)),
	"overseas": object.get(input, "overseas", false) == true,
	"complete": _complete,
}

# METADATA
# title: The threat, as Privacy Act 2020 s7(1) weighs it
# description: >-
#   present (a threat is described); to (public, subject or another_person); serious
#   (true, false, or "unknown" when a factor is missing); urgent (serious and may be
#   realised imminently); can_act (recipient_can_act: true, false or "unknown"); and
#   missing, the factors not stated.
threat := {
	"present": true,
	"to": object.get(t, "to", ""),
	"serious": _serious,
	"urgent": urgent,
	"can_act": can_act,
	"missing": set(),
} if {
	# Written as an assignment from input so that a request describing no threat (most)
	# goes straight to the last answer below without entering this rule.
	t := input.threat
	is_object(t)
	# Most threats state every factor (none is missing, so seriousness is known: both
	# read _factors) and whether the recipient can act: read here without the general
	# case that follows.
	_serious != "unknown"
	can_act := t.recipient_can_act
	is_boolean(can_act)
} else := {
	"present": true,
	"to": object.get(t, "to", ""),
	"serious": _serious,
	"urgent": urgent,
	"can_act": _can_act,
	"missing": {concat(".", ["threat", factor]) | some factor, score in _factors; score == null},
} if {
	t := input.threat
	is_object(t)
} else := {"present": false, "to": "", "serious": false, "urgent": false, "can_act": false, "missing": set()}

# METADATA
# title: Urgent
# description: The facts show a serious threat that may be realised imminently.
default urgent := false

# Only a threat that states its imminence can be urgent, so a request without one is
# answered by the default without entering this rule.
urgent if {
	imminence := input.threat.imminence
	_st.urgent_imminence[imminence]
	_serious == true
}

# METADATA
# title: Claimed citations
# description: >-
#   The request's claimed_basis, tidied ("s 66C" -> "s66C") and with short forms
#   expanded ("IPP 11(1)(c)" -> "Privacy Act 2020 s22 IPP 11(1)(c)").
claims := set() if {
	# Most requests claim nothing: answered without reading the list.
	input.claimed_basis == []
} else := {_expand(_tidy(c)) | some c in input.claimed_basis; is_string(c)}

# METADATA
# title: Statutory provision invoked by the requester
# description: statutory_request.provision tidied and expanded as claims are ("" when absent).
statutory_provision := _expand(_tidy(p)) if {
	p := input.statutory_request.provision
	is_string(p)
} else := ""

# METADATA
# title: Missing or malformed fields
# description: The fields a decision needs that the request lacks or gets wrong.
missing contains field if {
	some field in ["from_agency", "to_agency", "purpose", "risk_level"]
	not _is_text(object.get(input, field, null))
}

missing contains "categories" if count({c | some c in input.categories}) == 0

missing contains "subject.consent" if not _is_text(object.get(input, ["subject", "consent"], null))

missing contains "subject.age" if not is_number(object.get(input, ["subject", "age"], null))

# METADATA
# title: Citation match
# description: >-
#   True when a claimed citation names the provision, a paragraph of it, or the
#   provision it is a paragraph of ("... IPP 11(1)(f)" matches "... IPP 11(1)(f)(ii)").
matches(claim, provision) if {
	# Each written with "(" after it, one begins with the other exactly when they are the
	# same or one is a paragraph of the other; sorted, the one that could be the
	# beginning comes first.
	texts := sort([concat("", [claim, "("]), concat("", [provision, "("])])
	startswith(texts[1], texts[0])
}

# METADATA
# title: Claimed provision
# description: True when the request's claimed_basis names the provision (see matches).
claimed(provision) if {
	some claim in claims
	matches(claim, provision)
}

# Each factor's score, null when the threat does not state it (or states a value not scored).
_factors := {
	"likelihood": object.get(_st.likelihood, object.get(input.threat, "likelihood", ""), null),
	"severity": object.get(_st.severity, object.get(input.threat, "severity", ""), null),
	"imminence": object.get(_st.imminence, object.get(input.threat, "imminence", ""), null),
}

# Unknown while any factor is missing.
_serious := "unknown" if {
	some score in _factors
	score == null
} else := true if {
	_factors.severity >= _st.min_severity
	(_factors.likelihood + _factors.severity) + _factors.imminence >= _st.min_score
} else := false

_can_act := can_act if {
	can_act := input.threat.recipient_can_act
	is_boolean(can_act)
} else := "unknown"

default _complete := false

# An empty string passes here but matches no agency, purpose or consent value, so it
# cannot satisfy any rule either. At least one category: an empty list, or anything
# that is not a list, has none.
_complete if {
	is_string(input.from_agency)
	is_string(input.to_agency)
	is_string(input.purpose)
	is_string(input.risk_level)
	is_string(input.subject.consent)
	is_number(input.subject.age)
	some _ in input.categories
}

_is_text(value) if {
	is_string(value)
	trim_space(value) != ""
}

default _refusal_reasons := false

# Written as an assignment from input so that a request stating no reasons (most) is
# answered by the default without entering this rule.
_refusal_reasons if {
	reasons := input.subject.refusal_reasons
	_is_text(reasons)
}

# "s 66C" -> "s66C", "r 11(2)" -> "r11(2)", runs of spaces -> one space.
_tidy(c) := regex.replace(regex.replace(trim_space(c), `\s+`, " "), `\b([sr]) (\d)`, "${1}${2}")

_expand(c) := concat("", [full, substring(c, count(short), -1)]) if {
	some short, full in data.privacy.facts.citation_aliases
	startswith(c, short)
} else := c
