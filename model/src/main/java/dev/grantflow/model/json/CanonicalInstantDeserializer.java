package dev.grantflow.model.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads an {@link Instant} written the way Grantflow writes them, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (UTC, 1-9
 * fraction digits), straight from its characters; any other shape (offsets, lowercase letters, whitespace, leap
 * seconds, numbers, invalid dates) goes to jackson-datatype-jsr310's deserializer unchanged, so that every accepted
 * value and every error stays what it was. Why by hand: a restart reads two instants per grant and per status, and
 * {@link java.time.format.DateTimeFormatter#ISO_INSTANT} took about 1 us per instant and more than a second of JIT
 * compilation at the start over 100,000 grants (ADR 13).
 */
final class CanonicalInstantDeserializer extends StdScalarDeserializer<Instant> implements ContextualDeserializer {

    private static final long serialVersionUID = 1L;
    private static final int SECONDS_PER_DAY = 86_400;

    /** JavaTimeModule's deserializer, made for the same context as this one: everything not canonical goes there. */
    private final JsonDeserializer<?> fallback;

    CanonicalInstantDeserializer() {
        this(InstantDeserializer.INSTANT);
    }

    private CanonicalInstantDeserializer(JsonDeserializer<?> fallback) {
        super(Instant.class);
        this.fallback = fallback;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
            throws JsonMappingException {
        return new CanonicalInstantDeserializer(InstantDeserializer.INSTANT.createContextual(context, property));
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            Instant fast = parse(parser.getText());
            if (fast != null) {
                return fast;
            }
        }
        return (Instant) fallback.deserialize(parser, context);
    }

    /** The instant {@code text} denotes when it has the canonical shape, otherwise null (the caller falls back). */
    static Instant parse(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z' || (length > 20 && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > 20) {
            int fraction = digits(text, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = length - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number {@code text[from, to)} of ASCII digits only, or -1. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
