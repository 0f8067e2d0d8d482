package oia.grounds_test

import data.oia.grounds

test_success_known_ground_withheld if {
	d := grounds.decision with input as {"grounds": ["6(c)"], "use": "withhold"}
	d.deny == set()
	d.warn == set()
	d.grounds[0].id == "6(c)"
	d.grounds[0].family == "s6"
	d.families == {"s6": data.oia.grounds.families.s6}
	d.public_interest_test == false
}

test_success_decision_names_the_family_of_each_ground_once if {
	d := grounds.decision with input as {"grounds": ["6(c)", "6(d)", "18(d)", "9(2)(z)"], "use": "refuse"}
	d.families == {"s6": data.oia.grounds.families.s6, "s18": data.oia.grounds.families.s18}
}

test_success_s9_needs_public_interest_test if {
	d := grounds.decision with input as {"grounds": ["9(2)(a)", "6(c)"], "use": "withhold"}
	d.deny == set()
	d.public_interest_test == true
}

test_fail_unknown_ground if {
	r := grounds.deny with input as {"grounds": ["9(2)(z)"], "use": "withhold"}
	r == {{
		"id": "oia.grounds.unknown",
		"msg": "9(2)(z) is not a withholding or refusal ground of the Official Information Act 1982",
		"details": {"ground": "9(2)(z)"},
	}}
}

test_fail_empty_input if {
	r := grounds.deny with input as {}
	r == {{"id": "oia.grounds.missing", "msg": "no ground was given", "details": {}}}
}

test_fail_empty_ground_list if {
	r := grounds.deny with input as {"grounds": [], "use": "withhold"}
	r == {{"id": "oia.grounds.missing", "msg": "no ground was given", "details": {}}}
}

test_fail_refusal_ground_used_to_withhold if {
	r := grounds.deny with input as {"grounds": ["18(d)"], "use": "withhold"}
	r == {{
		"id": "oia.grounds.refusal_used_to_withhold",
		"msg": "s 18(d) is a reason to refuse a request, not to withhold a passage",
		"details": {"ground": "18(d)"},
	}}
}

test_fail_refusal_use_missing_counts_as_withholding if {
	r := grounds.deny with input as {"grounds": ["10"]}
	count(r) == 1
}

test_success_refusal_ground_for_refusal if {
	r := grounds.deny with input as {"grounds": ["18(d)"], "use": "refuse"}
	r == set()
}

test_fail_parent_only_warns if {
	r := grounds.warn with input as {"grounds": ["9(2)(g)"], "use": "withhold"}
	r == {{
		"id": "oia.grounds.parent_only",
		"msg": "9(2)(g) has sub-paragraphs (9(2)(g)(i), 9(2)(g)(ii)); cite the one relied on",
		"details": {"ground": "9(2)(g)", "children": ["9(2)(g)(i)", "9(2)(g)(ii)"]},
	}}
}

test_success_leaf_does_not_warn if {
	r := grounds.warn with input as {"grounds": ["9(2)(g)(i)", "6(d)"], "use": "withhold"}
	r == set()
}

test_success_every_ground_has_a_known_family if {
	every g in data.oia.grounds.grounds {
		data.oia.grounds.families[g.family]
		count(g.description) > 0
	}
}

test_success_children_point_back_to_parent if {
	every id, g in data.oia.grounds.grounds {
		every c in g.children {
			data.oia.grounds.grounds[c].parent == id
		}
	}
}

test_success_data_override if {
	r := grounds.deny with input as {"grounds": ["99"], "use": "withhold"}
		with data.oia.grounds.grounds as {"99": {"family": "s6", "children": [], "public_interest_test": false}}
	r == set()
}

test_success_is_ground if {
	grounds.is_ground("9(2)(g)(i)")
	grounds.is_ground("18(d)")
}

test_fail_is_ground_unknown if {
	not grounds.is_ground("9(2)(z)")
	not grounds.is_ground("s 6(c)")
}

test_success_is_refusal_ground if {
	grounds.is_refusal_ground("18(d)")
	grounds.is_refusal_ground("10")
}

test_fail_is_refusal_ground_for_withholding_and_unknown_grounds if {
	not grounds.is_refusal_ground("6(c)")
	not grounds.is_refusal_ground("9(2)(a)")
	not grounds.is_refusal_ground("99")
}

test_success_has_public_interest_test_for_s9 if {
	grounds.has_public_interest_test("9(2)(a)")
	not grounds.has_public_interest_test("6(c)")
	not grounds.has_public_interest_test("18(d)")
	not grounds.has_public_interest_test("99")
}

test_success_sub_paragraphs_of_a_parent if {
	grounds.sub_paragraphs("6(b)") == ["6(b)(i)", "6(b)(ii)"]
}

test_fail_sub_paragraphs_of_a_leaf_or_unknown_ground if {
	not grounds.sub_paragraphs("6(c)")
	not grounds.sub_paragraphs("6(b)(i)")
	not grounds.sub_paragraphs("99")
}

test_success_section_18c_may_withhold_a_passage if {
	r := grounds.deny with input as {"grounds": ["18(c)(i)", "18(c)(ii)"], "use": "withhold"}
	r == set()
}

test_fail_other_section_18_reasons_still_refuse_only if {
	r := grounds.deny with input as {"grounds": ["18(c)", "18(b)", "10"], "use": "withhold"}
	r == {
		{
			"id": "oia.grounds.refusal_used_to_withhold",
			"msg": "s 18(c) is a reason to refuse a request, not to withhold a passage",
			"details": {"ground": "18(c)"},
		},
		{
			"id": "oia.grounds.refusal_used_to_withhold",
			"msg": "s 18(b) is a reason to refuse a request, not to withhold a passage",
			"details": {"ground": "18(b)"},
		},
		{
			"id": "oia.grounds.refusal_used_to_withhold",
			"msg": "s 10 is a reason to refuse a request, not to withhold a passage",
			"details": {"ground": "10"},
		},
	}
}

test_success_withholds_passages if {
	grounds.withholds_passages("6(c)")
	grounds.withholds_passages("9(2)(a)")
	grounds.withholds_passages("18(c)(i)")
	grounds.withholds_passages("18(c)(ii)")
	grounds.withholds_passages("27(1)(b)")
}

test_fail_withholds_passages_for_request_level_reasons if {
	not grounds.withholds_passages("10")
	not grounds.withholds_passages("18(b)")
	not grounds.withholds_passages("18(d)")
	not grounds.withholds_passages("27(1)(h)")
	not grounds.withholds_passages("99")
}

test_success_part4_grounds_in_a_part4_request if {
	d := grounds.decision with input as {
		"grounds": ["27(1)(b)", "27(1)(g)"],
		"use": "withhold",
		"request": "personal_information",
	}
	d.deny == set()
	d.warn == set()
	d.families == {"s27": data.oia.grounds.families.s27}
}

test_fail_part4_ground_outside_a_part4_request_warns if {
	r := grounds.warn with input as {"grounds": ["27(1)(b)"], "use": "withhold"}
	r == {{
		"id": "oia.grounds.part4_only",
		"msg": concat("", [
			"s 27(1)(b) answers only a body corporate's request for personal information about itself",
			" (Part 4, s 24)",
		]),
		"details": {"ground": "27(1)(b)"},
	}}
}

test_fail_part4_request_level_reason_withholding_a_passage if {
	r := grounds.deny with input as {"grounds": ["27(1)(h)"], "use": "withhold", "request": "personal_information"}
	r == {{
		"id": "oia.grounds.refusal_used_to_withhold",
		"msg": "s 27(1)(h) is a reason to refuse a request, not to withhold a passage",
		"details": {"ground": "27(1)(h)"},
	}}
}

test_success_is_part4_ground if {
	grounds.is_part4_ground("27(1)(a)")
	grounds.is_part4_ground("27(1)(h)")
	not grounds.is_part4_ground("6(c)")
	not grounds.is_part4_ground("18(c)(i)")
	not grounds.is_part4_ground("99")
}

test_success_s27_1_a_weighs_the_public_interest_only_for_s9_2_b_interests if {
	# s 27(1)(a): the s 9(2)(b) interests count only without a countervailing public
	# interest; the s 6(a) to (d) and s 7 interests need no weighing, and s 9(1) itself
	# does not apply to a Part 4 request.
	not grounds.has_public_interest_test("27(1)(a)")
	contains(grounds.public_interest_condition("27(1)(a)"), "9(2)(b)")
	contains(grounds.public_interest_condition("27(1)(a)"), "countervailing public interest")
}

test_success_no_public_interest_condition_elsewhere if {
	conditional := {id | some id, _ in data.oia.grounds.grounds; grounds.public_interest_condition(id)}
	conditional == {"27(1)(a)"}
	not grounds.public_interest_condition("99")
}

test_success_s10_interests_are_s6_s7_and_s9_2_b if {
	grounds.is_s10_interest("6(c)")
	grounds.is_s10_interest("7(a)(ii)")
	grounds.is_s10_interest("9(2)(b)(ii)")
	not grounds.is_s10_interest("9(2)(a)")
	not grounds.is_s10_interest("9(2)(g)(i)")
	not grounds.is_s10_interest("18(c)(i)")
}

test_success_every_s10_interest_is_a_known_ground if {
	every id in data.oia.grounds.neither_confirm_nor_deny_interests {
		grounds.is_ground(id)
		not grounds.is_refusal_ground(id)
	}
}

test_success_every_family_answers_one_kind_of_request if {
	every f in data.oia.grounds.families {
		f.requests in {"official_information", "personal_information"}
	}
}
