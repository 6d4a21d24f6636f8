package io.weft.runtime;

import java.util.Objects;

/**
 * State of one Declarative Services component of a Weft bundle.
 *
 * @param bundle    symbolic name of the bundle that declares the component
 * @param component the component name
 * @param state     {@code active}, {@code satisfied}, {@code unsatisfied reference},
 *                  {@code unsatisfied configuration}, {@code failed activation},
 *                  {@code waiting for configuration}, {@code disabled} or {@code not processed}
 * @param detail    what blocks the component, such as the names of unsatisfied references or
 *                  the activation failure; empty when nothing does
 */
public record ComponentState(String bundle, String component, String state, String detail) {

    public ComponentState {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }
}
