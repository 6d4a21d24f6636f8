package io.weft.policy;

/**
 * Service or app operation that a rule's destination names on the selected nodes.
 * Two endpoints are equal when they name the same service or the same operation.
 */
public sealed interface Endpoint permits ServiceName, AppOperation {
}
