package io.weft.systemtest;

import io.weft.systemtest.harness.Distribution;

/** The manager distribution, weft-manager, started as a process. */
class ManagerDistributionIT extends DistributionSystemTest {

    @Override
    Distribution distribution() {
        return Distribution.MANAGER;
    }
}
