package oia.release.neither_confirm_nor_deny_test

import data.oia.release
import data.oia.release.neither_confirm_nor_deny as s10

_shown := {"number": 1, "id": "brief", "title": "Briefing", "decision": "released", "grounds": [], "spans": []}

_hidden := {
	"number": 2, "id": "source", "title": "Source report", "decision": "neither_confirm_nor_deny",
	"grounds": ["6(c)"], "spans": [],
}

_ok := {
	"request": {"neither_confirm_nor_deny": [{"part": 2, "interests": ["6(a)"]}]},
	"documents": [_shown, _hidden],
	"letter": {"grounds": []},
}

_with(docs) := object.union(_ok, {"documents": docs})

_ids(results) := {r.id | some r in results}

test_success_document_and_part_neither_confirmed_nor_denied if {
	s10.deny == set() with input as _ok
}

test_fail_empty_input if {
	# Nothing is answered under s 10; the release package refuses the empty release itself.
	s10.deny == set() with input as {}
}

test_fail_document_refused_under_s10_by_name if {
	doc := object.union(_hidden, {"decision": "refused", "grounds": ["18(b)", "6(c)"]})
	r := s10.deny with input as _with([_shown, doc])
	r == {{
		"id": "oia.release.s10_document_named",
		"msg": concat("", [
			"document 2 (Source report) cites s 18(b) but is recorded as refused, so the release would name it and ",
			"confirm it exists; record it as neither_confirm_nor_deny",
		]),
		"details": {"document": "source", "number": 2, "citation": "18(b)", "line": 0},
	}}
}

test_fail_document_withheld_under_s10_by_name if {
	doc := object.union(_hidden, {"decision": "withheld_in_full", "grounds": ["10"]})
	_ids(s10.deny) == {"oia.release.s10_document_named"} with input as _with([_shown, doc])
}

test_success_s10_reasons_may_be_cited_beside_the_interest if {
	doc := object.union(_hidden, {"grounds": ["10", "18(b)", "9(2)(b)(ii)"]})
	s10.deny == set() with input as _with([_shown, doc])
}

test_fail_document_without_an_interest if {
	doc := object.union(_hidden, {"grounds": ["10"]})
	r := s10.deny with input as _with([_shown, doc])
	r == {{
		"id": "oia.release.s10_interest_missing",
		"msg": concat("", [
			"document 2 (Source report) is neither confirmed nor denied, but names no interest in s 6, s 7 or ",
			"s 9(2)(b) that disclosing its existence would prejudice",
		]),
		"details": {"document": "source", "number": 2, "citation": "10", "line": 0},
	}}
}

test_fail_document_with_an_interest_s10_does_not_protect if {
	doc := object.union(_hidden, {"grounds": ["9(2)(a)"]})
	r := s10.deny with input as _with([_shown, doc])
	r == {{
		"id": "oia.release.s10_interest_not_protected",
		"msg": concat("", [
			"document 2 (Source report) is neither confirmed nor denied under s 9(2)(a); s 10 protects only the ",
			"interests in s 6, s 7 and s 9(2)(b)",
		]),
		"details": {"document": "source", "number": 2, "citation": "9(2)(a)", "line": 0},
	}}
}

test_fail_part_with_an_interest_s10_does_not_protect if {
	inp := object.union(_ok, {"request": {"neither_confirm_nor_deny": [{"part": 1, "interests": ["9(2)(g)(i)"]}]}})
	r := s10.deny with input as inp
	r == {{
		"id": "oia.release.s10_interest_not_protected",
		"msg": concat("", [
			"part 1 of the request is neither confirmed nor denied under s 9(2)(g)(i); s 10 protects only the ",
			"interests in s 6, s 7 and s 9(2)(b)",
		]),
		"details": {"part": 1, "citation": "9(2)(g)(i)"},
	}}
}

test_fail_part_without_an_interest if {
	inp := object.union(_ok, {"request": {"neither_confirm_nor_deny": [{"part": 1, "interests": ["10"]}]}})
	r := s10.deny with input as inp
	r == {{
		"id": "oia.release.s10_interest_missing",
		"msg": "part 1 of the request is neither confirmed nor denied, but names no interest in s 6, s 7 or s 9(2)(b)",
		"details": {"part": 1, "citation": "10"},
	}}
}

test_fail_attachment_of_a_hidden_document_is_shown if {
	attachment := {
		"number": 3, "id": "annex", "title": "Annex", "decision": "withheld_in_full",
		"grounds": ["6(c)"], "spans": [], "attached_to": "source",
	}
	r := s10.deny with input as _with([_shown, _hidden, attachment])
	r == {{
		"id": "oia.release.s10_attachment_shown",
		"msg": concat("", [
			"document 3 (Annex) is attached to document 2 (Source report), which is neither confirmed nor denied; ",
			"answer the attachment the same way",
		]),
		"details": {"document": "annex", "number": 3, "citation": "10", "line": 0},
	}}
}

test_success_hidden_attachment_of_a_hidden_document if {
	attachment := object.union(_hidden, {"number": 3, "id": "annex", "title": "Annex", "attached_to": "source"})
	s10.deny == set() with input as _with([_shown, _hidden, attachment])
}

test_fail_s10_among_the_letters_grounds if {
	r := s10.deny with input as object.union(_ok, {"letter": {"grounds": ["6(c)", "10"]}})
	r == {{
		"id": "oia.release.s10_in_letter_grounds",
		"msg": concat("", [
			"letter.grounds gives s 10 as a ground for withholding; the letter states a s 10 answer in its own ",
			"paragraph",
		]),
		"details": {"citation": "10"},
	}}
}

test_fail_s10_withholding_a_passage_is_refused_by_the_release if {
	doc := object.union(_shown, {
		"decision": "released_in_part",
		"spans": [{"kind": "withhold", "grounds": ["10"], "line": 3, "nested": false}],
	})
	r := release.deny with input as _with([doc, _hidden])
	"oia.release.refusal_ground_withholds" in _ids(r)
}

test_success_the_release_forwards_these_results if {
	doc := object.union(_hidden, {"grounds": ["9(2)(a)"]})
	r := release.deny with input as _with([_shown, doc])
	"oia.release.s10_interest_not_protected" in _ids(r)
}

test_success_hidden_interest_is_not_a_ground_the_letter_must_give if {
	r := release.deny with input as _ok
	not "oia.release.ground_not_in_letter" in _ids(r)
}
