# METADATA
# title: Disclosure request facts
# description: >-
#   Reads a disclosure request (the input of every privacy and sharing rule) into the
#   facts those rules test, with safe defaults: a missing or malformed field is read as
#   "not shown", so it can never satisfy an exception. Reference data in
#   data.privacy.facts (risk levels, sensitive categories, citation short forms).
package privacy.facts

# METADATA
# title: The request, as the rules read it
# description: >-
#   from_agency, to_agency, purpose, risk_level and consent as given ("" when absent);
#   categories as a set; participant, child, overseas, and the risk-derived tests
#   necessary, serious and urgent as booleans; complete is true only when every field a
#   decision needs is present and of the right type (see missing for which are not).
#   Claimed citations are in claims, read only by the rules that need them.
request := {
	"from_agency": object.get(input, "from_agency", ""),
	"to_agency": object.get(input, "to_agency", ""),
	"purpose": object.get(input, "purpose", ""),
	"risk_level": _risk,
	"consent": object.get(input, ["subject", "consent"], ""),
	"categories": _categories,
	"participant": object.get(input, ["subject", "macip_participant"], false) == true,
	"child": _child,
	"overseas": object.get(input, "overseas", false) == true,
	"necessary": _level.necessary,
	"serious": _level.serious,
	"urgent": _level.urgent,
	"complete": _complete,
}

# METADATA
# title: Claimed citations
# description: >-
#   The request's claimed_basis, tidied ("s 66C" -> "s66C") and with short forms
#   expanded ("IPP 11(1)(c)" -> "Privacy Act 2020 s22 IPP 11(1)(c)").
claims := {_expand(_tidy(c)) | some c in input.claimed_basis; is_string(c)}

# METADATA
# title: Missing or malformed fields
# description: The fields a decision needs that the request lacks or gets wrong.
missing contains field if {
	some field in ["from_agency", "to_agency", "purpose"]
	not _is_text(object.get(input, field, null))
}

missing contains "risk_level" if not data.privacy.facts.risk_levels[_risk]

missing contains "categories" if count(_categories) == 0

missing contains "subject.consent" if not _is_text(object.get(input, ["subject", "consent"], null))

missing contains "subject.age" if not is_number(object.get(input, ["subject", "age"], null))

# METADATA
# title: Citation match
# description: >-
#   True when a claimed citation names the provision, a paragraph of it, or the
#   provision it is a paragraph of ("... IPP 11(1)(f)" matches "... IPP 11(1)(f)(ii)").
matches(claim, provision) if claim == provision

matches(claim, provision) if startswith(provision, concat("", [claim, "("]))

matches(claim, provision) if startswith(claim, concat("", [provision, "("]))

# METADATA
# title: Claimed provision
# description: True when the request's claimed_basis names the provision (see matches).
claimed(provision) if {
	some claim in claims
	matches(claim, provision)
}

_risk := object.get(input, "risk_level", "")

_categories := {c | some c in object.get(input, "categories", [])}

_level := data.privacy.facts.risk_levels[_risk] if {
	data.privacy.facts.risk_levels[_risk]
} else := {"rank": -1, "necessary": false, "serious": false, "urgent": false}

_child := true if {
	age := object.get(input, ["subject", "age"], null)
	is_number(age)
	age >= 0
	age < data.privacy.facts.child_or_young_person_under
} else := false

default _complete := false

# An empty string passes here but matches no agency, purpose or consent value, so it
# cannot satisfy any rule either.
_complete if {
	_level.rank >= 0
	count(_categories) > 0
	is_string(input.from_agency)
	is_string(input.to_agency)
	is_string(input.purpose)
	is_string(input.subject.consent)
	is_number(input.subject.age)
}

_is_text(value) if {
	is_string(value)
	value != ""
}

# "s 66C" -> "s66C", "r 11(2)" -> "r11(2)", runs of spaces -> one space.
_tidy(c) := regex.replace(regex.replace(trim_space(c), `\s+`, " "), `\b([sr]) (\d)`, "${1}${2}")

_expand(c) := concat("", [full, substring(c, count(short), -1)]) if {
	some short, full in data.privacy.facts.citation_aliases
	startswith(c, short)
} else := c
