package io.weft.examples.sensorfeed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import io.weft.app.api.EdgeOperation;
import io.weft.app.api.EventSink;
import io.weft.app.api.OperationException;
import io.weft.app.api.OperationRequest;
import io.weft.app.api.StreamingOperation;

/**
 * {@code GET /api/v1/apps/sensor-feed/ops/readings} streams one {@code reading} event per
 * interval, such as {@code {"sensor": "temperature-1", "sequence": 3, "celsius": 21.4}}, until
 * the caller leaves or the deadline of ten minutes passes. {@code ?count=N} ends the stream
 * after N readings. The values follow a slow sine wave, as a stand-in for a real sensor.
 */
@Component(service = StreamingOperation.class, configurationPid = SensorFeedConfig.PID)
@Designate(ocd = SensorFeedConfig.class)
@EdgeOperation(app = "sensor-feed", operation = "readings", safe = true, timeoutMillis = 600_000,
        allow = {"client:hello-client", "role:edge", "role:gateway"})
public class Readings implements StreamingOperation {

    static final long MIN_INTERVAL_MILLIS = 10;
    static final long MAX_INTERVAL_MILLIS = 3_600_000;

    private final String sensor;
    private final long intervalMillis;

    @Activate
    public Readings(SensorFeedConfig config) {
        if (config.intervalMillis() < MIN_INTERVAL_MILLIS || config.intervalMillis() > MAX_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("Invalid intervalMillis " + config.intervalMillis() + " in "
                    + SensorFeedConfig.PID + ": set it from " + MIN_INTERVAL_MILLIS + " to " + MAX_INTERVAL_MILLIS);
        }
        this.sensor = config.sensor();
        this.intervalMillis = config.intervalMillis();
    }

    @Override
    public void stream(OperationRequest request, EventSink events) throws OperationException {
        long count = count(request);
        for (long sequence = 1; sequence <= count && events.send("reading", reading(sequence)); sequence++) {
            if (sequence < count && !pause()) {
                return;
            }
        }
    }

    Map<String, Object> reading(long sequence) {
        Map<String, Object> reading = new LinkedHashMap<>();
        reading.put("sensor", sensor);
        reading.put("sequence", sequence);
        reading.put("celsius", Math.round((21 + 2 * Math.sin(sequence / 10.0)) * 10) / 10.0);
        return reading;
    }

    private boolean pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(intervalMillis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long count(OperationRequest request) throws OperationException {
        String text = request.parameter("count").orElse(null);
        if (text == null) {
            return Long.MAX_VALUE;
        }
        try {
            long count = Long.parseLong(text);
            if (count > 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw OperationException.badRequest("count", "Invalid count '" + text + "': write a positive number of"
                + " readings, or leave it out for an endless stream.");
    }
}
