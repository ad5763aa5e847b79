package dev.grantflow.model.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The one JSON entry point of Grantflow: every Kafka payload and every model object is read and written here, so
 * that all services agree on the wire format.
 *
 * <p>Configuration of the shared mapper (and of any mapper passed to {@link #configure}):
 * <ul>
 *   <li>{@code java.time} support; instants are written as ISO-8601 strings ({@code 2026-11-26T10:00:00Z}), never
 *       as numbers;</li>
 *   <li>{@code null} properties are left out, unless a model type says otherwise (the grant keeps
 *       {@code "items": null} and {@code "expiresAt": null}, as in docs/design.md);</li>
 *   <li>unknown properties are ignored, so a newer producer can add fields without breaking older consumers;</li>
 *   <li>duplicate object keys are errors, and so is content after the value in {@link #read}: a signed grant must
 *       have one meaning only;</li>
 *   <li>objects without properties serialize as {@code {}}.</li>
 * </ul>
 *
 * <p>Failures surface as {@link JsonMappingFailure} (or {@link Parsed.Failed}), whose message never quotes input:
 * {@code MALFORMED} failures carry the line and column, {@code INVALID_VALUE} failures the JSON path.
 */
public final class Json {

    private static final int MAX_PATH_SEGMENT = 64;

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());
    /** {@link #MAPPER}'s settings, reading short strings as shared instances ({@link #parseShared}). */
    private static final ObjectMapper SHARING = configure(JsonMapper.builder().build())
            .registerModule(SharedStrings.module());

    private Json() {
    }

    /**
     * The shared, preconfigured mapper. Thread-safe; treat it as read-only: reconfiguring it would change the wire
     * format for every user in the JVM. For a mapper of your own (e.g. Quarkus' injected one), use {@link #configure}.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies Grantflow's JSON settings to {@code mapper} (e.g. from a Quarkus {@code ObjectMapperCustomizer}). */
    public static <M extends ObjectMapper> M configure(M mapper) {
        mapper.registerModule(new JavaTimeModule());
        // Registered after JavaTimeModule, so it is asked first: canonical instants fast, any other by JavaTimeModule.
        mapper.registerModule(new SimpleModule("grantflow-instants").addDeserializer(Instant.class,
                new CanonicalInstantDeserializer()));
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        mapper.setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        // Not FAIL_ON_TRAILING_TOKENS: fabric8's Quantity and IntOrString deserializers call codec.readTree() on the
        // shared parser, which would then fail mid-document. Trailing content is rejected by read() itself instead.
        mapper.disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature());
        return mapper;
    }

    /** Reads {@code json} (UTF-8) as a {@code type}; never returns {@code null}. */
    public static <T> T read(byte[] json, Class<T> type) {
        return read(json, type, MAPPER, DIRECT);
    }

    private static <T> T read(byte[] json, Class<T> type, ObjectMapper mapper, ClassValue<ObjectReader> readers) {
        if (json == null || isBlank(json)) {
            throw empty();
        }
        T direct = type == JsonNode.class ? null : direct(() -> readers.get(type).readValue(json));
        if (direct != null) {
            return direct;
        }
        try (JsonParser parser = mapper.createParser(json)) {
            return readOne(parser, type, mapper);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /** Reads {@code json} as a {@code type}; never returns {@code null}. */
    public static <T> T read(String json, Class<T> type) {
        if (json == null || isBlank(json)) {
            throw empty();
        }
        T direct = type == JsonNode.class ? null : direct(() -> DIRECT.get(type).readValue(json));
        if (direct != null) {
            return direct;
        }
        try (JsonParser parser = MAPPER.createParser(json)) {
            return readOne(parser, type, MAPPER);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /**
     * Readers that bind straight from the bytes, one per type, failing on content after the value (duplicate keys
     * fail in the parser, as everywhere here). The fast path of {@link #read}: what they accept, the two-step
     * {@link #readOne} accepts alike; anything they refuse (or read as {@code null}) is read again by
     * {@link #readOne}, which then classifies the failure. Valid input, the usual case, is parsed once, without a
     * tree.
     */
    private static final ClassValue<ObjectReader> DIRECT = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
    };

    /** As {@link #DIRECT}, of {@link #SHARING}. */
    private static final ClassValue<ObjectReader> DIRECT_SHARING = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return SHARING.readerFor(type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
    };

    private interface DirectRead<T> {
        T read() throws IOException;
    }

    /** The value, or null when the direct read fails in any way (the caller then takes the classifying path). */
    private static <T> T direct(DirectRead<T> read) {
        try {
            return read.read();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads exactly one value, in two steps so that failures are classified honestly: first the syntax (into a tree:
     * truncation, bad tokens, duplicate keys and content after the value are {@code MALFORMED}), then the mapping to
     * {@code type} ({@code INVALID_VALUE}, with the JSON path).
     */
    private static <T> T readOne(JsonParser parser, Class<T> type, ObjectMapper mapper) throws IOException {
        JsonNode tree = mapper.readTree(parser);
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            throw empty();
        }
        if (parser.nextToken() != null) {
            throw new JsonMappingFailure(JsonMappingFailure.Reason.MALFORMED, "content after the JSON value" + at(parser));
        }
        if (type == JsonNode.class) {
            return type.cast(tree);
        }
        return nonNull(mapper.readerFor(type).readValue(tree));
    }

    /** Like {@link #read(byte[], Class)}, but returns the failure as a value. */
    public static <T> Parsed<T> parse(byte[] json, Class<T> type) {
        try {
            return new Parsed.Ok<>(read(json, type));
        } catch (JsonMappingFailure failure) {
            return new Parsed.Failed<>(failure);
        }
    }

    /**
     * Like {@link #parse(byte[], Class)}, with every string of the value of at most {@value SharedStrings#MAX_LENGTH}
     * characters (values and object keys) the JVM's one instance of it ({@link String#intern()}). For values held by
     * the hundred thousand whose strings repeat (grant-service holds every grant and every published status): they
     * then share their apiVersion, kind, names, paths and reasons, and nothing is copied after the read to share them.
     * Interned strings are collected once nothing refers to them.
     */
    public static <T> Parsed<T> parseShared(byte[] json, Class<T> type) {
        try {
            return new Parsed.Ok<>(read(json, type, SHARING, DIRECT_SHARING));
        } catch (JsonMappingFailure failure) {
            return new Parsed.Failed<>(failure);
        }
    }

    /** Like {@link #read(String, Class)}, but returns the failure as a value. */
    public static <T> Parsed<T> parse(String json, Class<T> type) {
        try {
            return new Parsed.Ok<>(read(json, type));
        } catch (JsonMappingFailure failure) {
            return new Parsed.Failed<>(failure);
        }
    }

    /** Reads {@code json} (UTF-8) as a tree; never returns {@code null} or a null node. */
    public static JsonNode readTree(byte[] json) {
        return read(json, JsonNode.class);
    }

    /** Reads {@code json} as a tree; never returns {@code null} or a null node. */
    public static JsonNode readTree(String json) {
        return read(json, JsonNode.class);
    }

    /** Writes {@code value} as a JSON string. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw notWritable(value, e);
        }
    }

    /** Writes {@code value} as UTF-8 JSON bytes (a Kafka record value). */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw notWritable(value, e);
        }
    }

    /** Converts {@code value} to a tree, as {@link #write} would write it. */
    public static JsonNode toTree(Object value) {
        try {
            return MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new JsonMappingFailure(JsonMappingFailure.Reason.NOT_WRITABLE,
                    "cannot write " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
    }

    private static <T> T nonNull(T value) {
        if (value == null || value instanceof JsonNode node && node.isNull()) {
            throw empty();
        }
        return value;
    }

    private static boolean isBlank(String s) {
        return s.isBlank();
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static JsonMappingFailure empty() {
        return new JsonMappingFailure(JsonMappingFailure.Reason.EMPTY, "no JSON value");
    }

    private static JsonMappingFailure notWritable(Object value, JsonProcessingException e) {
        return new JsonMappingFailure(JsonMappingFailure.Reason.NOT_WRITABLE,
                "cannot write " + (value == null ? "null" : value.getClass().getSimpleName()) + at(e));
    }

    /** Maps a Jackson exception to a failure whose message is built from structure only, never from input text. */
    static JsonMappingFailure translate(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return new JsonMappingFailure(JsonMappingFailure.Reason.TOO_LARGE, "document exceeds parser limits" + at(e));
        }
        if (e instanceof JsonMappingException mapping) {
            String what;
            if (mapping instanceof ValueInstantiationException instantiation && instantiation.getType() != null) {
                what = "cannot create " + instantiation.getType().getRawClass().getSimpleName();
            } else if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                what = "expected " + mismatch.getTargetType().getSimpleName();
            } else {
                what = "invalid value";
            }
            return new JsonMappingFailure(JsonMappingFailure.Reason.INVALID_VALUE, what + path(mapping.getPath()) + at(e));
        }
        if (e instanceof StreamReadException read) {
            String original = read.getOriginalMessage() == null ? "" : read.getOriginalMessage();
            String what = original.startsWith("Duplicate field") ? "duplicate object key" : "malformed JSON";
            return new JsonMappingFailure(JsonMappingFailure.Reason.MALFORMED, what + at(e));
        }
        return new JsonMappingFailure(JsonMappingFailure.Reason.MALFORMED, "unreadable input (" + e.getClass().getSimpleName() + ")");
    }

    private static String path(List<JsonMappingException.Reference> references) {
        if (references == null || references.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" at $");
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                sb.append('.').append(safeSegment(reference.getFieldName()));
            } else if (reference.getIndex() >= 0) {
                sb.append('[').append(reference.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** A property name from the input, shortened and stripped of control characters: names are not secret, but may be long. */
    private static String safeSegment(String name) {
        StringBuilder sb = new StringBuilder();
        name.codePoints().limit(MAX_PATH_SEGMENT).forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        if (name.codePointCount(0, name.length()) > MAX_PATH_SEGMENT) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static String at(JsonParser parser) {
        JsonLocation location = parser.currentLocation();
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String at(IOException e) {
        JsonLocation location = e instanceof JsonProcessingException p ? p.getLocation() : null;
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
