# METADATA
# title: Terms of Reference rules
# description: >-
#   Checks the Terms of Reference of MACIP governance bodies. Input is
#   {"bodies": [spec, ...], "references": [spec, ...], "current_pia": id}:
#   bodies are the specs being checked; references are other bodies' specs,
#   known only so that a reporting line can be resolved; current_pia is the id
#   of the programme's current Privacy Impact Assessment (null when none was
#   found). Every result names the body it concerns in details.body.
package governance.tor

import data.lib.result

# Negated calls never take a possibly-undefined reference as an argument: OPA
# evaluates arguments outside the negation, so `not f(x.missing)` is undefined
# rather than true. Such arguments go through object.get with a null default.
_bodies := object.get(input, "bodies", [])

_references := object.get(input, "references", [])

# Every body known to this evaluation, checked or referenced, by id.
_known := {id: b |
	some b in array.concat(_bodies, _references)
	id := b.id
}

_agencies := data.governance.tor.agencies

_body_types := data.governance.tor.body_types

_review_months := data.governance.tor.review_interval_months

# METADATA
# title: No Terms of Reference
# description: An evaluation with nothing to check fails rather than passes.
# custom:
#   id: governance.tor.no_bodies
#   severity: error
#   authority: Programme governance requirement (non-statutory)
deny contains v if {
	count(_bodies) == 0
	v := result.violation(rego.metadata.rule(), "no Terms of Reference were given", {})
}

# METADATA
# title: Unknown body type
# description: A body is a governance group, a working group or an advisory group.
# custom:
#   id: governance.tor.unknown_body_type
#   severity: error
#   authority: Programme governance requirement (non-statutory)
deny contains v if {
	some b in _bodies
	type := object.get(b, "type", null)
	not _body_types[type]
	v := _violation(
		rego.metadata.rule(), b,
		sprintf("%v is not a kind of body (governance_group, working_group or advisory_group)", [type]),
		{"type": type},
	)
}

# METADATA
# title: Unknown agency
# description: >-
#   Members, advisers and the secretariat come from agencies the programme
#   knows (data.governance.tor.agencies), so that representation can be checked.
# custom:
#   id: governance.tor.unknown_agency
#   severity: error
#   authority: Programme governance requirement (non-statutory)
deny contains v if {
	some b in _bodies
	some field, agency in _agency_fields(b)
	not _agencies[agency]
	v := _violation(
		rego.metadata.rule(), b,
		sprintf("%v names %v, which is not an agency the programme knows", [field, agency]),
		{"field": field, "agency": agency},
	)
}

# METADATA
# title: Quorum missing
# description: A body needs a quorum to make decisions.
# custom:
#   id: governance.tor.quorum_missing
#   severity: error
#   authority: Programme governance requirement (non-statutory)
deny contains v if {
	some b in _bodies
	not is_number(object.get(b, "quorum", null))
	v := _violation(rego.metadata.rule(), b, "no quorum is set", {})
}

# METADATA
# title: Quorum below half
# description: The quorum is at least half of the voting members.
# custom:
#   id: governance.tor.quorum_too_small
#   severity: error
#   authority: Programme governance requirement (non-statutory)
deny contains v if {
	some b in _bodies
	is_number(b.quorum)
	voting := _voting_count(b)
	b.quorum * 2 < voting
	v := _violation(
		rego.metadata.rule(), b,
		sprintf("the quorum of %v is less than half of the %v voting members", [b.quorum, voting]),
		{"quorum": b.quorum, "voting_members": voting},
	)
}

# METADATA
# title: Quorum above membership
# description: The quorum is no more than the number of voting members, or the body could never meet.
# custom:
#   id: governance.tor.quorum_too_large
#   severity: error
#   authority: Programme governance requirement (non-statutory)
deny contains v if {
	some b in _bodies
	is_number(b.quorum)
	voting := _voting_count(b)
	b.quorum > voting
	v := _violation(
		rego.metadata.rule(), b,
		sprintf("the quorum of %v is more than the %v voting members", [b.quorum, voting]),
		{"quorum": b.quorum, "voting_members": voting},
	)
}

# METADATA
# title: Chair not a member
# description: The chair is one of the body's members.
# custom:
#   id: governance.tor.chair_not_member
#   severity: error
#   authority: Programme governance requirement (non-statutory)
deny contains v if {
	some b in _bodies
	not _is_member(b, object.get(b, "chair", null))
	v := _violation(
		rego.metadata.rule(), b, _chair_problem(b),
		{"chair": object.get(b, "chair", null)},
	)
}

# METADATA
# title: Deputy chair not a member
# description: A deputy chair, when named, is a member other than the chair.
# custom:
#   id: governance.tor.deputy_chair_not_member
#   severity: error
#   authority: Programme governance requirement (non-statutory)
deny contains v if {
	some b in _bodies
	_is_text(b.deputy_chair)
	not _deputy_chair_ok(b)
	v := _violation(
		rego.metadata.rule(), b, _deputy_chair_problem(b),
		{"deputy_chair": b.deputy_chair},
	)
}

# METADATA
# title: Lead agency not represented
# description: Every lead agency of the programme holds a seat on each governance group.
# custom:
#   id: governance.tor.lead_agency_unrepresented
#   severity: error
#   authority: Programme governance requirement (non-statutory); MACIP briefing of 3 December 2020, para 9
deny contains v if {
	some b in _bodies
	b.type == "governance_group"
	some agency, record in _agencies
	record.lead == true
	not _represented(b, agency)
	v := _violation(
		rego.metadata.rule(), b,
		sprintf("%v, a lead agency of the programme, has no member on this governance group", [record.name]),
		{"agency": agency},
	)
}

# METADATA
# title: No privacy expertise
# description: >-
#   A privacy officer (Privacy Act 2020 s 201) sits on the body as a member or
#   advises it, because every MACIP body handles personal information.
# custom:
#   id: governance.tor.no_privacy_expertise
#   severity: error
#   authority: Privacy Act 2020 s 201
deny contains v if {
	some b in _bodies
	not _has_privacy_officer(b)
	v := _violation(
		rego.metadata.rule(), b,
		"no privacy officer is a member of or adviser to the body (mark one privacy_officer: true)",
		{},
	)
}

# METADATA
# title: Working group without a governance group
# description: A working group reports to a governance group whose Terms of Reference are known.
# custom:
#   id: governance.tor.reports_to_unknown_body
#   severity: error
#   authority: Programme governance requirement (non-statutory); MACIP update of 17 February 2021, para 19
deny contains v if {
	some b in _bodies
	b.type == "working_group"
	not _reports_to_governance_group(b)
	v := _violation(
		rego.metadata.rule(), b, _reporting_problem(b),
		{"reports_to": object.get(b, ["authority", "reports_to", "body"], null)},
	)
}

# METADATA
# title: Review date
# description: >-
#   The Terms of Reference are reviewed within 12 months of approval
#   (data.governance.tor.review_interval_months).
# custom:
#   id: governance.tor.review_date
#   severity: error
#   authority: Programme governance requirement (non-statutory)
deny contains v if {
	some b in _bodies
	not _review_within_interval(b)
	v := _violation(
		rego.metadata.rule(), b, _review_problem(b),
		{
			"approved": object.get(b, ["approval", "date"], null),
			"review_date": object.get(b, "review_date", null),
			"interval_months": _review_months,
		},
	)
}

# METADATA
# title: Current PIA not named
# description: >-
#   The information-management section names the programme's current Privacy
#   Impact Assessment, the document that says which information the body may
#   see and share.
# custom:
#   id: governance.tor.pia_not_current
#   severity: error
#   authority: Privacy Act 2020 s 22 IPPs 5, 10 and 11
deny contains v if {
	some b in _bodies
	not _names_current_pia(b)
	v := _violation(
		rego.metadata.rule(), b, _pia_problem(b),
		{
			"pia": object.get(b, ["information_management", "pia"], null),
			"current_pia": object.get(input, "current_pia", null),
		},
	)
}

# METADATA
# title: No conflicts-of-interest clause
# description: Members declare and manage conflicts of interest under a clause in the Terms of Reference.
# custom:
#   id: governance.tor.no_conflicts_clause
#   severity: error
#   authority: Public Service Commission Standards of Integrity and Conduct (Public Service Act 2020 s 17)
deny contains v if {
	some b in _bodies
	not _is_text(object.get(b, "conflicts_of_interest", null))
	v := _violation(rego.metadata.rule(), b, "there is no conflicts-of-interest clause", {})
}

# METADATA
# title: Voting member without a deputy
# description: A voting member with no named deputy leaves the quorum harder to reach.
# custom:
#   id: governance.tor.no_deputy
#   severity: warning
#   authority: Programme governance requirement (non-statutory)
warn contains v if {
	some b in _bodies
	some i, m in b.members
	m.voting == true
	not _is_text(object.get(m, "deputy", null))
	v := _violation(
		rego.metadata.rule(), b,
		sprintf("voting member %v (%v) has no named deputy", [m.role, m.agency]),
		{"field": sprintf("members[%d]", [i])},
	)
}

# METADATA
# title: Decision
# description: >-
#   One document per evaluation: the deny and warn results for every body, and
#   the reference data a generated document needs (agency and body-type names).
decision := {
	"deny": deny,
	"warn": warn,
	"agencies": {id: record.name | some id, record in _agencies},
	"body_types": {id: record.title | some id, record in _body_types},
	"programme": data.governance.tor.programme,
}

# A result about one body: the rule's annotations, the body, the message and the
# details beside details.body.
_violation(meta, b, msg, extra) := result.violation(meta, msg, object.union({"body": object.get(b, "id", null)}, extra))

_is_text(s) if {
	is_string(s)
	trim_space(s) != ""
}

_voting_count(b) := count([m |
	some m in object.get(b, "members", [])
	m.voting == true
])

_is_member(b, role) if {
	_is_text(role)
	some m in b.members
	m.role == role
}

_chair_problem(b) := "no chair is named" if {
	not _is_text(object.get(b, "chair", null))
} else := sprintf("the chair, %v, is not one of the members", [b.chair])

_deputy_chair_ok(b) if {
	_is_member(b, b.deputy_chair)
	b.deputy_chair != object.get(b, "chair", null)
}

_deputy_chair_problem(b) := sprintf("the deputy chair, %v, is also the chair", [b.deputy_chair]) if {
	b.deputy_chair == object.get(b, "chair", null)
} else := sprintf("the deputy chair, %v, is not one of the members", [b.deputy_chair])

_agency_fields(b) := object.union_n([
	{sprintf("members[%d].agency", [i]): object.get(m, "agency", null) | some i, m in object.get(b, "members", [])},
	{sprintf("advisers[%d].agency", [i]): object.get(a, "agency", null) | some i, a in object.get(b, "advisers", [])},
	{"secretariat.agency": object.get(b, ["secretariat", "agency"], null)},
])

_represented(b, agency) if {
	some m in b.members
	m.agency == agency
}

_has_privacy_officer(b) if {
	some m in b.members
	m.privacy_officer == true
}

_has_privacy_officer(b) if {
	some a in b.advisers
	a.privacy_officer == true
}

_reports_to_governance_group(b) if {
	_known[b.authority.reports_to.body].type == "governance_group"
}

_reporting_problem(b) := "a working group reports to a governance group, but authority.reports_to.body names none" if {
	not _is_text(object.get(b, ["authority", "reports_to", "body"], null))
} else := msg if {
	parent := b.authority.reports_to.body
	not _known[parent]
	msg := sprintf(
		concat(" ", [
			"reports to %v, whose Terms of Reference are not known",
			"(check them together, or name them in authority.reports_to.spec)",
		]),
		[parent],
	)
} else := sprintf(
	"reports to %v, whose type is %v, not governance_group",
	[b.authority.reports_to.body, object.get(_known[b.authority.reports_to.body], "type", null)],
)

_review_within_interval(b) if {
	_is_text(b.approval.date)
	_is_text(b.review_date)
	_is_date(b.approval.date)
	_is_date(b.review_date)
	approved := time.parse_ns("2006-01-02", b.approval.date)
	review := time.parse_ns("2006-01-02", b.review_date)
	review > approved
	review <= time.add_date(approved, 0, _review_months, 0)
}

_review_problem(b) := "there is no approval date, so the review date cannot be set against it" if {
	not _is_text(object.get(b, ["approval", "date"], null))
} else := "no review date is set" if {
	not _is_text(object.get(b, "review_date", null))
} else := sprintf("the approval date, %v, is not a date (YYYY-MM-DD)", [b.approval.date]) if {
	not _is_date(b.approval.date)
} else := sprintf("the review date, %v, is not a date (YYYY-MM-DD)", [b.review_date]) if {
	not _is_date(b.review_date)
} else := sprintf("the review date, %v, is not after the approval date, %v", [b.review_date, b.approval.date]) if {
	time.parse_ns("2006-01-02", b.review_date) <= time.parse_ns("2006-01-02", b.approval.date)
} else := sprintf(
	"the review date, %v, is more than %v months after approval on %v",
	[b.review_date, _review_months, b.approval.date],
)

# A calendar date as YYYY-MM-DD, tested without time.parse_ns, whose errors
# would abort the evaluation instead of producing a violation.
_is_date(s) if {
	regex.match(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`, s)
	[y, m, d] := [to_number(part) | some part in split(s, "-")]
	d <= _month_days(y, m)
}

_month_days(_, m) := 31 if m in {1, 3, 5, 7, 8, 10, 12}

_month_days(_, m) := 30 if m in {4, 6, 9, 11}

_month_days(y, 2) := 29 if _is_leap_year(y)

_month_days(y, 2) := 28 if not _is_leap_year(y)

_is_leap_year(y) if {
	y % 4 == 0
	y % 100 != 0
}

_is_leap_year(y) if y % 400 == 0

_names_current_pia(b) if {
	_is_text(input.current_pia)
	b.information_management.pia == input.current_pia
}

_pia_problem(b) := "no current PIA was found to check information_management.pia against" if {
	not _is_text(object.get(input, "current_pia", null))
} else := "the information-management section names no PIA" if {
	not _is_text(object.get(b, ["information_management", "pia"], null))
} else := sprintf(
	"the information-management section names PIA %v, but the current PIA is %v",
	[b.information_management.pia, input.current_pia],
)
