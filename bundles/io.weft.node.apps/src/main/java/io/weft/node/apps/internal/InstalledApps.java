package io.weft.node.apps.internal;

import java.util.List;

/** The apps of this node as {@code weft:apps} shows them. */
public interface InstalledApps {

    /** Returns the last status of every app, sorted by app name. */
    List<AppStatus> apps();
}
