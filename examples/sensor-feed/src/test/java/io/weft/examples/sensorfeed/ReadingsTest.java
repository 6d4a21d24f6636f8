package io.weft.examples.sensorfeed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;

class ReadingsTest {

    @Test
    void readingCarriesSensorAndSequence() {
        Readings readings = new Readings(config(1000));

        assertThat(readings.reading(3)).containsEntry("sensor", "temperature-1").containsEntry("sequence", 3L)
                .containsKey("celsius");
    }

    @Test
    void rejectsTooShortInterval() {
        assertThatThrownBy(() -> new Readings(config(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid intervalMillis 1");
    }

    static SensorFeedConfig config(long intervalMillis) {
        return new SensorFeedConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SensorFeedConfig.class;
            }

            @Override
            public String sensor() {
                return "temperature-1";
            }

            @Override
            public long intervalMillis() {
                return intervalMillis;
            }
        };
    }
}
