package io.weft.manager.api.internal.resources;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.pki.Pem;

/**
 * {@code /api/v1/pki}: the root CA certificate and the current revocation list as PEM, for
 * operators who check the manager's certificates. Both are public material, so every
 * authenticated caller may read them, whatever its scope.
 */
@Component(service = PkiResource.class)
@WeftApiResource
@Path("pki")
public class PkiResource {

    static final String PEM_CERTIFICATE = "application/x-pem-file";

    private final ManagerPki pki;

    @Activate
    public PkiResource(@Reference ManagerPki pki) {
        this.pki = pki;
    }

    @GET
    @Path("ca")
    @Produces(PEM_CERTIFICATE)
    public String rootCertificate() {
        return Pem.toPem(pki.rootCertificate());
    }

    @GET
    @Path("crl")
    @Produces(PEM_CERTIFICATE)
    public String revocationList() {
        try {
            return pki.revocationListPem();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the revocation list", e);
        }
    }
}
