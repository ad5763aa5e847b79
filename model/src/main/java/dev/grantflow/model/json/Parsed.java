package dev.grantflow.model.json;

import java.util.Objects;

/**
 * The outcome of {@link Json#parse}: a value, or why there is none. For glue that prefers values to exceptions, e.g.
 * a Kafka consumer that routes {@link Failed} records to a dead-letter topic.
 *
 * @param <T> the type read
 */
public sealed interface Parsed<T> {

    /** The JSON was read into {@code value} (never {@code null}). */
    record Ok<T>(T value) implements Parsed<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The JSON could not be read; {@code failure} says why, without quoting the input. */
    record Failed<T>(JsonMappingFailure failure) implements Parsed<T> {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }

        public JsonMappingFailure.Reason reason() {
            return failure.reason();
        }
    }
}
