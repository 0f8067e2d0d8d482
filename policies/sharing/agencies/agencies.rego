# METADATA
# title: MACIP parties
# description: >-
#   Resolves the request's from_agency and to_agency to profiles holding their
#   statutory designations (data.sharing.agencies). A MACIP member agency is looked up
#   by id; community:<slug> by slug among contracted providers; any other provider gets
#   the profile of an unlisted provider, with no designation. An unknown id has no
#   profile, so every rule that needs one fails closed.
package sharing.agencies

# METADATA
# title: Sender profile
# description: >-
#   The profile of input.from_agency (undefined when unknown), found by the steps of
#   profile written out on the input (a function call would cost one more rule body
#   for every request from a community provider).
sender := p if {
	p := data.sharing.agencies.agencies[input.from_agency]
} else := p if {
	is_string(input.from_agency)
	startswith(input.from_agency, "community:")
	p := data.sharing.agencies.community_providers[substring(input.from_agency, 10, -1)]
} else := data.sharing.agencies.unlisted_community_provider if {
	is_string(input.from_agency)
	regex.match(`^community:[a-z0-9]+(-[a-z0-9]+)*$`, input.from_agency)
}

# METADATA
# title: Recipient profile
# description: The profile of input.to_agency (undefined when unknown), found as the sender's is.
recipient := p if {
	p := data.sharing.agencies.agencies[input.to_agency]
} else := p if {
	is_string(input.to_agency)
	startswith(input.to_agency, "community:")
	p := data.sharing.agencies.community_providers[substring(input.to_agency, 10, -1)]
} else := data.sharing.agencies.unlisted_community_provider if {
	is_string(input.to_agency)
	regex.match(`^community:[a-z0-9]+(-[a-z0-9]+)*$`, input.to_agency)
}

# METADATA
# title: Profile of an agency id
# description: >-
#   The designations of a member agency, a contracted community provider, or an
#   unlisted community provider; undefined for anything else.
profile(id) := p if {
	is_string(id)
	p := data.sharing.agencies.agencies[id]
} else := p if {
	is_string(id)
	startswith(id, "community:")
	p := data.sharing.agencies.community_providers[substring(id, 10, -1)]
} else := data.sharing.agencies.unlisted_community_provider if {
	is_string(id)
	regex.match(`^community:[a-z0-9]+(-[a-z0-9]+)*$`, id)
}
