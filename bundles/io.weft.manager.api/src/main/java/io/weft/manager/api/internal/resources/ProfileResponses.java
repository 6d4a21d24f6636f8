package io.weft.manager.api.internal.resources;

import javax.ws.rs.core.Response;


/** Responses to a profile write: 201 with Location when it created the profile, else 200. */
final class ProfileResponses {

    private ProfileResponses() {
    }

    static Response of(ProfileDto profile, boolean created, String location) {
        return created
                ? Responses.created(location, profile, profile.version())
                : Responses.ok(profile, profile.version());
    }
}
