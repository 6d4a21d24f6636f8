package io.weft.manager.api.internal.resources;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.api.internal.access.Caller;
import io.weft.manager.api.internal.audit.AuditLogService;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditJsonLines;
import io.weft.manager.rest.api.WeftApiResource;

/** {@code /api/v1/audit}: the audit log of every change made through the API, its export and its verification. */
@Component(service = AuditResource.class)
@WeftApiResource
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    /** Media type of the export: one JSON object per line. */
    static final String NDJSON = "application/x-ndjson";

    private final AuditLogService log;

    @Activate
    public AuditResource(@Reference AuditLogService log) {
        this.log = log;
    }

    @GET
    public AuditPageDto list(@Context SecurityContext security, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("target") String target, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        AuditLogService.Filter filter = new AuditLogService.Filter(actor, action, target, from, to, cursor, limit);
        return AuditPageDto.of(log.list(Caller.of(security), filter));
    }

    @GET
    @Path("export")
    @Produces(NDJSON)
    public StreamingOutput export(@Context SecurityContext security) {
        Iterable<AuditEntry> entries = log.export(Caller.of(security));
        return out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            AuditJsonLines.write(entries, writer);
        };
    }

    @GET
    @Path("verify")
    public AuditVerificationDto verify(@Context SecurityContext security, @QueryParam("anchor") String anchor) {
        return AuditVerificationDto.of(log.verify(Caller.of(security), anchor));
    }
}
