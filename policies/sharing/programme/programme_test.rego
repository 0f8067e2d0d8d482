package sharing.programme_test

import data.sharing.programme

_flows := {"F02": {
	"from_agency": "health", "to_agency": "police", "categories": ["identity", "mental_health"],
	"purposes": ["prevent_serious_threat"], "legal_basis": [], "signed_off": true,
}}

_base := {
	"id": "t",
	"from_agency": "health",
	"to_agency": "police",
	"subject": {"age": 30, "macip_participant": false, "consent": "not_sought"},
	"categories": ["identity", "mental_health"],
	"purpose": "prevent_serious_threat",
	"risk_level": "high",
}

test_fail_empty_input if {
	s := programme.summary with input as {} with data.pia.approved_flows as _flows
	s == {"covered": false, "flow": null, "route": null, "lines_crossed": false}
}

test_success_covered if {
	s := programme.summary with input as _base with data.pia.approved_flows as _flows
	s == {"covered": true, "flow": "F02", "route": "health -> police", "lines_crossed": false}
	w := programme.why_not with input as _base with data.pia.approved_flows as _flows
	w == []
}

test_fail_no_flow if {
	s := programme.summary with input as _base with data.pia.approved_flows as {}
	s.covered == false
	w := programme.why_not with input as _base with data.pia.approved_flows as {}
	[v.id | some v in w] == ["sharing.flows.not_covered"]
}

test_fail_line_crossed if {
	i := object.union(_base, {"risk_level": "low"})
	s := programme.summary with input as i with data.pia.approved_flows as _flows
	s == {"covered": false, "flow": "F02", "route": "health -> police", "lines_crossed": true}
}
