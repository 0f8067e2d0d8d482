package lib.result_test

import data.lib.result

_meta := {"scope": "rule", "title": "A rule", "custom": {"id": "x.y.z", "severity": "error"}}

test_success_violation_takes_the_id_from_the_annotations if {
	v := result.violation(_meta, "a sentence", {"field": "a"})
	v == {"id": "x.y.z", "msg": "a sentence", "details": {"field": "a"}}
}

test_success_violation_with_empty_details if {
	v := result.violation(_meta, "a sentence", {})
	v == {"id": "x.y.z", "msg": "a sentence", "details": {}}
}

test_success_violation_from_the_calling_rule if {
	v := _from_rule
	v == {"id": "lib.result_test.from_rule", "msg": "read from this rule's METADATA", "details": {}}
}

# METADATA
# title: A rule that builds a result
# custom:
#   id: lib.result_test.from_rule
_from_rule := result.violation(rego.metadata.rule(), "read from this rule's METADATA", {})

test_fail_no_annotations if {
	v := result.violation({}, "a sentence", {})
	v == {"id": "lib.result.missing_id", "msg": "a sentence", "details": {}}
}

test_fail_annotations_without_an_id if {
	v := result.violation({"scope": "rule", "custom": {"severity": "error"}}, "a sentence", {})
	v == {"id": "lib.result.missing_id", "msg": "a sentence", "details": {}}
}

test_fail_rule_without_metadata if {
	v := _without_metadata
	v == {"id": "lib.result.missing_id", "msg": "no METADATA", "details": {}}
}

_without_metadata := result.violation(rego.metadata.rule(), "no METADATA", {})

test_fail_empty_input if {
	v := result.violation(_meta, "a sentence", {}) with input as {}
	v == {"id": "x.y.z", "msg": "a sentence", "details": {}}
}

test_success_annotations_read if {
	result.annotations_read == true
}

test_success_missing_id_is_the_default_id if {
	result.violation({}, "a sentence", {}).id == result.missing_id
}
