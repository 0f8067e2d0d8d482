# METADATA
# title: Explanation of a disclosure decision
# description: >-
#   The decision (sharing.decision.result) with the reasoning a person reads: the
#   outcome-table row that applied, every body of law and whether it governs the request,
#   and every provision considered with its finding, why, and the fact that decided it.
#   Evaluated only when an explanation is asked for, so the wording stays out of the
#   decision's hot path.
package sharing.explanation

import data.privacy.facts
import data.privacy.family_violence
import data.privacy.hipc
import data.privacy.ipp11
import data.privacy.ipp12
import data.privacy.legal
import data.privacy.oranga_tamariki
import data.sharing.agencies
import data.sharing.decision

# METADATA
# title: Explanation
# description: >-
#   The decision document with row (the outcome-table row applied: id, when, outcome,
#   why) and regimes (each body of law: regime, applies, why, and the provisions
#   considered, each with provision, title, status, held, why and fact).
result := object.union(decision.result, {
	"row_detail": _row,
	"situation": decision.situation,
	"regimes": [
		_regime("ipp11", count(legal.general) > 0, ipp11.considered, data.privacy.ipp11.why),
		_regime("hipc", count(hipc.categories) > 0, hipc.considered, object.union(data.privacy.ipp11.why,
			data.privacy.hipc.why)),
		_regime("oranga_tamariki", true, oranga_tamariki.considered, data.privacy.oranga_tamariki.why),
		_regime("family_violence", true, family_violence.considered, data.privacy.family_violence.why),
		_regime("ipp12", ipp12.required, ipp12.considered, data.privacy.ipp12.why),
	],
})

_row := [r | some r in data.sharing.outcome.rows; r.id == decision.result.row][0]


_regime(key, applies, considered, whys) := {
	"regime": data.sharing.explanation.regimes[key].regime,
	"applies": applies,
	"why": _fill(_regime_why(key, applies)),
	"considered": _considered(applies, considered, whys),
}

_considered(false, _, _) := []

_considered(true, considered, whys) := [_entry(p, considered[p], whys) | some p in sort(object.keys(considered))]

_regime_why(key, true) := data.sharing.explanation.regimes[key].applies

_regime_why(key, false) := data.sharing.explanation.regimes[key].not_applies

_entry(p, v, whys) := {
	"provision": p,
	"title": object.get(legal.titles, p, ""),
	"status": v[0],
	"held": v[0] == "holds",
	"why": strings.replace_n({"{missing}": v[1]}, data.sharing.explanation.uncertain),
	"fact": v[1],
} if {
	v[0] == "uncertain"
} else := {
	"provision": p,
	"title": object.get(legal.titles, p, ""),
	"status": v[0],
	"held": v[0] == "holds",
	"why": _fill(whys[v[1]].text),
	"fact": whys[v[1]].fact,
}

_fill(text) := strings.replace_n(_vars, text)

_text(value) := value if {
	is_string(value)
	value != ""
} else := concat(", ", [sprintf("%v", [x]) | some x in value]) if {
	is_array(value)
	count(value) > 0
} else := data.sharing.explanation.not_stated

_recipient := agencies.recipient.name if agencies.recipient else := sprintf("%v", [object.get(input, "to_agency",
	"the recipient")])

_sender := agencies.sender.name if agencies.sender else := sprintf("%v", [object.get(input, "from_agency",
	"the sender")])

_threat := _object(object.get(input, "threat", null))

_object(x) := x if is_object(x) else := {}

_vars := {
	"{recipient}": _recipient,
	"{sender}": _sender,
	"{consent}": _text(facts.request.consent),
	"{refusal_reasons}": _text(object.get(input, ["subject", "refusal_reasons"], "")),
	"{collection_purposes}": _text(object.get(input, ["collection", "obtained_for"], [])),
	"{collection_disclosure}": _text(object.get(input, ["collection", "disclosure"], "")),
	"{public_source}": _text(object.get(input, ["publicly_available", "source"], "")),
	"{law_limb}": _text(object.get(input, ["maintenance_of_law", "limb"], "")),
	"{law_prejudice}": _text(object.get(input, ["maintenance_of_law", "prejudice"], "")),
	"{threat_to}": object.get(data.sharing.explanation.threat_to, object.get(_threat, "to", ""),
		data.sharing.explanation.not_stated),
	"{threat_factors}": sprintf("likelihood %v, severity %v, imminence %v", [
		object.get(_threat, "likelihood", data.sharing.explanation.not_stated),
		object.get(_threat, "severity", data.sharing.explanation.not_stated),
		object.get(_threat, "imminence", data.sharing.explanation.not_stated),
	]),
	"{intelligence_function}": _text(object.get(input, ["intelligence_function", "function"], "")),
	"{de_identified_use}": _text(object.get(input, ["de_identified", "use"], "")),
	"{de_identified_use_text}": object.get(data.sharing.explanation.de_identified_use, object.get(input,
		["de_identified", "use"], ""), data.sharing.explanation.not_stated),
	"{requested_by}": _text(object.get(input, ["statutory_request", "by"], "")),
	"{requester}": object.get(_requester, "who", data.sharing.explanation.not_stated),
	"{requester_agency}": object.get(_requester, "agency", data.sharing.explanation.not_stated),
	"{assists}": _text([data.privacy.oranga_tamariki.purposes_66c[a] |
		some a in object.get(input, ["relates_to_child", "assists"], [])
		data.privacy.oranga_tamariki.purposes_66c[a]
	]),
	"{fv_helps}": _text([data.privacy.family_violence.purposes[h] |
		some h in object.get(input, ["family_violence", "helps"], [])
		data.privacy.family_violence.purposes[h]
	]),
	"{overseas_safeguard}": _text(object.get(input, "overseas_safeguard", "")),
	"{general}": _text(sort(legal.general)),
	"{health}": _text(sort(hipc.categories)),
}

_requester := object.get(
	data.privacy.oranga_tamariki.requesters_66,
	object.get(input, ["statutory_request", "by"], ""),
	{},
)
