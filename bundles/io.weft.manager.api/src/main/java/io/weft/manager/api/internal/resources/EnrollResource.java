package io.weft.manager.api.internal.resources;

import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.api.internal.fleet.EnrollmentService;
import io.weft.manager.rest.api.WeftApiResource;
import io.weft.pki.Pem;

/**
 * {@code POST /api/v1/enroll}: a node trades its enrollment token and a certificate signing
 * request for its certificate chain. The token authenticates the request, so it needs no
 * operator credentials.
 */
@Component(service = EnrollResource.class)
@WeftApiResource
@Path("enroll")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnrollResource {

    /**
     * Request body.
     *
     * @param token the whole enrollment token
     * @param csr   PEM PKCS#10 request for the node's key; the manager sets the names itself
     */
    public record EnrollRequest(String token, String csr) {
    }

    /**
     * Response body.
     *
     * @param certificateChain the node certificate, the issuing CA and the root CA, as PEM
     * @param controlAddress   {@code host:port} of the manager's control port
     */
    public record EnrolledDto(String nodeId, String nodeName, List<String> certificateChain, String controlAddress) {
    }

    private final EnrollmentService enrollment;

    // Thread-local proxy that the JAX-RS runtime injects.
    @Context
    HttpServletRequest servletRequest;

    @Activate
    public EnrollResource(@Reference EnrollmentService enrollment) {
        this.enrollment = enrollment;
    }

    @POST
    public EnrolledDto enroll(EnrollRequest request) {
        String remoteAddress = servletRequest == null ? null : servletRequest.getRemoteAddr();
        // The JSON provider may pass null for an empty body, which is a request without a token.
        EnrollmentService.Enrolled enrolled = request == null ? enrollment.enroll(null, null, remoteAddress)
                : enrollment.enroll(request.token(), request.csr(), remoteAddress);
        return new EnrolledDto(enrolled.node().id(), enrolled.node().fullName(),
                enrolled.certificate().chain().stream().map(Pem::toPem).toList(), enrolled.controlAddress());
    }
}
