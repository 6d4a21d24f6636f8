package io.weft.manager.policy.internal.resources;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.manager.policy.internal.ApiCallers;
import io.weft.manager.policy.internal.DryRunRequest;
import io.weft.manager.policy.internal.FlowRequest;
import io.weft.manager.policy.internal.PolicyDtos.DryRunDto;
import io.weft.manager.policy.internal.PolicyDtos.ExplanationDto;
import io.weft.manager.policy.internal.PolicyDtos.RuleListDto;
import io.weft.manager.policy.internal.PolicyService;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.WeftApiResource;

/**
 * {@code /api/v1/policies}: the fleet's policy document, its rules one by one, explain and
 * dry-run. The ETag of the document and of every rule is the version of the document. Every
 * change is audited in its own transaction.
 */
@Component(service = PolicyResource.class)
@WeftApiResource
@Path("policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PolicyService policies;

    @Activate
    public PolicyResource(@Reference PolicyService policies) {
        this.policies = Objects.requireNonNull(policies, "policies");
    }

    @GET
    public Response getDocument(@Context SecurityContext security) {
        PolicyService.Versioned<ObjectNode> document = policies.document(ApiCallers.of(security));
        return ok(document.body(), document.version());
    }

    @PUT
    public Response replaceDocument(@Context SecurityContext security, @HeaderParam(ETags.IF_MATCH) String ifMatch,
            ObjectNode document) {
        PolicyService.Versioned<ObjectNode> written = policies.replaceDocument(ApiCallers.of(security), ifMatch, document);
        return ok(written.body(), written.version());
    }

    @GET
    @Path("rules")
    public Response listRules(@Context SecurityContext security) {
        PolicyService.Versioned<List<JsonNode>> rules =
                policies.rules(ApiCallers.of(security));
        return ok(new RuleListDto(rules.version(), rules.body()), rules.version());
    }

    @POST
    @Path("rules")
    public Response createRule(@Context SecurityContext security, @HeaderParam(ETags.IF_MATCH) String ifMatch,
            ObjectNode rule) {
        PolicyService.Versioned<ObjectNode> created = policies.createRule(ApiCallers.of(security), ifMatch, rule);
        URI location = URI.create("policies/rules/" + created.body().path("id").asText());
        return Response.created(location).entity(created.body()).tag(ETags.of(created.version())).build();
    }

    @GET
    @Path("rules/{id}")
    public Response getRule(@Context SecurityContext security, @PathParam("id") String id) {
        PolicyService.Versioned<ObjectNode> rule = policies.rule(ApiCallers.of(security), id);
        return ok(rule.body(), rule.version());
    }

    @PUT
    @Path("rules/{id}")
    public Response updateRule(@Context SecurityContext security, @PathParam("id") String id,
            @HeaderParam(ETags.IF_MATCH) String ifMatch, ObjectNode rule) {
        PolicyService.Versioned<ObjectNode> updated = policies.updateRule(ApiCallers.of(security), id, ifMatch, rule);
        return ok(updated.body(), updated.version());
    }

    @DELETE
    @Path("rules/{id}")
    public Response deleteRule(@Context SecurityContext security, @PathParam("id") String id,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        long version = policies.deleteRule(ApiCallers.of(security), id, ifMatch);
        return Response.noContent().tag(ETags.of(version)).build();
    }

    @POST
    @Path("explain")
    public ExplanationDto explain(@Context SecurityContext security, FlowRequest flow) {
        return policies.explain(ApiCallers.of(security), flow);
    }

    @POST
    @Path("dry-run")
    public DryRunDto dryRun(@Context SecurityContext security, DryRunRequest request) {
        return policies.dryRun(ApiCallers.of(security), request);
    }

    private static Response ok(Object entity, long version) {
        return Response.ok(entity).tag(ETags.of(version)).build();
    }
}
