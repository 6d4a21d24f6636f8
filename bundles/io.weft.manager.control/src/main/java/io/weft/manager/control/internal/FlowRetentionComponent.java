package io.weft.manager.control.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.store.FlowStore;
import io.weft.manager.store.StoreException;

/**
 * Keeps the stored flow records within their retention limits, configured by PID {@value #PID}:
 * deletes the records older than the maximum age and the oldest beyond the maximum count, at a
 * fixed interval.
 */
@Component(service = FlowRetentionComponent.class, immediate = true, configurationPid = FlowRetentionComponent.PID)
@Designate(ocd = FlowRetentionComponent.Config.class)
public class FlowRetentionComponent {

    static final String PID = "io.weft.manager.flows";

    private static final Logger LOG = LoggerFactory.getLogger(FlowRetentionComponent.class);

    @ObjectClassDefinition(name = "Weft flow records",
            description = "Retention of the flow records that nodes report for their mesh streams.")
    public @interface Config {

        @AttributeDefinition(name = "Maximum age (hours)",
                description = "Flow records stored longer ago than this many hours are deleted.")
        int maxAgeHours() default 168;

        @AttributeDefinition(name = "Maximum records",
                description = "Number of flow records kept at most; the oldest beyond it are deleted.")
        long maxRecords() default 1_000_000;

        @AttributeDefinition(name = "Prune interval (seconds)",
                description = "Time, in seconds, between two deletions of records beyond the limits.")
        int pruneIntervalSeconds() default 300;
    }

    /** Retention limits, validated from the configuration. */
    record Limits(Duration maxAge, long maxRecords, Duration interval) {

        static Limits of(Config config) {
            require("maxAgeHours", config.maxAgeHours());
            require("maxRecords", config.maxRecords());
            require("pruneIntervalSeconds", config.pruneIntervalSeconds());
            return new Limits(Duration.ofHours(config.maxAgeHours()), config.maxRecords(),
                    Duration.ofSeconds(config.pruneIntervalSeconds()));
        }

        private static void require(String name, long value) {
            if (value < 1) {
                throw new IllegalArgumentException("Invalid " + PID + " " + name + " " + value + ": set 1 or more");
            }
        }
    }

    private final FlowStore store;
    private final Limits limits;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "weft-flow-retention");
        thread.setDaemon(true);
        return thread;
    });

    @Activate
    public FlowRetentionComponent(@Reference FlowStore store, Config config) {
        this.store = store;
        this.limits = Limits.of(config);
        this.clock = Clock.systemUTC();
        long intervalSeconds = limits.interval().toSeconds();
        scheduler.scheduleWithFixedDelay(this::prune, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        LOG.info("Flows: keeping records for {} h, at most {}, pruned every {} s", limits.maxAge().toHours(),
                limits.maxRecords(), intervalSeconds);
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
    }

    /** Deletes the records beyond the limits and returns how many. */
    int prune() {
        try {
            int deleted = store.pruneFlows(clock.instant().minus(limits.maxAge()), limits.maxRecords());
            if (deleted > 0) {
                LOG.info("Flows: deleted {} records beyond the retention limits", deleted);
            }
            return deleted;
        } catch (StoreException e) {
            LOG.warn("Flows: deleting records beyond the retention limits failed, retrying in {} s: {}",
                    limits.interval().toSeconds(), e.getMessage());
            return 0;
        }
    }
}
