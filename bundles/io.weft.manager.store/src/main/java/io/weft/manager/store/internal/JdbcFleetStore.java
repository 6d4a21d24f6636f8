package io.weft.manager.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import io.weft.manager.store.ConflictException;
import io.weft.manager.store.Domain;
import io.weft.manager.store.DomainQuery;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeQuery;
import io.weft.manager.store.NodeSpec;
import io.weft.manager.store.NodeState;
import io.weft.manager.store.NotFoundException;
import io.weft.manager.store.Page;
import io.weft.manager.store.ProfileDocument;
import io.weft.manager.store.ProfileOwner;
import io.weft.manager.store.StaleVersionException;
import io.weft.manager.store.StoreException;

/**
 * {@link FleetStore} on a JDBC database whose schema the migrations created. Each method
 * validates its arguments, runs one transaction and turns SQL errors into the store's
 * exceptions. Times are stored with millisecond precision.
 */
final class JdbcFleetStore implements FleetStore {

    private final ConnectionPool pool;
    private final Clock clock;

    JdbcFleetStore(ConnectionPool pool, Clock clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Domain createDomain(String name, String description) {
        Names.domain(name);
        Names.description(description);

        return transaction("create domain '" + name + "'", connection -> {
            DomainTable.lock(connection);
            try {
                DomainTable.insert(connection, name, description, now());
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    throw duplicate("domain '" + name + "' already exists");
                }
                throw e;
            }
            return DomainTable.find(connection, name).orElseThrow();
        });
    }

    @Override
    public Optional<Domain> findDomain(String name) {
        Names.domain(name);
        return transaction("read domain '" + name + "'", connection -> DomainTable.find(connection, name));
    }

    @Override
    public Domain updateDomain(String name, long expectedVersion, String description) {
        Names.domain(name);
        Names.description(description);

        return transaction("update domain '" + name + "'", connection -> {
            if (!DomainTable.update(connection, name, expectedVersion, description, now())) {
                throw missingOrStale("domain", name, expectedVersion, DomainTable.version(connection, name));
            }
            return DomainTable.find(connection, name).orElseThrow();
        });
    }

    @Override
    public void deleteDomain(String name, long expectedVersion) {
        Names.domain(name);

        transaction("delete domain '" + name + "'", connection -> {
            DomainTable.lock(connection);
            OptionalLong version = DomainTable.version(connection, name);
            if (version.isEmpty() || version.getAsLong() != expectedVersion) {
                throw missingOrStale("domain", name, expectedVersion, version);
            }

            int subdomains = DomainTable.countSubdomains(connection, name);
            int nodes = DomainTable.countNodes(connection, name);
            if (subdomains > 0 || nodes > 0) {
                throw new ConflictException(ConflictException.Reason.NOT_EMPTY, "domain '" + name
                        + "' is not empty: it has " + subdomains + " subdomains and " + nodes
                        + " nodes; delete or move them first");
            }
            return DomainTable.delete(connection, name, expectedVersion);
        });
    }

    @Override
    public Page<Domain> listDomains(DomainQuery query) {
        Objects.requireNonNull(query, "query");
        query.subtree().ifPresent(Names::domain);
        query.after().ifPresent(Names::cursor);

        List<Domain> rows = transaction("list domains", connection -> DomainTable.list(connection, query));
        return page(rows, query.limit(), Domain::name);
    }

    @Override
    public Node createNode(NodeSpec spec) {
        validate(spec);
        String id = Names.newNodeId();

        return transaction("create node '" + NodeTable.fullName(spec) + "'", connection -> {
            try {
                NodeTable.insert(connection, id, spec, now());
            } catch (SQLException e) {
                throw translateNodeWrite(e, spec);
            }
            return NodeTable.findById(connection, id).orElseThrow();
        });
    }

    @Override
    public Optional<Node> findNode(String id) {
        if (!Names.isNodeId(id)) {
            return Optional.empty();
        }
        return transaction("read node " + id, connection -> NodeTable.findById(connection, id));
    }

    @Override
    public Optional<Node> findNodeByName(String domain, String name) {
        Names.domain(domain);
        Names.nodeName(name);

        String fullName = name + "." + domain;
        return transaction("read node '" + fullName + "'", connection -> NodeTable.findByFullName(connection, fullName));
    }

    @Override
    public Node updateNode(String id, long expectedVersion, NodeSpec spec) {
        validate(spec);
        requireNodeId(id);

        return transaction("update node " + id, connection -> {
            boolean updated;
            try {
                updated = NodeTable.update(connection, id, expectedVersion, spec, now());
            } catch (SQLException e) {
                throw translateNodeWrite(e, spec);
            }
            if (!updated) {
                throw missingOrStale("node", id, expectedVersion, NodeTable.version(connection, id));
            }
            return NodeTable.findById(connection, id).orElseThrow();
        });
    }

    @Override
    public Node updateNodeState(String id, long expectedVersion, NodeState state) {
        Objects.requireNonNull(state, "state");
        requireNodeId(id);

        return transaction("update state of node " + id, connection -> {
            if (!NodeTable.updateState(connection, id, expectedVersion, state, now())) {
                throw missingOrStale("node", id, expectedVersion, NodeTable.version(connection, id));
            }
            return NodeTable.findById(connection, id).orElseThrow();
        });
    }

    @Override
    public void recordLastSeen(String id, Instant time) {
        Objects.requireNonNull(time, "time");
        requireNodeId(id);

        transaction("record last-seen time of node " + id, connection -> {
            if (NodeTable.version(connection, id).isEmpty()) {
                throw new NotFoundException("node", id);
            }
            NodeTable.updateLastSeen(connection, id, time.truncatedTo(ChronoUnit.MILLIS));
            return null;
        });
    }

    @Override
    public void deleteNode(String id, long expectedVersion) {
        requireNodeId(id);

        transaction("delete node " + id, connection -> {
            if (!NodeTable.delete(connection, id, expectedVersion)) {
                throw missingOrStale("node", id, expectedVersion, NodeTable.version(connection, id));
            }
            return null;
        });
    }

    @Override
    public Page<Node> listNodes(NodeQuery query) {
        Objects.requireNonNull(query, "query");
        query.subtree().ifPresent(Names::domain);
        query.after().ifPresent(Names::cursor);
        Names.tags(query.tags());

        List<Node> rows = transaction("list nodes", connection -> NodeTable.list(connection, query));
        return page(rows, query.limit(), Node::fullName);
    }

    @Override
    public Optional<ProfileDocument> findProfile(ProfileOwner owner) {
        if (!canExist(owner)) {
            return Optional.empty();
        }
        return transaction("read profile of " + describe(owner), connection -> ProfileTable.find(connection, owner));
    }

    @Override
    public ProfileDocument createProfile(ProfileOwner owner, String json) {
        Names.profileDocument(json);
        if (!canExist(owner)) {
            throw new NotFoundException(entity(owner), owner.key());
        }

        return transaction("create profile of " + describe(owner), connection -> {
            try {
                ProfileTable.insert(connection, owner, json, now());
            } catch (SQLException e) {
                throw translateProfileInsert(e, owner);
            }
            return ProfileTable.find(connection, owner).orElseThrow();
        });
    }

    @Override
    public ProfileDocument updateProfile(ProfileOwner owner, long expectedVersion, String json) {
        Names.profileDocument(json);
        if (!canExist(owner)) {
            throw new NotFoundException("profile", describe(owner));
        }

        return transaction("update profile of " + describe(owner), connection -> {
            if (!ProfileTable.update(connection, owner, expectedVersion, json, now())) {
                throw missingOrStale("profile", describe(owner), expectedVersion, ProfileTable.version(connection, owner));
            }
            return ProfileTable.find(connection, owner).orElseThrow();
        });
    }

    @Override
    public void deleteProfile(ProfileOwner owner, long expectedVersion) {
        if (!canExist(owner)) {
            throw new NotFoundException("profile", describe(owner));
        }

        transaction("delete profile of " + describe(owner), connection -> {
            if (!ProfileTable.delete(connection, owner, expectedVersion)) {
                throw missingOrStale("profile", describe(owner), expectedVersion,
                        ProfileTable.version(connection, owner));
            }
            return null;
        });
    }

    private <T> T transaction(String operation, ConnectionPool.Work<T> work) {
        try {
            return pool.inTransaction(work);
        } catch (SQLException e) {
            throw new StoreException("Failed to " + operation + ": " + e.getMessage() + " (SQL state "
                    + e.getSQLState() + ")", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static <T> Page<T> page(List<T> rows, int limit, Function<T, String> key) {
        if (rows.size() <= limit) {
            return new Page<>(rows, Optional.empty());
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(items, Optional.of(key.apply(items.get(limit - 1))));
    }

    private static void validate(NodeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Names.nodeName(spec.name());
        Names.domain(spec.domain());
        Names.tags(spec.tags());
        spec.cluster().ifPresent(Names::cluster);
        Names.description(spec.description());
    }

    private static void requireNodeId(String id) {
        if (!Names.isNodeId(id)) {
            throw new NotFoundException("node", String.valueOf(id));
        }
    }

    /**
     * Returns false for a node id without the form of the ids that the store creates, because
     * no such node exists. Raises {@link IllegalArgumentException} for an invalid domain name,
     * like the other methods.
     */
    private static boolean canExist(ProfileOwner owner) {
        Objects.requireNonNull(owner, "owner");
        if (owner.kind() == ProfileOwner.Kind.DOMAIN) {
            Names.domain(owner.key());
            return true;
        }
        return Names.isNodeId(owner.key());
    }

    private static String entity(ProfileOwner owner) {
        return owner.kind() == ProfileOwner.Kind.DOMAIN ? "domain" : "node";
    }

    private static String describe(ProfileOwner owner) {
        return entity(owner) + " " + owner.key();
    }

    private static RuntimeException translateNodeWrite(SQLException e, NodeSpec spec) throws SQLException {
        if (SqlStates.isUniqueViolation(e)) {
            return duplicate("domain '" + spec.domain() + "' already has a node named '" + spec.name() + "'");
        }
        if (SqlStates.isForeignKeyViolation(e)) {
            return new NotFoundException("domain", spec.domain());
        }
        throw e;
    }

    private static RuntimeException translateProfileInsert(SQLException e, ProfileOwner owner) throws SQLException {
        if (SqlStates.isUniqueViolation(e)) {
            return duplicate(describe(owner) + " already has a profile; update it instead");
        }
        if (SqlStates.isForeignKeyViolation(e)) {
            return new NotFoundException(entity(owner), owner.key());
        }
        throw e;
    }

    private static ConflictException duplicate(String message) {
        return new ConflictException(ConflictException.Reason.DUPLICATE, message);
    }

    private static StoreException missingOrStale(String entity, String key, long expectedVersion, OptionalLong actual) {
        if (actual.isEmpty()) {
            return new NotFoundException(entity, key);
        }
        return new StaleVersionException(entity, key, expectedVersion, actual.getAsLong());
    }
}
