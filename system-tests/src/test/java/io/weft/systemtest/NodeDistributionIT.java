package io.weft.systemtest;

import io.weft.systemtest.harness.Distribution;

/** The node distribution, weft-node, started as a process. */
class NodeDistributionIT extends DistributionSystemTest {

    @Override
    Distribution distribution() {
        return Distribution.NODE;
    }
}
