package io.weft.node.mesh.internal;

/** A service that this node exposes, as an OSGi service that {@link MeshNodeComponent} collects. */
interface ServiceEntry {

    ExposedService service();
}
