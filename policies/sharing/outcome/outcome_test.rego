package sharing.outcome_test

import data.sharing.outcome

_s := {
	"complete": true, "verdict": "permitted", "urgent": false, "covered": true,
	"lines_crossed": false, "claim_not_assessed": false,
}

_row(patch) := outcome.row(object.union(_s, patch)).id

test_fail_empty_input if {
	not outcome.row({})
}

test_fail_incomplete_denies if {
	_row({"complete": false, "verdict": "required"}) == "incomplete"
}

test_fail_prohibited_denies if {
	_row({"verdict": "prohibited", "urgent": true}) == "prohibited"
}

test_success_prohibited_with_unassessed_claim_is_referred if {
	_row({"verdict": "prohibited", "claim_not_assessed": true}) == "prohibited_claim_not_assessed"
}

test_fail_uncertain_is_referred if {
	_row({"verdict": "uncertain", "urgent": true}) == "uncertain"
}

test_success_required_whatever_the_programme if {
	_row({"verdict": "required", "covered": false, "lines_crossed": true}) == "required"
}

test_fail_unassessed_claim_is_referred if {
	_row({"claim_not_assessed": true}) == "claim_not_assessed"
}

test_success_urgent_whatever_the_coverage if {
	_row({"urgent": true, "covered": false, "lines_crossed": true}) == "permitted_urgent"
}

test_fail_line_crossed_denies if {
	_row({"lines_crossed": true, "covered": false}) == "permitted_line_crossed"
}

test_success_covered_allows if {
	_row({}) == "permitted_covered"
}

test_fail_not_covered_is_referred if {
	_row({"covered": false}) == "permitted_not_covered"
}

test_success_default_outcomes if {
	{r.id: r.outcome | some r in data.sharing.outcome.rows} == {
		"incomplete": "deny", "prohibited_claim_not_assessed": "refer", "prohibited": "deny",
		"uncertain": "refer", "required": "allow_with_conditions", "claim_not_assessed": "refer",
		"permitted_urgent": "allow_with_conditions", "permitted_line_crossed": "deny",
		"permitted_covered": "allow", "permitted_not_covered": "refer",
	}
}

test_success_every_situation_has_a_row if {
	every verdict in ["required", "permitted", "prohibited", "uncertain"] {
		every flags in [[true, true], [true, false], [false, true], [false, false]] {
			outcome.row(object.union(_s, {"verdict": verdict, "urgent": flags[0], "covered": flags[1]}))
		}
	}
}

test_success_table_overridden if {
	rows := [{"id": "only", "when": {}, "outcome": "refer", "why": "x"}]
	r := outcome.row(_s) with data.sharing.outcome.rows as rows
	r.id == "only"
}

test_fail_empty_input_has_no_row if {
	not outcome.row({}) with input as {}
}

test_success_index_matches_the_table if {
	every complete in [true, false] {
		every verdict in ["required", "permitted", "prohibited", "uncertain"] {
			every flags in _flag_sets {
				_index_agrees(object.union(_s, {
					"complete": complete, "verdict": verdict, "urgent": flags[0], "covered": flags[1],
					"lines_crossed": flags[2], "claim_not_assessed": flags[3],
				}))
			}
		}
	}
}

test_success_index_covers_every_situation if {
	count(data.sharing.outcome.by_situation) == 128
}

test_success_stale_index_scans_the_table if {
	r := outcome.indexed(_s) with data.sharing.outcome.by_situation as {outcome.key(_s): 0}
	r.id == "permitted_covered"
}

test_fail_empty_situation_has_no_indexed_row if {
	not outcome.indexed({})
}

_flag_sets := [[a, b, c, d] |
	some a in [true, false]
	some b in [true, false]
	some c in [true, false]
	some d in [true, false]
]

_index_agrees(s) if {
	outcome.indexed(s) == outcome.row(s)
	data.sharing.outcome.rows[data.sharing.outcome.by_situation[outcome.key(s)]] == outcome.row(s)
}
