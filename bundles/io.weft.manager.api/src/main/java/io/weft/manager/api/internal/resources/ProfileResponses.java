package io.weft.manager.api.internal.resources;

import javax.ws.rs.core.Response;

import io.weft.manager.api.internal.fleet.ProfileService;

/** Responses to a profile write: 201 with Location when it created the profile, else 200. */
final class ProfileResponses {

    private ProfileResponses() {
    }

    static Response of(ProfileService.Written written, String location) {
        ProfileDto profile = ProfileDto.of(written.profile());
        return written.created()
                ? Responses.created(location, profile, profile.version())
                : Responses.ok(profile, profile.version());
    }
}
