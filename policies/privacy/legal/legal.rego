# METADATA
# title: The legal verdict
# description: >-
#   Combines the findings of every body of law into one verdict on the facts: required,
#   permitted, prohibited or uncertain, with the provisions that hold (basis), the facts
#   missing for an uncertain verdict, and what became of each claimed basis. IPP 11
#   governs the categories that are not health information held by a health agency;
#   rule 11 of the Health Information Privacy Code governs those that are; the Oranga
#   Tamariki Act and the Family Violence Act authorise or require disclosure of either
#   (Privacy Act 2020 s24); IPP 12 adds its test for an overseas recipient.
package privacy.legal

import data.privacy.facts
import data.privacy.family_violence
import data.privacy.hipc
import data.privacy.ipp11
import data.privacy.ipp12
import data.privacy.oranga_tamariki

# METADATA
# title: Categories IPP 11 governs
# description: The request's categories that are not health information held by a health agency.
general := facts.request.categories - hipc.categories

# METADATA
# title: Enactments that authorise or require the disclosure
# description: The Oranga Tamariki Act and Family Violence Act provisions that hold.
default statute := set()

# s66(1) and s66C(b) hold only for information relating to a child (relates_to_child),
# s20 only on family violence facts (family_violence): a request that states neither,
# as most do not, has no enactment that holds, and OPA's rule index, which checks these
# input fields, enters none of these rules.
statute := oranga_tamariki.holds | family_violence.holds if input.relates_to_child

statute := oranga_tamariki.holds | family_violence.holds if input.family_violence

# METADATA
# title: Duties
# description: The provisions that hold and oblige the agency to disclose.
default duties := set()

# The only duty, s66(1), holds only on a request under s66 (statutory_request).
duties := oranga_tamariki.duties if input.statutory_request

# METADATA
# title: Basis
# description: Every provision that holds under a regime that governs the request, sorted.
basis := sort((_governed_holds | statute) | ipp12.holds) if {
	# IPP 12 applies only overseas (overseas), and not to a disclosure an enactment
	# authorises or requires (Privacy Act 2020 s24).
	input.overseas == true
	statute == set()
} else := sort(ipp11.holds | statute) if {
	# Most requests: IPP 11 governs every category (none is health information under the
	# Code), read without the general case below.
	hipc.categories == set()
	general != set()
} else := sort(_governed_holds | statute)

# METADATA
# title: Verdict
# description: required, permitted, prohibited or uncertain (see data.privacy.legal).
verdict := "required" if {
	input.statutory_request # duties hold only on a request under s66
	duties != set()
} else := "permitted" if {
	# Most requests: IPP 11 governs every category and an exception holds, so no governed
	# set of categories is open (see _open), and no fact is missing; the same answer as the
	# last line below, reached without asking the two questions in between.
	hipc.categories == set()
	ipp11.holds != set()
	missing == set()
} else := "prohibited" if {
	# A governed set of categories has no provision that holds, no enactment does, and
	# no fact is missing that could change that.
	some open in _open
	open == set()
} else := "uncertain" if {
	missing != set()
} else := "permitted"

# METADATA
# title: Facts missing
# description: >-
#   The facts to supply before the law can be applied, when no provision holds for a
#   governed set of categories but a test lacks a fact, or an overseas safeguard is not
#   shown (empty otherwise).
missing := (object.get(_open, "ipp11", set()) | object.get(_open, "hipc", set())) | ipp12.missing if {
	# IPP 12 (and the Code's rule 12) as for basis.
	input.overseas == true
	statute == set()
} else := set() if {
	# Most requests: IPP 11 governs every category and an exception holds, so no governed
	# set of categories is open (see _open).
	hipc.categories == set()
	ipp11.holds != set()
} else := object.get(_open, "ipp11", set()) | object.get(_open, "hipc", set())

# METADATA
# title: Claimed bases
# description: >-
#   What became of each claimed citation and invoked provision: holds; considered (it
#   names a provision these policies assess, which does not hold or whose regime does
#   not govern the request); or not_assessed.
claims[c] := _claim(c) if some c in facts.claims

# The provision a statutory request invokes (OPA's rule index skips this rule when the
# request states none).
claims[c] := _claim(c) if {
	input.statutory_request
	c := facts.statutory_provision
	c != ""
}

# METADATA
# title: Claimed bases not assessed
# description: Claimed or invoked provisions these policies do not assess (sorted).
not_assessed := [] if {
	claims == {}
} else := sort([c | some c, s in claims; s == "not_assessed"])

# METADATA
# title: Provision titles
# description: The title of every provision these policies assess, by citation.
titles := object.union_n([
	data.privacy.ipp11.titles,
	data.privacy.hipc.titles,
	data.privacy.oranga_tamariki.titles,
	data.privacy.family_violence.titles,
	data.privacy.ipp12.titles,
])

# What each regime that governs the request finds. Most requests fall under IPP 11
# alone, with no enactment engaged and nothing overseas: the rules above and below are
# arranged so that such a request reads each finding once and enters few rules.

# The provisions that hold under IPP 11 and under the Code's rule 11, each for the
# categories it governs. Most requests hold no health information under the Code.
_governed_holds := ipp11.holds if {
	hipc.categories == set()
	general != set()
} else := ipp11.holds | hipc.holds if {
	general != set()
} else := hipc.holds if {
	hipc.categories != set()
} else := set()

# A governed set of categories with no provision that holds, while no enactment holds
# either: the facts still open for it (empty when none could change that), by regime.
_open["ipp11"] := ipp11.missing | _statute_open if {
	general != set()
	ipp11.holds == set()
	statute == set()
}

_open["hipc"] := hipc.missing | _statute_open if {
	hipc.categories != set()
	hipc.holds == set()
	statute == set()
}

# The facts either enactment still needs, asked only when it can be engaged at all: a
# statutory request, information relating to a child, family violence facts or a claimed
# basis. Each Act's own rules decide whether it is engaged; this only spares most
# requests, which state none of these, from asking. OPA's rule index checks the first
# three on the input; a request claiming nothing (claimed_basis empty, so facts.claims
# empty) is answered by the fourth.
_statute_open := oranga_tamariki.missing | family_violence.missing if {
	input.statutory_request
} else := oranga_tamariki.missing | family_violence.missing if {
	input.relates_to_child
} else := oranga_tamariki.missing | family_violence.missing if {
	input.family_violence
} else := set() if {
	input.claimed_basis == []
} else := oranga_tamariki.missing | family_violence.missing if {
	facts.claims != set()
} else := set()

_claim(c) := "holds" if {
	some b in basis
	facts.matches(c, b)
} else := "considered" if {
	_assessed(c)
} else := "not_assessed"

# What facts.matches(c, p) finds for some provision p assessed here, by lookup rather
# than by trying every provision: c is one, a paragraph of one, or one is a paragraph of it.
_assessed(c) if {
	titles[c]
} else if {
	some i in indexof_n(c, "(")
	titles[substring(c, 0, i)]
} else if {
	strings.any_prefix_match(object.keys(titles), concat("", [c, "("]))
}
