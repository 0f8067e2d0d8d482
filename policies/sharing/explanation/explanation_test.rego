package sharing.explanation_test

import data.sharing.explanation

_request := {
	"id": "t",
	"from_agency": "police",
	"to_agency": "oranga_tamariki",
	"subject": {"age": 34, "macip_participant": false, "consent": "not_sought"},
	"categories": ["identity", "criminal_history"],
	"purpose": "risk_assessment",
	"risk_level": "medium",
	"relates_to_child": {"age": 6, "assists": ["prevent_harm"]},
	"threat": {"to": "subject", "likelihood": "low"},
}

test_fail_empty_input if {
	r := explanation.result with input as {}
	r.row_detail.id == "incomplete"
}

test_success_row_and_every_provision if {
	r := explanation.result with input as _request
	r.row_detail.id == r.row
	[g.regime | some g in r.regimes] == [
		"Privacy Act 2020 s22 IPP 11", "Health Information Privacy Code 2020 r11",
		"Oranga Tamariki Act 1989", "Family Violence Act 2018", "Privacy Act 2020 s22 IPP 12",
	]
	r.regimes[1].considered == []
	some e in r.regimes[2].considered
	e == {
		"provision": "Oranga Tamariki Act 1989 s66C(b)",
		"title": data.privacy.oranga_tamariki.titles["Oranga Tamariki Act 1989 s66C(b)"],
		"status": "holds",
		"held": true,
		"why": concat("", [
			"both are child welfare and protection agencies, and disclosure will assist",
			" Oranga Tamariki - Ministry for Children",
			" with preventing or reducing the risk of harm, ill-treatment, abuse, neglect or deprivation",
			" (s66C(a)(i)); s65A(2):",
			" the child's well-being and best interests generally take precedence over confidentiality",
		]),
		"fact": "relates_to_child.assists",
	}
}

test_fail_uncertain_entry_names_the_fact if {
	r := explanation.result with input as _request
	some f in r.regimes[0].considered
	f.provision == "Privacy Act 2020 s22 IPP 11(1)(f)(ii)"
	f == {
		"provision": "Privacy Act 2020 s22 IPP 11(1)(f)(ii)",
		"title": data.privacy.ipp11.titles["Privacy Act 2020 s22 IPP 11(1)(f)(ii)"],
		"status": "uncertain",
		"held": false,
		"why": "the test needs a fact the request does not state: threat.imminence",
		"fact": "threat.imminence",
	}
	some g in r.regimes[0].considered
	g.provision == "Privacy Act 2020 s22 IPP 11(1)(f)(i)"
	g.status == "not_engaged"
}
