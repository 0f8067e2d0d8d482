package privacy.hipc_test

import data.privacy.hipc

_base := {
	"id": "t",
	"from_agency": "health",
	"to_agency": "police",
	"subject": {"age": 30, "macip_participant": true, "consent": "not_sought"},
	"categories": ["identity", "mental_health", "health"],
	"purpose": "prevent_serious_threat",
	"risk_level": "imminent",
}

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

_d := "Health Information Privacy Code 2020 r11(2)(d)"

_subject(consent) := {"subject": {"age": 30, "macip_participant": true, "consent": consent}}

test_fail_empty_input if {
	holds := hipc.holds with input as {}
	holds == set()
	categories := hipc.categories with input as {}
	categories == set()
}

test_success_health_categories_from_a_health_agency if {
	r := hipc.categories with input as _base
	r == {"mental_health", "health"}
}

test_success_code_does_not_apply_to_other_senders if {
	r := hipc.categories with input as _with({"from_agency": "police", "to_agency": "health"})
	r == set()
}

test_success_serious_threat_when_seeking_authorisation_is_undesirable if {
	r := hipc.holds with input as _base
	r == {"Health Information Privacy Code 2020 r11(2)(d)"}
}

test_fail_serious_threat_needs_a_serious_risk if {
	r := hipc.considered with input as _with({"risk_level": "medium"})
	r[_d].status == "does_not_hold"
	r[_d].why == concat(" ", [
		"a risk assessed as medium is not a serious threat, judged on its likelihood, severity and timing",
		"(Privacy Act 2020 s7(1))",
	])
}

test_fail_rule_11_2_needs_its_precondition if {
	r := hipc.considered with input as _with({"purpose": "risk_assessment", "risk_level": "medium"})
	r["Health Information Privacy Code 2020 r11(2)"] == {
		"status": "does_not_hold",
		"why": concat(" ", [
			"authorisation was not sought, and at medium risk nothing shows",
			"that seeking it is undesirable or impracticable",
		]),
	}
	r["Health Information Privacy Code 2020 r11(2)(a)"].status == "does_not_hold"
	r["Health Information Privacy Code 2020 r11(2)(a)"].why == concat(" ", [
		"risk_assessment for a MACIP participant is directly related to why Health obtained the information,",
		"but authorisation could be sought first (rule 11(2) does not apply)",
	])
}

test_success_directly_related_purpose_when_authorisation_not_possible if {
	r := hipc.holds with input as object.union(_with({"purpose": "risk_assessment"}), _subject("not_possible"))
	r == {"Health Information Privacy Code 2020 r11(2)(a)"}
}

test_success_authorised_by_individual if {
	r := hipc.holds with input as _with(object.union({"purpose": "referral_assessment"}, _subject("given")))
	r == {"Health Information Privacy Code 2020 r11(1)(b)"}
}

test_success_progress_report_is_a_purpose_of_collection if {
	r := hipc.holds with input as _with({"purpose": "coordination_of_support", "risk_level": "low"})
	r == {"Health Information Privacy Code 2020 r11(1)(c)"}
}

test_fail_progress_report_after_refusal if {
	r := hipc.considered with input as _with(object.union({"purpose": "coordination_of_support"}, _subject("refused")))
	r["Health Information Privacy Code 2020 r11(1)(c)"] == {
		"status": "does_not_hold",
		"why": "the person refused, so reporting to the programme is no longer a purpose of holding it",
	}
}

test_success_maintenance_of_law if {
	r := hipc.holds with input as _with(object.union({"purpose": "maintenance_of_law"}, _subject("refused")))
	r == {"Health Information Privacy Code 2020 r11(2)(i)(i)"}
}

test_fail_maintenance_of_law_needs_a_law_enforcement_recipient if {
	r := hipc.considered with input as _with({"purpose": "maintenance_of_law", "to_agency": "msd"})
	r["Health Information Privacy Code 2020 r11(2)(i)(i)"] == {
		"status": "does_not_hold",
		"why": "Ministry of Social Development does not maintain the law",
	}
}

test_success_every_limb_has_a_title if {
	r := hipc.considered with input as _base
	object.keys(r) == object.keys(data.privacy.hipc.titles)
}
