# METADATA
# title: Privacy Act 2020 IPP 11 - limits on disclosure
# description: >-
#   Assesses each IPP 11(1) exception against a disclosure request and says why it
#   does or does not hold (wording in data.privacy.ipp11.why). Exceptions (b), (d), (h)
#   and (i) are never engaged by an agency-to-agency disclosure of identified case
#   information and are listed as such. Whether IPP 11 governs the request at all,
#   rather than the Health Information Privacy Code, is decided in sharing.decision.
package privacy.ipp11

import data.privacy.facts
import data.sharing.agencies

# METADATA
# title: Exceptions considered
# description: >-
#   Each IPP 11(1) exception by citation, with its status (holds, does_not_hold,
#   not_engaged) and why.
considered := object.union(data.privacy.ipp11.not_engaged, _engaged)

# METADATA
# title: Exceptions that hold
# description: The citations of the IPP 11(1) exceptions that hold for the request.
holds := {p | some p, s in _engaged; s.status == "holds"}

_r := facts.request

# The exceptions a MACIP disclosure can engage (the others are in not_engaged).
_engaged := {
	"Privacy Act 2020 s22 IPP 11(1)(a)": _a,
	"Privacy Act 2020 s22 IPP 11(1)(c)": _c,
	"Privacy Act 2020 s22 IPP 11(1)(e)(i)": _e_i,
	"Privacy Act 2020 s22 IPP 11(1)(f)(ii)": _f_ii,
	"Privacy Act 2020 s22 IPP 11(1)(g)": _g,
}

_why := data.privacy.ipp11.why

_recipient := agencies.recipient.name if {
	agencies.recipient
} else := "the recipient"

_outside_programme := {c | some c in _r.categories; data.privacy.ipp11.not_obtained_for_programme[c]}

_a := {"status": "does_not_hold", "why": _why.a_not_participant} if {
	not _r.participant
} else := {"status": "does_not_hold", "why": sprintf(_why.a_purpose, [_r.purpose])} if {
	not data.privacy.ipp11.programme_purposes[_r.purpose]
} else := {"status": "does_not_hold", "why": _why.a_refused} if {
	_r.consent == "refused"
} else := {"status": "does_not_hold", "why": sprintf(_why.a_outside, [concat(", ", sort(_outside_programme))])} if {
	count(_outside_programme) > 0
} else := {"status": "holds", "why": sprintf(_why.a_holds, [_r.purpose])}

_c := {"status": "holds", "why": _why.c_holds} if {
	_r.consent == "given"
} else := {"status": "does_not_hold", "why": _why.c_refused} if {
	_r.consent == "refused"
} else := {"status": "does_not_hold", "why": _why.c_not_sought} if {
	_r.consent == "not_sought"
} else := {"status": "does_not_hold", "why": _why.c_not_possible} if {
	_r.consent == "not_possible"
} else := {"status": "does_not_hold", "why": _why.c_unknown}

_e_i := {"status": "not_engaged", "why": _why.e_purpose} if {
	_r.purpose != "maintenance_of_law"
} else := {"status": "does_not_hold", "why": sprintf(_why.e_recipient, [_recipient])} if {
	not agencies.recipient.maintains_law
} else := {"status": "does_not_hold", "why": sprintf(_why.e_risk, [_r.risk_level])} if {
	not _r.necessary
} else := {"status": "holds", "why": sprintf(_why.e_holds, [_r.risk_level, _recipient])}

_f_ii := {"status": "not_engaged", "why": _why.f_purpose} if {
	not data.privacy.ipp11.serious_threat_purposes[_r.purpose]
} else := {"status": "does_not_hold", "why": sprintf(_why.f_risk, [_r.risk_level])} if {
	not _r.serious
} else := {"status": "holds", "why": sprintf(_why.f_holds, [_r.risk_level])}

_g := {"status": "not_engaged", "why": _why.g_recipient} if {
	not agencies.recipient.intelligence_and_security_agency
} else := {"status": "does_not_hold", "why": sprintf(_why.g_purpose, [_r.purpose])} if {
	not data.privacy.ipp11.intelligence_purposes[_r.purpose]
} else := {"status": "does_not_hold", "why": sprintf(_why.g_risk, [_r.risk_level])} if {
	not _r.necessary
} else := {"status": "holds", "why": sprintf(_why.g_holds, [_r.risk_level])}
