package io.weft.manager.api.internal.resources;

import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;

import javax.ws.rs.core.Response;

import io.weft.manager.api.internal.fleet.ProfileView;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.PreconditionFailedException;

/** Responses of the fleet resources, each carrying the entity's version as its ETag. */
final class Responses {

    private Responses() {
    }

    static Response ok(Object entity, long version) {
        return Response.ok(entity).tag(ETags.of(version)).build();
    }

    /**
     * Returns 201 with {@code Location}. A relative location resolves against the API's base
     * URI, so {@code domains/x} becomes {@code /api/v1/domains/x}.
     */
    static Response created(String location, Object entity, long version) {
        return Response.created(URI.create(location)).entity(entity).tag(ETags.of(version)).build();
    }

    static Response noContent() {
        return Response.noContent().build();
    }

    /**
     * Returns the version that {@code If-Match} names, the version of {@code before} for
     * {@code *}, or empty without the header.
     *
     * @param before the profile stored now, read when the header is present
     */
    /**
     * Returns the profile that a conditional update replaces.
     *
     * @throws PreconditionFailedException when there is no profile, because {@code If-Match},
     *         even {@code *}, matches only a current version (RFC 9110, section 13.1.1)
     */
    static ProfileDto matchedProfile(Optional<ProfileView> profile, String owner, String ifMatch) {
        return profile.map(ProfileDto::of).orElseThrow(() -> new PreconditionFailedException(owner
                + " has no profile, so If-Match: " + ifMatch + " matches no version; leave If-Match out to create it"));
    }

    static OptionalLong optionalVersion(String ifMatch, ProfileDto before) {
        return ifMatch == null ? OptionalLong.empty() : OptionalLong.of(ETags.requiredVersion(ifMatch, before.version()));
    }
}
