package io.weft.policy;

/** Source of a flow: a node of the fleet or an API client. */
public sealed interface Subject permits NodeSubject, ClientSubject {
}
