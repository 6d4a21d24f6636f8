package io.weft.runtime.itest;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Component of a Weft bundle (this test bundle's name starts with io.weft.) that stays
 * unsatisfied until a {@link ProbeDependency} service exists.
 */
@Component(service = Probe.class, immediate = true)
public class Probe {

    @Activate
    public Probe(@Reference(name = "dependency") ProbeDependency dependency) {
        // Only the reference matters: it decides whether the component is satisfied.
    }
}
