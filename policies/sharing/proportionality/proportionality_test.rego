package sharing.proportionality_test

import data.sharing.proportionality

_base := {
	"id": "t",
	"from_agency": "police",
	"to_agency": "health",
	"subject": {"age": 30, "macip_participant": true, "consent": "not_sought"},
	"categories": ["identity", "mental_health"],
	"purpose": "referral_assessment",
	"risk_level": "high",
}

_with(patch) := object.union(object.remove(_base, object.keys(patch)), patch)

test_fail_empty_input if {
	d := proportionality.deny with input as {}
	d == set()
	r := proportionality.refer with input as {}
	r == set()
}

test_success_health_detail_at_high_risk if {
	r := proportionality.deny with input as _base
	r == set()
}

test_success_health_detail_with_authorisation if {
	r := proportionality.deny with input as _with({"risk_level": "low", "subject": {"age": 30, "consent": "given"}})
	r == set()
}

test_fail_health_detail_at_medium_risk_without_authorisation if {
	patch := {"risk_level": "medium", "categories": ["alcohol_drug", "mental_health"]}
	r := proportionality.deny with input as _with(patch)
	r == {{
		"id": "sharing.proportionality.health_detail",
		"msg": concat(" ", [
			"MACIP operating protocol (proportionality): alcohol_drug, mental_health goes beyond a health summary",
			"and needs a high or imminent risk tier, a serious threat or the person's authorisation",
			"(risk medium, consent not_sought);",
			"share the health summary instead",
		]),
		"details": {"categories": ["alcohol_drug", "mental_health"]},
	}}
}

test_success_health_summary_is_not_detail if {
	r := proportionality.deny with input as _with({"risk_level": "low", "categories": ["identity", "health"]})
	r == set()
}

test_fail_intelligence_to_community_provider if {
	r := proportionality.deny with input as _with({
		"to_agency": "community:mentoring-service",
		"categories": ["identity", "intelligence"],
	})
	r == {{
		"id": "sharing.proportionality.intelligence_to_community",
		"msg": "MACIP operating protocol (proportionality): intelligence is never shared with a community provider",
		"details": {"to_agency": "community:mentoring-service"},
	}}
}

test_success_intelligence_between_member_agencies if {
	r := proportionality.deny with input as _with({"to_agency": "nzsis", "categories": ["identity", "intelligence"]})
	r == set()
}

test_fail_child_to_nzsis_is_referred if {
	patch := {"to_agency": "nzsis", "subject": {"age": 16, "consent": "not_sought"}}
	r := proportionality.refer with input as _with(patch)
	r == {{
		"id": "sharing.proportionality.child_to_nzsis",
		"msg": concat(" ", [
			"MACIP operating protocol (proportionality): information about a child or young person",
			"goes to NZSIS only after privacy officer review",
		]),
		"details": {"to_agency": "nzsis"},
	}}
}

test_success_adult_to_nzsis_needs_no_review if {
	r := proportionality.refer with input as _with({"to_agency": "nzsis"})
	r == set()
}

# The health detail rule reads every category listed in health_detail as detail.
test_success_every_health_detail_category_is_detail if {
	every c, listed in data.sharing.proportionality.health_detail {
		listed == true
		d := proportionality.deny with input as _with({"categories": ["identity", c], "risk_level": "low"})
		{v.id | some v in d} == {"sharing.proportionality.health_detail"}
	}
}
