# METADATA
# title: MACIP information-sharing matrix
# description: >-
#   Checks a request against the programme's agreed routes (data.sharing.matrix):
#   every category must be listed on the from -> to route for the request's purpose,
#   and a community provider must hold a MACIP service agreement. Anything else is
#   referred to the privacy officers. Lookups are by key: route, then category, then
#   purpose set, then purpose.
package sharing.matrix

import data.lib.result
import data.privacy.facts
import data.sharing.agencies

# METADATA
# title: Categories the route does not cover
# description: The request's categories not listed on its route for its purpose.
uncovered := facts.request.categories - listed if {
	_route != null
	# The categories the route lists for the purpose. uncovered is their set difference
	# with the request's, rather than a negation for each category, which OPA enters as
	# a query of its own.
	listed := {c |
		some c in facts.request.categories
		data.sharing.matrix.purpose_sets[_route[c]][facts.request.purpose]
	}
} else := set() # no route: the no-route referral, not this set, says so

# METADATA
# title: Route covered
# description: True when the route exists, every category is covered and both parties are contracted.
covered if {
	_route != null
	uncovered == set()
	agencies.sender.contracted
	agencies.recipient.contracted
}

# METADATA
# title: Sender without a service agreement
# description: A community provider must hold a MACIP service agreement to send case information.
# custom:
#   id: sharing.matrix.provider_not_contracted
#   severity: refer
#   authority: MACIP information-sharing matrix (operating protocol)
refer contains v if {
	# Not contracted, without a negation; undefined when the sender has no profile. Every
	# profile states contracted (the test of sharing.agencies' data says so), so this reads
	# as not sender.contracted would.
	agencies.sender.contracted == false
	v := _not_contracted(rego.metadata.rule(), facts.request.from_agency)
}

# METADATA
# title: Recipient without a service agreement
# description: A community provider must hold a MACIP service agreement to receive case information.
# custom:
#   id: sharing.matrix.provider_not_contracted
#   severity: refer
#   authority: MACIP information-sharing matrix (operating protocol)
refer contains v if {
	agencies.recipient.contracted == false # as the sender's
	v := _not_contracted(rego.metadata.rule(), facts.request.to_agency)
}

# METADATA
# title: No route
# description: The matrix lists no sharing from the sender to the recipient.
# custom:
#   id: sharing.matrix.no_route
#   severity: refer
#   authority: MACIP information-sharing matrix (operating protocol)
refer contains v if {
	_route == null
	v := result.violation(
		rego.metadata.rule(),
		sprintf("%v: no route from %v to %v", [data.sharing.matrix.authority, _from, _to]),
		{"from": _from, "to": _to},
	)
}

# METADATA
# title: Categories not on the route
# description: The route exists but does not list these categories for the purpose.
# custom:
#   id: sharing.matrix.category_not_listed
#   severity: refer
#   authority: MACIP information-sharing matrix (operating protocol)
refer contains v if {
	_route != null
	uncovered != set()
	listed := sort(uncovered)
	purpose := facts.request.purpose
	v := result.violation(
		rego.metadata.rule(),
		sprintf("%v: %v -> %v does not list %v for %v", [
			data.sharing.matrix.authority,
			agencies.sender.kind,
			agencies.recipient.kind,
			concat(", ", listed),
			purpose,
		]),
		{"categories": listed, "purpose": purpose},
	)
}

_from := agencies.sender.kind if {
	agencies.sender
} else := "an unknown agency"

_to := agencies.recipient.kind if {
	agencies.recipient
} else := "an unknown agency"

# The request's route, or null when the matrix lists none (or a party is unknown): tested
# with == null rather than a negation, which OPA enters as a query of its own.
_route := r if {
	r := data.sharing.matrix.routes[agencies.sender.kind][agencies.recipient.kind]
} else := null

_not_contracted(meta, id) := result.violation(
	meta,
	sprintf("%v: %v has no MACIP service agreement", [data.sharing.matrix.authority, id]),
	{"agency": id},
)
