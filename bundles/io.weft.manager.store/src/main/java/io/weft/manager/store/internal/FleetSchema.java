package io.weft.manager.store.internal;

import java.util.List;

import io.weft.manager.store.internal.migration.Migration;
import io.weft.manager.store.internal.migration.Migrations;

/** The migrations that build the store's schema, in the bundle folder {@value #FOLDER}. */
final class FleetSchema {

    static final String FOLDER = "db/migration";

    /** Every script in {@value #FOLDER}; a test checks that this list and the folder agree. */
    static final List<String> FILES = List.of("V1__fleet_schema.sql", "V2__access_and_audit.sql",
            "V3__enrollment_and_control.sql", "V4__policy.sql", "V5__apps.sql", "V6__flow_records.sql",
            "V7__flow_call_records.sql");

    private FleetSchema() {
    }

    static List<Migration> migrations() {
        return Migrations.load(FleetSchema.class.getClassLoader(), FOLDER, FILES);
    }
}
