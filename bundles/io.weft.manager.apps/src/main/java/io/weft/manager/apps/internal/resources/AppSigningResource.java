package io.weft.manager.apps.internal.resources;

import java.util.Objects;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.apps.internal.ApiCallers;
import io.weft.manager.apps.internal.AppSigning;
import io.weft.manager.apps.internal.SigningDtos.RevokeSigningRequest;
import io.weft.manager.apps.internal.SigningDtos.SigningCertificateDto;
import io.weft.manager.apps.internal.SigningDtos.SigningRevocationDto;
import io.weft.manager.rest.api.WeftApiResource;

/**
 * {@code /api/v1/app-signing-certificate}: the certificate that signs the app repository's
 * bundles, and its revocation when the key is compromised.
 */
@Component(service = AppSigningResource.class)
@WeftApiResource
@Path("app-signing-certificate")
@Produces(MediaType.APPLICATION_JSON)
public class AppSigningResource {

    private final AppSigning signing;

    @Activate
    public AppSigningResource(@Reference AppSigning signing) {
        this.signing = Objects.requireNonNull(signing, "signing");
    }

    @GET
    public SigningCertificateDto get(@Context SecurityContext security) {
        return signing.current(ApiCallers.of(security));
    }

    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    public SigningRevocationDto revoke(@Context SecurityContext security, RevokeSigningRequest request) {
        return signing.revoke(ApiCallers.of(security), request == null ? null : request.reason());
    }
}
