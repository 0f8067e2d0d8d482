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
statute := oranga_tamariki.holds | family_violence.holds if _enactment_possible else := set()

# METADATA
# title: Duties
# description: The provisions that hold and oblige the agency to disclose.
duties := oranga_tamariki.duties if _enactment_possible else := set()

# METADATA
# title: Basis
# description: Every provision that holds under a regime that governs the request, sorted.
basis := sort(_holds)

# METADATA
# title: Verdict
# description: required, permitted, prohibited or uncertain (see data.privacy.legal).
verdict := "required" if {
	count(duties) > 0
} else := "prohibited" if {
	_flat_fail
} else := "uncertain" if {
	count(missing) > 0
} else := "permitted"

# METADATA
# title: Facts missing
# description: >-
#   The facts to supply before the law can be applied, when no provision holds for a
#   governed set of categories but a test lacks a fact, or an overseas safeguard is not
#   shown (empty otherwise).
missing := (_ipp11_missing | _hipc_missing) | ipp12.missing if _no_statute else := set()

# METADATA
# title: Claimed bases
# description: >-
#   What became of each claimed citation and invoked provision: holds; considered (it
#   names a provision these policies assess, which does not hold or whose regime does
#   not govern the request); or not_assessed.
claims[c] := _claim(c) if some c in _claimed

# METADATA
# title: Claimed bases not assessed
# description: Claimed or invoked provisions these policies do not assess (sorted).
not_assessed := sort([c | some c, s in claims; s == "not_assessed"])

# METADATA
# title: Provision titles
# description: The title of every provision these policies assess, by citation.
titles := _titles

_titles := object.union_n([
	data.privacy.ipp11.titles,
	data.privacy.hipc.titles,
	data.privacy.oranga_tamariki.titles,
	data.privacy.family_violence.titles,
	data.privacy.ipp12.titles,
])

_claimed := facts.claims | {p | p := facts.statutory_provision; p != ""}

# What each regime that governs the request finds. Most requests fall under IPP 11
# alone, with no enactment engaged and nothing overseas: the rules below are arranged so
# that such a request reads each finding once.

_ipp11_applies if count(general) > 0

_hipc_applies if count(hipc.categories) > 0

_ipp11_holds := ipp11.holds if _ipp11_applies else := set()

_hipc_holds := hipc.holds if _hipc_applies else := set()

_no_statute if count(statute) == 0

_holds := (_ipp11_holds | _hipc_holds) | ipp12.holds if {
	_no_statute
} else := (_ipp11_holds | _hipc_holds) | statute

# A governed set of categories with no basis, and no enactment that supplies one: the
# facts still open for it, empty when none could change that.
_ipp11_open := ipp11.missing | _statute_open if {
	_ipp11_applies
	count(_ipp11_holds) == 0
	_no_statute
}

_hipc_open := hipc.missing | _statute_open if {
	_hipc_applies
	count(_hipc_holds) == 0
	_no_statute
}

_flat_fail if count(_ipp11_open) == 0

_flat_fail if count(_hipc_open) == 0

_statute_open := oranga_tamariki.missing | family_violence.missing if _enactment_possible else := set()

# Whether either enactment can be engaged at all: a statutory request, information relating
# to a child, family violence facts or a claimed basis. Each Act's own rules decide whether
# it is engaged; this only spares most requests, which state none of these, from asking.
_enactment_possible if input.statutory_request

_enactment_possible if facts.request.child

_enactment_possible if input.family_violence

_enactment_possible if count(facts.claims) > 0

default _ipp11_missing := set()

_ipp11_missing := _ipp11_open

default _hipc_missing := set()

_hipc_missing := _hipc_open

_claim(c) := "holds" if {
	some b in basis
	facts.matches(c, b)
} else := "considered" if {
	_assessed(c)
} else := "not_assessed"

# What facts.matches(c, p) finds for some provision p assessed here, by lookup rather
# than by trying every provision: c is one, a paragraph of one, or one is a paragraph of it.
_assessed(c) if {
	_titles[c]
} else if {
	some i in indexof_n(c, "(")
	_titles[substring(c, 0, i)]
} else if {
	strings.any_prefix_match(object.keys(_titles), concat("", [c, "("]))
}
