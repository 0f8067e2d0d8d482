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

_a := "Privacy Act 2020 s22 IPP 11(1)(a)"

_c := "Privacy Act 2020 s22 IPP 11(1)(c)"

_e := "Privacy Act 2020 s22 IPP 11(1)(e)(i)"

_f := "Privacy Act 2020 s22 IPP 11(1)(f)(ii)"

_g := "Privacy Act 2020 s22 IPP 11(1)(g)"

test_fail_empty_input if {
	r := ipp11.holds with input as {}
	r == set()
}

test_success_directly_related_purpose_for_participant if {
	r := ipp11.holds with input as _base
	r == {_a}
}

test_fail_directly_related_purpose_needs_participant if {
	r := ipp11.considered with input as _with({"subject": {"age": 30, "consent": "not_sought"}})
	r[_a] == {
		"status": "does_not_hold",
		"why": "the person is not a MACIP participant, so the information was not obtained for the programme",
	}
}

test_fail_directly_related_purpose_not_for_criminal_history if {
	r := ipp11.considered with input as _with({"categories": ["identity", "intelligence", "criminal_history"]})
	r[_a] == {
		"status": "does_not_hold",
		"why": "criminal_history, intelligence was obtained for the agency's own functions, not for the programme",
	}
}

test_fail_directly_related_purpose_not_after_refusal if {
	r := ipp11.holds with input as _with({"subject": {"age": 30, "macip_participant": true, "consent": "refused"}})
	r == set()
}

test_fail_directly_related_purpose_not_for_law_enforcement if {
	r := ipp11.considered with input as _with({"purpose": "maintenance_of_law"})
	r[_a].why == "maintenance_of_law is not one of the programme purposes the information was obtained for"
}

test_success_authorised_by_individual if {
	r := ipp11.holds with input as _with({"subject": {"age": 30, "macip_participant": false, "consent": "given"}})
	r == {_c}
}

test_fail_not_authorised if {
	r := ipp11.considered with input as _with({"subject": {"age": 30, "consent": "not_possible"}})
	r[_c] == {"status": "does_not_hold", "why": "the person could not be asked to authorise it"}
}

test_success_maintenance_of_law_to_police if {
	r := ipp11.holds with input as _with({"from_agency": "msd", "to_agency": "police", "purpose": "maintenance_of_law"})
	r == {_e}
}

test_fail_maintenance_of_law_to_an_agency_that_does_not_maintain_it if {
	r := ipp11.considered with input as _with({"purpose": "maintenance_of_law"})
	r[_e].status == "does_not_hold"
	r[_e].why == concat(" ", [
		"Ministry of Social Development does not maintain the law,",
		"so disclosing to it cannot avoid prejudice to the maintenance of the law",
	])
}

test_fail_maintenance_of_law_not_necessary_at_low_risk if {
	patch := {"to_agency": "police", "purpose": "maintenance_of_law", "risk_level": "low"}
	r := ipp11.considered with input as _with(patch)
	r[_e].why == "at low risk, disclosure is not necessary to avoid prejudice to the maintenance of the law"
}

test_success_serious_threat if {
	r := ipp11.holds with input as _with({
		"purpose": "prevent_serious_threat",
		"risk_level": "imminent",
		"subject": {"age": 30, "consent": "refused"},
	})
	r == {_f}
}

test_fail_medium_risk_is_not_a_serious_threat if {
	r := ipp11.considered with input as _with({"purpose": "prevent_serious_threat"})
	r[_f] == {"status": "does_not_hold", "why": concat(" ", [
		"a risk assessed as medium is not a serious threat, judged on its likelihood, severity and timing",
		"(Privacy Act 2020 s7(1))",
	])}
}

test_success_intelligence_functions if {
	r := ipp11.holds with input as _with({
		"to_agency": "nzsis",
		"purpose": "risk_assessment",
		"subject": {"age": 30, "consent": "not_sought"},
	})
	r == {_g}
}

test_fail_intelligence_functions_need_a_security_purpose if {
	r := ipp11.considered with input as _with({"to_agency": "nzsis"})
	r[_g] == {"status": "does_not_hold", "why": "coordination_of_support is not a purpose that NZSIS's functions serve"}
}

test_fail_intelligence_functions_not_necessary_at_low_risk if {
	r := ipp11.considered with input as _with({"to_agency": "nzsis", "purpose": "risk_assessment", "risk_level": "low"})
	r[_g].why == "at low risk, disclosure is not necessary for NZSIS to perform its functions"
}

test_success_unengaged_exceptions_are_listed if {
	r := ipp11.considered with input as _base
	{p | some p, s in r; s.status == "not_engaged"} == {
		"Privacy Act 2020 s22 IPP 11(1)(b)",
		"Privacy Act 2020 s22 IPP 11(1)(d)",
		"Privacy Act 2020 s22 IPP 11(1)(e)(i)",
		"Privacy Act 2020 s22 IPP 11(1)(f)(ii)",
		"Privacy Act 2020 s22 IPP 11(1)(g)",
		"Privacy Act 2020 s22 IPP 11(1)(h)",
		"Privacy Act 2020 s22 IPP 11(1)(i)",
	}
}

test_success_every_exception_has_a_title if {
	r := ipp11.considered with input as _base
	object.keys(r) == object.keys(data.privacy.ipp11.titles)
}
