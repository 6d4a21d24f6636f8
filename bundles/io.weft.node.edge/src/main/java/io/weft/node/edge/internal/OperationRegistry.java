package io.weft.node.edge.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.app.api.Operation;
import io.weft.app.api.StreamingOperation;
import io.weft.node.edge.internal.command.EdgeStatus;
import io.weft.policy.AppOperation;

/**
 * The operations that installed apps publish, by app and operation name. An operation service
 * whose properties are invalid is logged and not served. When two services publish the same
 * operation, the first one serves it and the second is logged. Thread-safe.
 *
 * <p>The component is immediate, so that it keeps its operations while the Edge API component,
 * its only user, restarts with a new configuration.
 */
@Component(service = {OperationRegistry.class, EdgeStatus.class}, immediate = true)
public class OperationRegistry implements EdgeStatus {

    private static final Logger LOG = LoggerFactory.getLogger(OperationRegistry.class);

    private final Map<AppOperation, RegisteredOperation> operations = new ConcurrentHashMap<>();

    /** Returns the operation that serves {@code app/operation}, if an installed app publishes it. */
    Optional<RegisteredOperation> find(AppOperation operation) {
        return Optional.ofNullable(operations.get(operation));
    }

    /** Returns true when an installed app named {@code app} publishes at least one operation. */
    boolean hasApp(String app) {
        return operations.keySet().stream().anyMatch(operation -> operation.app().equals(app));
    }

    @Override
    public List<OperationStatus> operations() {
        return operations.values().stream()
                .sorted(Comparator.comparing(registered -> registered.declaration().operation().toString()))
                .map(OperationRegistry::status)
                .toList();
    }

    private static OperationStatus status(RegisteredOperation registered) {
        OperationDeclaration declaration = registered.declaration();
        return new OperationStatus(declaration.operation().toString(), declaration.safe(), declaration.streaming(),
                declaration.timeoutMillis(), declaration.allow().stream().map(Object::toString).toList(),
                registered.serviceId());
    }

    /** Returns the number of served operations. */
    int size() {
        return operations.size();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addOperation(Operation operation, Map<String, Object> properties) {
        add(properties, false, operation, null);
    }

    void removeOperation(Operation operation, Map<String, Object> properties) {
        remove(properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStreamingOperation(StreamingOperation operation, Map<String, Object> properties) {
        add(properties, true, null, operation);
    }

    void removeStreamingOperation(StreamingOperation operation, Map<String, Object> properties) {
        remove(properties);
    }

    void add(Map<String, Object> properties, boolean streaming, Operation operation, StreamingOperation stream) {
        long serviceId = serviceId(properties);
        OperationDeclaration declaration;
        try {
            declaration = OperationDeclaration.of(properties, streaming);
        } catch (IllegalArgumentException e) {
            LOG.error("Edge API: operation service {} is not served: {}", serviceId, e.getMessage());
            return;
        }
        RegisteredOperation registered = new RegisteredOperation(declaration, operation, stream, serviceId);
        RegisteredOperation existing = operations.putIfAbsent(declaration.operation(), registered);
        if (existing != null) {
            LOG.error("Edge API: operation service {} is not served: service {} already publishes '{}'", serviceId,
                    existing.serviceId(), declaration.operation());
            return;
        }
        LOG.info("Edge API: serving operation '{}' (service {}, safe {}, streaming {}, allow {})",
                declaration.operation(), serviceId, declaration.safe(), streaming, declaration.allow());
    }

    void remove(Map<String, Object> properties) {
        long serviceId = serviceId(properties);
        operations.values().removeIf(registered -> {
            if (registered.serviceId() != serviceId) {
                return false;
            }
            LOG.info("Edge API: operation '{}' (service {}) is gone", registered.declaration().operation(), serviceId);
            return true;
        });
    }

    private static long serviceId(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_ID) instanceof Long id ? id : -1;
    }
}
