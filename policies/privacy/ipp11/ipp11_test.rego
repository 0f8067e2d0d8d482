package privacy.ipp11_test

import data.privacy.ipp11

_base := {
	"id": "t",
	"from_agency": "police",
	"to_agency": "msd",
	"subject": {"age": 30, "macip_participant": true, "consent": "not_sought"},
	"categories": ["identity", "contact"],
	"purpose": "coordination_of_support",
	"risk_level": "medium",
}

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

_p(x) := concat("", ["Privacy Act 2020 s22 IPP 11(1)", x])

_serious := {"to": "another_person", "likelihood": "high", "severity": "grave", "imminence": "days",
	"recipient_can_act": true}

test_fail_empty_input if {
	r := ipp11.holds with input as {}
	r == set()
	m := ipp11.missing with input as {}
	m == set()
}

test_success_nothing_holds_without_facts if {
	r := ipp11.considered with input as _base
	{p: v[0] | some p, v in r} == {
		_p("(a)"): "not_engaged", _p("(b)"): "not_engaged", _p("(c)"): "does_not_hold", _p("(d)"): "not_engaged",
		_p("(e)(i)"): "not_engaged", _p("(e)(ii)"): "not_engaged", _p("(e)(iii)"): "not_engaged",
		_p("(e)(iv)"): "not_engaged", _p("(f)(i)"): "not_engaged", _p("(f)(ii)"): "not_engaged",
		_p("(g)"): "not_engaged", _p("(h)(i)"): "not_engaged", _p("(h)(ii)"): "not_engaged", _p("(i)"): "not_engaged",
	}
}

test_success_every_exception_has_a_title if {
	r := ipp11.considered with input as _base
	object.keys(r) == object.keys(data.privacy.ipp11.titles)
}

test_success_purpose_of_collection if {
	r := ipp11.considered with input as _with({"collection": {"obtained_for": ["support"],
		"disclosure": "one_of_the_purposes"}})
	r[_p("(a)")] == ["holds", "a_one_of"]
	s := ipp11.considered with input as _with({"collection": {"obtained_for": ["support"],
		"disclosure": "directly_related"}})
	s[_p("(a)")] == ["holds", "a_related"]
}

test_fail_unrelated_to_collection if {
	r := ipp11.considered with input as _with({"collection": {"obtained_for": ["support"], "disclosure": "unrelated"}})
	r[_p("(a)")] == ["does_not_hold", "a_unrelated"]
}

test_success_refusal_does_not_decide_purpose_of_collection if {
	patch := {
		"subject": {"age": 30, "macip_participant": true, "consent": "refused"},
		"collection": {"obtained_for": ["support"], "disclosure": "one_of_the_purposes"},
	}
	r := ipp11.holds with input as _with(patch)
	r == {_p("(a)")}
}

test_success_authorised if {
	r := ipp11.holds with input as _with({"subject": {"age": 30, "macip_participant": false, "consent": "given"}})
	r == {_p("(c)")}
}

test_success_publicly_available if {
	r := ipp11.holds with input as _with({"publicly_available": {"source": "a judgment", "unfair": false}})
	r == {_p("(d)")}
}

test_fail_publicly_available_but_unfair if {
	r := ipp11.considered with input as _with({"publicly_available": {"source": "a judgment", "unfair": true}})
	r[_p("(d)")] == ["does_not_hold", "d_unfair"]
}

test_success_msd_maintains_benefit_law if {
	r := ipp11.holds with input as _with({"maintenance_of_law": {"limb": "offences", "prejudice": "benefit fraud"}})
	r == {_p("(e)(i)")}
}

test_success_msd_protects_public_revenue if {
	r := ipp11.holds with input as _with({"maintenance_of_law": {"limb": "public_revenue", "prejudice": "overpayment"}})
	r == {_p("(e)(iii)")}
}

test_fail_recipient_without_the_function if {
	patch := {"to_agency": "health", "maintenance_of_law": {"limb": "offences", "prejudice": "an offence"}}
	r := ipp11.considered with input as _with(patch)
	r[_p("(e)(i)")] == ["does_not_hold", "e_no_function"]
	r[_p("(e)(ii)")] == ["not_engaged", "e_other_limb"]
}

test_fail_pecuniary_penalty_needs_its_enforcer if {
	r := ipp11.considered with input as _with({"maintenance_of_law": {"limb": "pecuniary_penalty",
		"prejudice": "a fee"}})
	r[_p("(e)(ii)")] == ["does_not_hold", "e_no_function"]
}

test_fail_useful_is_not_necessary if {
	patch := {"maintenance_of_law": {"limb": "offences", "prejudice": "x", "necessary": false}}
	r := ipp11.considered with input as _with(patch)
	r[_p("(e)(i)")] == ["does_not_hold", "e_not_necessary"]
}

test_success_proceedings_need_no_function if {
	r := ipp11.holds with input as _with({"to_agency": "health", "maintenance_of_law": {"limb": "proceedings",
		"prejudice": "a hearing"}})
	r == {_p("(e)(iv)")}
}

test_success_serious_threat_to_a_person if {
	r := ipp11.holds with input as _with({"threat": _serious})
	r == {_p("(f)(ii)")}
}

test_success_serious_threat_to_public_safety if {
	r := ipp11.holds with input as _with({"threat": object.union(_serious, {"to": "public"})})
	r == {_p("(f)(i)")}
}

test_fail_recipient_cannot_act if {
	r := ipp11.considered with input as _with({"threat": object.union(_serious, {"recipient_can_act": false})})
	r[_p("(f)(ii)")] == ["does_not_hold", "f_cannot_act"]
}

test_fail_threat_not_serious if {
	r := ipp11.considered with input as _with({"threat": object.union(_serious, {"severity": "moderate"})})
	r[_p("(f)(ii)")] == ["does_not_hold", "f_not_serious"]
}

test_fail_threat_facts_missing if {
	r := ipp11.considered with input as _with({"threat": object.remove(_serious, {"recipient_can_act"})})
	r[_p("(f)(ii)")] == ["uncertain", "threat.recipient_can_act"]
	m := ipp11.missing with input as _with({"threat": object.remove(_serious, {"likelihood"})})
	m == {"threat.likelihood"}
}

test_success_risk_level_is_no_threat if {
	r := ipp11.holds with input as _with({"risk_level": "imminent", "purpose": "prevent_serious_threat"})
	r == set()
}

test_success_intelligence_functions if {
	patch := {"to_agency": "nzsis", "intelligence_function": {"function": "s10", "necessary": true}}
	r := ipp11.holds with input as _with(patch)
	r == {_p("(g)")}
}

test_fail_intelligence_function_not_stated if {
	r := ipp11.considered with input as _with({"to_agency": "nzsis"})
	r[_p("(g)")] == ["uncertain", "intelligence_function"]
	s := ipp11.considered with input as _with({"to_agency": "nzsis", "intelligence_function": {"function": "x",
		"necessary": false}})
	s[_p("(g)")] == ["does_not_hold", "g_not_necessary"]
}

test_success_de_identified if {
	r := ipp11.holds with input as _with({"de_identified": {"use": "not_identified"}})
	r == {_p("(h)(i)")}
	s := ipp11.holds with input as _with({"de_identified": {"use": "research", "published_identifiably": false}})
	s == {_p("(h)(ii)")}
}

test_fail_published_identifiably if {
	r := ipp11.considered with input as _with({"de_identified": {"use": "statistics", "published_identifiably": true}})
	r[_p("(h)(ii)")] == ["does_not_hold", "h_published"]
}

# holds and missing test only the exceptions whose facts are stated: they must be what
# considered says, whatever facts are stated.
_fact_patches := [
	{},
	{"collection": {"obtained_for": ["support"], "disclosure": "directly_related"}},
	{"collection": {"obtained_for": ["support"], "disclosure": "unrelated"}},
	{"subject": {"age": 30, "consent": "given"}},
	{"publicly_available": {"source": "gazette", "unfair": false}},
	{"publicly_available": {"source": "gazette", "unfair": true}},
	{"to_agency": "police", "maintenance_of_law": {"limb": "offences", "prejudice": "p"}},
	{"maintenance_of_law": {"limb": "proceedings", "prejudice": "p", "necessary": false}},
	{"to_agency": "msd", "maintenance_of_law": {"limb": "public_revenue", "prejudice": "p"}},
	{"to_agency": "police", "maintenance_of_law": {"prejudice": "p"}},
	{"maintenance_of_law": {"limb": null, "prejudice": "p"}},
	{"maintenance_of_law": "offences"},
	{"threat": _serious},
	{"threat": object.union(_serious, {"to": "public"})},
	{"threat": object.remove(_serious, ["imminence"])},
	{"threat": object.remove(_serious, ["recipient_can_act"])},
	{"threat": object.union(_serious, {"severity": "minor"})},
	{"threat": object.remove(_serious, ["to"])},
	{"threat": "a threat"},
	{"subject": {"age": 30, "consent": "given"}, "threat": object.remove(_serious, ["likelihood"]),
		"collection": {"obtained_for": ["support"], "disclosure": "one_of_the_purposes"}},
	{"to_agency": "nzsis"},
	{"to_agency": "nzsis", "intelligence_function": {"function": "f", "necessary": true}},
	{"to_agency": "nzsis", "intelligence_function": {"function": "f", "necessary": false}},
	{"de_identified": {"use": "statistics", "published_identifiably": false}},
	{"de_identified": {"use": "not_identified", "published_identifiably": true}},
	{"de_identified": {"use": "research", "published_identifiably": true}},
	{"de_identified": {"published_identifiably": false}},
	{"publicly_available": {"source": "gazette"}},
]

test_success_holds_and_missing_are_what_considered_says if {
	every patch in _fact_patches {
		r := ipp11.considered with input as _with(patch)
		h := ipp11.holds with input as _with(patch)
		m := ipp11.missing with input as _with(patch)
		h == {p | some p, v in r; v[0] == "holds"}
		m == {v[1] | some v in r; v[0] == "uncertain"}
	}
}
