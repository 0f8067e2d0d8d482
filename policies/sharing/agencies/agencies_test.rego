package sharing.agencies_test

import data.sharing.agencies

test_success_member_agencies if {
	agencies.sender.kind == "police" with input as {"from_agency": "police", "to_agency": "nzsis"}
	r := agencies.recipient with input as {"from_agency": "police", "to_agency": "nzsis"}
	r.intelligence_and_security_agency == true
	r.child_welfare_and_protection_agency == false
}

test_success_contracted_community_provider if {
	p := agencies.profile("community:whanau-support-service")
	p.kind == "community"
	p.contracted == true
	p.child_welfare_and_protection_agency == true
}

test_success_unlisted_community_provider if {
	p := agencies.profile("community:youth-sports-club")
	p == data.sharing.agencies.unlisted_community_provider
	p.contracted == false
}

test_fail_unknown_agency_has_no_profile if {
	not agencies.profile("corrections")
	not agencies.profile("community:Bad Slug")
	not agencies.profile(42)
}

test_fail_empty_input if {
	not agencies.sender with input as {}
	not agencies.recipient with input as {}
}

test_success_every_profile_states_every_designation if {
	keys := object.keys(data.sharing.agencies.unlisted_community_provider)
	every p in data.sharing.agencies.agencies {
		object.keys(p) == keys
	}
	every p in data.sharing.agencies.community_providers {
		object.keys(p) == keys
	}
}

test_success_nzsis_is_not_a_child_welfare_or_family_violence_agency if {
	p := data.sharing.agencies.agencies.nzsis
	p.child_welfare_and_protection_agency == false
	p.family_violence_agency == false
}

test_success_sender_and_recipient_are_their_profiles if {
	ids := [
		"police", "community:mentoring-service", "community:youth-sports-club",
		"corrections", "community:Bad Slug", 42,
	]
	every id in ids {
		request := {"from_agency": id, "to_agency": id}
		s := [p | p := agencies.sender with input as request]
		r := [p | p := agencies.recipient with input as request]
		want := [p | p := agencies.profile(id)]
		s == want
		r == want
	}
}
