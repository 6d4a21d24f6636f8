package io.weft.manager.policy.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.ws.rs.ForbiddenException;
import javax.ws.rs.NotFoundException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.access.ApiCaller;
import io.weft.manager.policy.api.PolicyListener;
import io.weft.manager.policy.internal.PolicyDtos.DecisionDto;
import io.weft.manager.policy.internal.PolicyDtos.DryRunDto;
import io.weft.manager.policy.internal.PolicyDtos.ExplanationDto;
import io.weft.manager.policy.internal.PolicyDtos.FlowChangeDto;
import io.weft.manager.policy.internal.PolicyDtos.TestFailureDto;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.rest.api.StaleVersionException;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.FlowStore;
import io.weft.manager.store.PolicyStore;
import io.weft.manager.store.StoreTransactions;
import io.weft.manager.store.StoredPolicy;
import io.weft.policy.Decision;
import io.weft.policy.DryRun;
import io.weft.policy.Flow;
import io.weft.policy.FlowChange;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.PolicyDocument;
import io.weft.policy.PolicyRule;
import io.weft.policy.TestFailure;

/**
 * The fleet's policy document and its rules, as the REST API reads and changes them.
 *
 * <p>Every change is validated as a whole document by the policy engine, checked against the
 * caller's scope, run against the document's test cases, stored at the next version and
 * audited, all in one transaction, so a rejected change leaves nothing behind. Registered
 * {@link PolicyListener}s learn of each change after the commit.
 *
 * <p>Scope: a rule attached to a domain is created, changed or deleted only by a caller with
 * WRITE on that domain, and listed only to a caller with READ on it. Replacing the whole
 * document needs WRITE over the whole fleet, because it can change every rule.
 */
@Component(service = PolicyService.class)
public class PolicyService {

    /** Maximum number of flows in one dry run. */
    public static final int MAX_DRY_RUN_FLOWS = 1000;

    /** Attempts of a change without If-Match that a concurrent change made stale. */
    static final int MAX_ATTEMPTS = 3;

    static final String TARGET = "policy";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyService.class);

    private final PolicyStore store;
    private final FleetStore fleet;
    private final FlowStore flowStore;
    private final PolicyCache cache;
    private final PolicyAudit audit;
    private final List<PolicyListener> listeners = new CopyOnWriteArrayList<>();

    @Activate
    public PolicyService(@Reference PolicyStore store, @Reference FleetStore fleet, @Reference FlowStore flowStore,
            @Reference PolicyCache cache, @Reference AuditStore auditStore, @Reference StoreTransactions transactions) {
        this.store = Objects.requireNonNull(store, "store");
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.flowStore = Objects.requireNonNull(flowStore, "flowStore");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.audit = new PolicyAudit(auditStore, transactions);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(PolicyListener listener) {
        listeners.add(listener);
    }

    void removeListener(PolicyListener listener) {
        listeners.remove(listener);
    }

    /** A JSON body with the version of the policy that it belongs to, which the API returns as ETag. */
    public record Versioned<T>(T body, long version) {
    }

    /**
     * Returns the document with the rules and test cases that the caller may read. A caller with
     * READ over the whole fleet gets all of them. Any other caller gets the rules of readable
     * domains and the test cases whose nodes are all readable.
     */
    public Versioned<ObjectNode> document(ApiCaller caller) {
        ApiCallers.checkReadsAnything(caller);
        CurrentPolicy current = cache.load();
        return new Versioned<>(ReadScope.of(caller).visible(current), current.version());
    }

    /** Returns the rules that the caller may read, in document order. */
    public Versioned<List<JsonNode>> rules(ApiCaller caller) {
        ApiCallers.checkReadsAnything(caller);
        CurrentPolicy current = cache.load();
        List<JsonNode> rules = new ArrayList<>();
        PolicyJson.rules(ReadScope.of(caller).visible(current)).forEach(rules::add);
        return new Versioned<>(rules, current.version());
    }

    /** Returns one rule, or 404 when it does not exist or the caller may not read its domain. */
    public Versioned<ObjectNode> rule(ApiCaller caller, String id) {
        CurrentPolicy current = cache.load();
        readableRule(caller, current, id);
        return new Versioned<>(PolicyJson.rule(current.tree(), id).orElseThrow(), current.version());
    }

    /**
     * Replaces the whole document, as an import. Needs WRITE over the whole fleet.
     *
     * @param ifMatch the ETag of the version that the request replaces, or {@code *}
     */
    public Versioned<ObjectNode> replaceDocument(ApiCaller caller, String ifMatch, ObjectNode body) {
        ETags.check(ifMatch);
        requireBody(body, "document");
        checkWholeDocument(caller);

        CurrentPolicy written = write(caller, ifMatch, current -> {
            PolicyDocument document = parse(body, "", null);
            new TestNodes(fleet).check(document);
            return new Change(document, "policy.replace", TARGET, null, current.json());
        });
        return new Versioned<>(written.tree(), written.version());
    }

    /**
     * Adds a rule at the end of the document. Without If-Match, a change that another request
     * committed meanwhile is retried up to {@value #MAX_ATTEMPTS} times.
     */
    public Versioned<ObjectNode> createRule(ApiCaller caller, String ifMatch, ObjectNode body) {
        if (ifMatch != null) {
            ETags.check(ifMatch);
        }
        requireBody(body, "rule");
        String id = body.path(PolicyJson.ID).asText("");

        CurrentPolicy written = write(caller, ifMatch, current -> {
            ObjectNode edited = current.editableTree();
            ArrayNode rules = PolicyJson.rules(edited);
            rules.add(body.deepCopy());
            PolicyDocument document = parse(edited, "", "rules[" + (rules.size() - 1) + "].");
            checkWrite(caller, document.policy().rule(id).orElseThrow());
            return new Change(document, "policy.rule-create", ruleTarget(id), id, null);
        });
        return new Versioned<>(PolicyJson.rule(written.tree(), id).orElseThrow(), written.version());
    }

    /**
     * Replaces a rule in place. The body's id, when present, must be the path's: a rule is
     * renamed by deleting it and creating it under the new id.
     */
    public Versioned<ObjectNode> updateRule(ApiCaller caller, String id, String ifMatch, ObjectNode body) {
        ETags.check(ifMatch);
        requireBody(body, "rule");
        requireSameId(id, body);

        CurrentPolicy written = write(caller, ifMatch, current -> {
            PolicyRule before = readableRule(caller, current, id);
            checkWrite(caller, before);
            ObjectNode edited = current.editableTree();
            ArrayNode rules = PolicyJson.rules(edited);
            int index = PolicyJson.indexOf(rules, id);
            ObjectNode replacement = body.deepCopy().put(PolicyJson.ID, id);
            rules.set(index, replacement);
            PolicyDocument document = parse(edited, "", "rules[" + index + "].");
            checkWrite(caller, document.policy().rule(id).orElseThrow());
            return new Change(document, "policy.rule-update", ruleTarget(id), id, ruleJson(current, id));
        });
        return new Versioned<>(PolicyJson.rule(written.tree(), id).orElseThrow(), written.version());
    }

    /** Deletes a rule and returns the new version of the document. */
    public long deleteRule(ApiCaller caller, String id, String ifMatch) {
        ETags.check(ifMatch);

        CurrentPolicy written = write(caller, ifMatch, current -> {
            checkWrite(caller, readableRule(caller, current, id));
            ObjectNode edited = current.editableTree();
            ArrayNode rules = PolicyJson.rules(edited);
            rules.remove(PolicyJson.indexOf(rules, id));
            PolicyDocument document = parse(edited, "", null);
            return new Change(document, "policy.rule-delete", ruleTarget(id), null, ruleJson(current, id));
        });
        return written.version();
    }

    /** Decides one flow with the stored policy and names the deciding rule. */
    public ExplanationDto explain(ApiCaller caller, FlowRequest request) {
        Flow flow = new FlowReader(fleet, caller).read(request, "");
        CurrentPolicy current = cache.load();

        Decision decision = current.document().policy().decide(flow);
        return new ExplanationDto(current.version(), flow.toString(), DecisionDto.of(decision));
    }

    /**
     * Decides each flow with the stored policy and with a draft, and lists the flows whose
     * action changes, with the draft's own failing test cases. Nothing is stored.
     */
    public DryRunDto dryRun(ApiCaller caller, DryRunRequest request) {
        ApiCallers.checkReadsAnything(caller);
        if (request == null || request.document() == null) {
            throw new InvalidFieldException("document", "The draft document is missing. Send it as 'document'.");
        }
        List<Flow> flows = request.flows() == null
                ? RecordedFlows.read(flowStore, new FlowReader(fleet, caller), MAX_DRY_RUN_FLOWS)
                : flows(caller, request.flows());
        PolicyDocument draft = parse(request.document(), "document.", null);
        CurrentPolicy current = cache.load();

        DryRun changes = DryRun.compare(current.document(), draft, flows);
        Map<Flow, Integer> indexes = new IdentityHashMap<>();
        for (int i = 0; i < flows.size(); i++) {
            indexes.put(flows.get(i), i);
        }
        return new DryRunDto(current.version(), changeDtos(changes.newlyDenied(), indexes),
                changeDtos(changes.newlyAllowed(), indexes),
                draft.runTests().stream().map(TestFailureDto::of).toList());
    }

    /** A validated document that a change stores, with its audit entry's action, target and state before. */
    private record Change(PolicyDocument document, String action, String target, String ruleId, String before) {
    }

    @FunctionalInterface
    private interface Edit {
        Change apply(CurrentPolicy current);
    }

    private CurrentPolicy write(ApiCaller caller, String ifMatch, Edit edit) {
        for (int attempt = 1;; attempt++) {
            try {
                CurrentPolicy written = audit.atomically(() -> writeOnce(caller, ifMatch, edit));
                cache.remember(written);
                notifyListeners(written.version());
                return written;
            } catch (io.weft.manager.store.StaleVersionException e) {
                if (ifMatch != null || attempt == MAX_ATTEMPTS) {
                    throw new StaleVersionException(e.expectedVersion(), e.actualVersion());
                }
                LOG.debug("Policy: retrying a change after a concurrent one: {}", e.getMessage());
            }
        }
    }

    private CurrentPolicy writeOnce(ApiCaller caller, String ifMatch, Edit edit) {
        CurrentPolicy current = cache.load();
        long expected = ifMatch == null ? current.version() : ETags.requiredVersion(ifMatch, current.version());
        if (expected != current.version()) {
            throw new StaleVersionException(expected, current.version());
        }

        Change change = edit.apply(current);
        List<TestFailure> failures = change.document().runTests();
        if (!failures.isEmpty()) {
            throw PolicyErrors.testsFailed(failures);
        }
        String json = PolicyJson.canonical(change.document());
        requireStorable(json);

        StoredPolicy stored = store.replacePolicy(current.version(), json);
        CurrentPolicy written = PolicyCache.of(stored, change.document());
        String after = change.action().equals("policy.replace") ? written.json()
                : change.ruleId() == null ? null : ruleJson(written, change.ruleId());
        audit.record(caller, change.action(), change.target(), change.before(), after);
        return written;
    }

    private void notifyListeners(long version) {
        for (PolicyListener listener : listeners) {
            try {
                listener.policyChanged(version);
            } catch (RuntimeException e) {
                LOG.warn("Policy: listener {} failed on the change to version {}", listener.getClass().getName(),
                        version, e);
            }
        }
    }

    private List<Flow> flows(ApiCaller caller, List<FlowRequest> requests) {
        if (requests.size() > MAX_DRY_RUN_FLOWS) {
            throw new InvalidFieldException("flows", "The request has " + requests.size() + " flows, more than the"
                    + " maximum of " + MAX_DRY_RUN_FLOWS + ". Split them over several dry runs.");
        }
        FlowReader reader = new FlowReader(fleet, caller);
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            flows.add(reader.read(requests.get(i), "flows[" + i + "]."));
        }
        return flows;
    }

    private static List<FlowChangeDto> changeDtos(List<FlowChange> changes, Map<Flow, Integer> indexes) {
        return changes.stream().map(change -> new FlowChangeDto(indexes.get(change.flow()), change.flow().toString(),
                DecisionDto.of(change.before()), DecisionDto.of(change.after()))).toList();
    }

    /**
     * Parses a document.
     *
     * @param prefix     put before every field path of a problem, such as {@code document.}
     * @param editedRule the path prefix of the rule that the request sent on its own, or null
     */
    private static PolicyDocument parse(ObjectNode document, String prefix, String editedRule) {
        try {
            return PolicyDocument.parse(PolicyJson.write(document));
        } catch (InvalidPolicyException e) {
            throw PolicyErrors.invalid(e, prefix, editedRule);
        }
    }

    /** Returns the rule, or raises 404 when it does not exist or the caller may not read its domain. */
    private static PolicyRule readableRule(ApiCaller caller, CurrentPolicy current, String id) {
        return current.document().policy().rule(id)
                .filter(rule -> ApiCallers.permits(caller, Action.READ, AccessTarget.domain(rule.domain())))
                .orElseThrow(() -> new NotFoundException("policy rule '" + abbreviate(id) + "' not found"));
    }

    private static void checkWrite(ApiCaller caller, PolicyRule rule) {
        ApiCallers.check(caller, Action.WRITE, AccessTarget.domain(rule.domain()));
    }

    private static void checkWholeDocument(ApiCaller caller) {
        if (!ApiCallers.permits(caller, Action.WRITE, AccessTarget.fleet())) {
            throw new ForbiddenException("Operator '" + caller.getName() + "' may not replace the whole policy"
                    + " document, which needs the role operator or admin over the whole fleet. Change the rules of"
                    + " your domains one by one under /policies/rules.");
        }
    }

    private static void requireBody(ObjectNode body, String what) {
        if (body == null) {
            throw new InvalidFieldException(what, "The request body is missing. Send the " + what + " as a JSON object.");
        }
    }

    private static void requireSameId(String id, ObjectNode body) {
        JsonNode bodyId = body.get(PolicyJson.ID);
        if (bodyId != null && !(bodyId.isTextual() && bodyId.textValue().equals(id))) {
            throw new InvalidFieldException(PolicyJson.ID, "The rule id " + abbreviate(bodyId.toString()) + " in the"
                    + " body differs from '" + abbreviate(id) + "' in the path. Leave 'id' out or repeat the path's"
                    + " id; to rename a rule, delete it and create it under the new id.");
        }
    }

    private static void requireStorable(String json) {
        if (json.length() > PolicyStore.MAX_POLICY_LENGTH) {
            throw new InvalidFieldException("document", "The policy document would have " + json.length()
                    + " characters, more than the maximum of " + PolicyStore.MAX_POLICY_LENGTH + " that the manager"
                    + " stores. Merge rules with selectors that match several nodes, or shorten descriptions.");
        }
    }

    private static String ruleJson(CurrentPolicy policy, String id) {
        return PolicyJson.write(PolicyJson.rule(policy.tree(), id).orElseThrow());
    }

    private static String ruleTarget(String id) {
        return TARGET + "/rules/" + id;
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
