package oia.grounds_test

import data.oia.grounds

test_success_known_ground_withheld if {
	d := grounds.decision with input as {"grounds": ["6(c)"], "use": "withhold"}
	d.deny == set()
	d.warn == set()
	d.grounds[0].id == "6(c)"
	d.grounds[0].family == "s6"
	d.public_interest_test == false
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
