package io.weft.manager.access;

/** Kind of request that {@link Authorizer} decides on. */
public enum Action {

    /** Read a fleet object: a domain, node, profile, service, policy or app deployment. */
    READ,
    /** Create, change or delete a fleet object. */
    WRITE,
    /** Read or export the audit log entries about a target. */
    READ_AUDIT,
    /** Create, change or delete operator accounts, their role grants and their API tokens. */
    MANAGE_ACCESS
}
