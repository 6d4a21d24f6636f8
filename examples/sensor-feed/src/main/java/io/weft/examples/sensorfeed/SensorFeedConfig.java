package io.weft.examples.sensorfeed;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the sensor-feed app, from the profile PID {@code io.weft.app.sensor-feed}. */
@ObjectClassDefinition(name = "Sensor feed app", description = "The simulated sensor of the sensor-feed example app.")
public @interface SensorFeedConfig {

    /** The PID that the manager sets in the profiles of domains and nodes. */
    String PID = "io.weft.app.sensor-feed";

    @AttributeDefinition(name = "Sensor", description = "The sensor name that every reading carries.")
    String sensor() default "temperature-1";

    @AttributeDefinition(name = "Interval", description = "Time between two readings, in milliseconds, from 10 to 3600000.")
    long intervalMillis() default 1000;
}
