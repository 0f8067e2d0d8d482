# METADATA
# title: Decision results
# description: >-
#   Builds every result a policy returns (deny, warn and refer) in one shape:
#   {"id": <stable rule id>, "msg": <human sentence>, "details": {...}}. The id is
#   written once per rule, as custom.id in the rule's METADATA, and read from the
#   annotations the rule passes in. rego.metadata.rule() answers for the rule whose
#   body calls it (inside a function it answers for the function), so each rule
#   calls it in its own body: v := result.violation(rego.metadata.rule(), msg, details).
package lib.result

# METADATA
# title: Violation
# description: >-
#   One result: the id from the calling rule's annotations (meta.custom.id), the
#   message and the details. Annotations without an id (a rule with no METADATA
#   block, or an engine that did not read the annotations) still give a result, with
#   the id lib.result.missing_id, so a deny is never lost.
violation(meta, msg, details) := {
	# The default is missing_id's value written out: a reference to that rule would be
	# one more rule to evaluate for every decision.
	"id": object.get(meta, ["custom", "id"], "lib.result.missing_id"),
	"msg": msg,
	"details": details,
}

# METADATA
# title: Missing id
# description: The id of a result whose rule declares no custom.id.
missing_id := "lib.result.missing_id"

default annotations_read := false

# METADATA
# title: Annotations read
# description: >-
#   True when the engine read the METADATA of the rules it evaluates, which result
#   ids depend on; false (every id lib.result.missing_id) when it did not. An engine
#   that loads these policies can evaluate it once to check.
# custom:
#   probe: true
annotations_read if rego.metadata.rule().custom.probe == true
