# METADATA
# title: Privacy Act 2020 IPP 11 - limits on disclosure
# description: >-
#   Tests every IPP 11(1) exception, (a) to (i) with (e)(i)-(iv), (f)(i)-(ii) and
#   (h)(i)-(ii), on the facts the request states. Each is [status, code]: status is
#   holds, does_not_hold, not_engaged or uncertain (a fact the test needs is missing;
#   the code is then that fact's path). Wording is in data.privacy.ipp11.why, read only
#   when a decision is explained. Whether IPP 11 governs the request at all, rather than
#   the Health Information Privacy Code, is decided in privacy.legal.
package privacy.ipp11

import data.privacy.facts
import data.sharing.agencies

# The paragraphs tested by one rule with different arguments (data.yaml): (e) by limb and
# whether the recipient must hold the function, (f) by whom the threat is to, (h) by use.
import data.privacy.ipp11.e_limbs
import data.privacy.ipp11.f_targets
import data.privacy.ipp11.h_uses

# METADATA
# title: Exceptions considered
# description: Each IPP 11(1) exception by citation, as [status, code].
considered := object.union_n([
	{
		"Privacy Act 2020 s22 IPP 11(1)(a)": _a,
		"Privacy Act 2020 s22 IPP 11(1)(b)": ["not_engaged", "b_agency"],
		"Privacy Act 2020 s22 IPP 11(1)(c)": _c,
		"Privacy Act 2020 s22 IPP 11(1)(d)": _d,
		"Privacy Act 2020 s22 IPP 11(1)(g)": _g,
		"Privacy Act 2020 s22 IPP 11(1)(i)": ["not_engaged", "i_business"],
	},
	{p: _e(e.limb, e.recipient_function) | some p, e in e_limbs},
	{p: threat_test(targets) | some p, targets in f_targets},
	{p: _h(uses) | some p, uses in h_uses},
])

# METADATA
# title: Exceptions that hold
# description: >-
#   The citations of the IPP 11(1) exceptions that hold for the request: those of
#   considered whose status is holds. Each exception is tested by the same rule as in
#   considered, but only when the request states the facts it rests on (an exception
#   whose facts are not stated is not engaged), so a decision does not test them all.
#   Each rule first reads the fact it rests on straight from the request, as an
#   equality or an assignment: a request that does not state it never enters the rule.
#   (a), (c) and (d) each rest on one stated fact, which is then the whole test.
holds contains "Privacy Act 2020 s22 IPP 11(1)(a)" if input.collection.disclosure == "one_of_the_purposes"

holds contains "Privacy Act 2020 s22 IPP 11(1)(a)" if input.collection.disclosure == "directly_related"

holds contains "Privacy Act 2020 s22 IPP 11(1)(c)" if input.subject.consent == "given"

holds contains "Privacy Act 2020 s22 IPP 11(1)(d)" if input.publicly_available.unfair == false

# Only the paragraph of the limb stated can hold (or every paragraph, when no limb is).
holds contains p if {
	law := input.maintenance_of_law
	is_object(law)
	some p, e in e_limbs
	object.get(law, "limb", e.limb) == e.limb
	_e(e.limb, e.recipient_function)[0] == "holds"
}

# Only the paragraph of the person the threat is to can hold, and for it threat_test is
# _threat_finding.
holds contains p if {
	to := input.threat.to
	some p, targets in f_targets
	to in targets
	_threat_finding[0] == "holds"
}

holds contains "Privacy Act 2020 s22 IPP 11(1)(g)" if {
	intelligence := input.intelligence_function
	is_object(intelligence)
	_g[0] == "holds"
}

holds contains p if {
	deidentified := input.de_identified
	is_object(deidentified)
	some p, uses in h_uses
	_h(uses)[0] == "holds"
}

# METADATA
# title: Facts missing
# description: >-
#   The facts an exception needs that the request does not state: the codes of the
#   exceptions of considered whose status is uncertain (only the serious threat test and
#   (g) can be).
missing contains _threat_finding[1] if {
	to := input.threat.to
	some targets in f_targets
	to in targets
	_threat_finding[0] == "uncertain"
}

missing contains _g[1] if {
	agencies.recipient.intelligence_and_security_agency
	_g[0] == "uncertain"
}

# METADATA
# title: Serious threat test
# description: >-
#   IPP 11(1)(f) and HIPC r11(2)(d) on the facts: a threat to one of targets that is
#   serious (Privacy Act 2020 s7(1)) and that the recipient can prevent or lessen, so
#   that disclosing to it is necessary.
threat_test(targets) := ["not_engaged", "f_no_threat"] if {
	not facts.threat.present
} else := ["not_engaged", "f_other_target"] if {
	not facts.threat.to in targets
} else := _threat_finding

# The serious threat test on a threat to one of the targets: the same whichever they
# are, so found once for all the paragraphs that test it.
_threat_finding := ["uncertain", sort(facts.threat.missing)[0]] if {
	facts.threat.serious == "unknown"
} else := ["does_not_hold", "f_not_serious"] if {
	facts.threat.serious == false
} else := ["uncertain", "threat.recipient_can_act"] if {
	facts.threat.can_act == "unknown"
} else := ["does_not_hold", "f_cannot_act"] if {
	facts.threat.can_act == false
} else := ["holds", "f_holds"]

_collection := object.get(input, ["collection", "disclosure"], "")

_a := ["not_engaged", "a_not_stated"] if {
	_collection == ""
} else := ["holds", "a_one_of"] if {
	_collection == "one_of_the_purposes"
} else := ["holds", "a_related"] if {
	_collection == "directly_related"
} else := ["does_not_hold", "a_unrelated"]

_c := ["holds", "c_given"] if {
	facts.request.consent == "given"
} else := ["does_not_hold", "c_not"]

_public := object.get(input, "publicly_available", null)

_d := ["not_engaged", "d_not_stated"] if {
	not is_object(_public)
} else := ["holds", "d_holds"] if {
	_public.unfair == false
} else := ["does_not_hold", "d_unfair"]

_law := object.get(input, "maintenance_of_law", null)

_e(limb, needs_function) := ["not_engaged", "e_not_stated"] if {
	not is_object(_law)
} else := ["not_engaged", "e_other_limb"] if {
	_law.limb != limb
} else := ["does_not_hold", "e_no_function"] if {
	needs_function
	not _recipient_has(limb)
} else := ["does_not_hold", "e_not_necessary"] if {
	object.get(_law, "necessary", true) == false
} else := ["holds", "e_holds"]

_recipient_has(limb) if {
	agencies.recipient.public_sector == true
	limb in agencies.recipient.law_functions
}

_intelligence := object.get(input, "intelligence_function", null)

_g := ["not_engaged", "g_recipient"] if {
	not agencies.recipient.intelligence_and_security_agency
} else := ["uncertain", "intelligence_function"] if {
	not is_object(_intelligence)
} else := ["does_not_hold", "g_not_necessary"] if {
	_intelligence.necessary == false
} else := ["holds", "g_holds"]

_deidentified := object.get(input, "de_identified", null)

_h(uses) := ["not_engaged", "h_not_stated"] if {
	not is_object(_deidentified)
} else := ["not_engaged", "h_other_use"] if {
	not _deidentified.use in uses
} else := ["does_not_hold", "h_published"] if {
	_deidentified.published_identifiably != false
	_deidentified.use != "not_identified"
} else := ["holds", "h_holds"]
